package format

import (
	"bytes"
	"strings"
	"time"
)

// WeCom (企业微信) sources: the chat archive (wecom_archive.go), customer
// group details (wecom_groupchat.go), group statistics
// (wecom_statistic.go) and the customer list (wecom_customers.go). What
// they share: the platform's name, how an id tells staff from customers
// and bots, and how saved API responses are read.

// PlatformWeCom is the platform of every WeCom row. The archive's roomid
// and the customer-group API's chat_id are the same id, so a group's
// messages, details and members meet under it.
const PlatformWeCom = "wecom"

// WeCom ids, as the archive documentation describes them (获取会话内容,
// developer.work.weixin.qq.com/document/path/91774): a customer (外部联系人)
// is an external_userid starting "wo" (a WeCom user of another company) or
// "wm" (a WeChat user); a bot's external_userid starts "wb"; anything else
// is the userid of an employee of the company (企业成员), staff for every
// KPI.
func wecomKind(uid string) byte {
	if len(uid) >= 2 && uid[0] == 'w' {
		switch uid[1] {
		case 'o', 'm':
			return wecomCustomer
		case 'b':
			return wecomBot
		}
	}
	return wecomStaff
}

const (
	wecomCustomer byte = iota
	wecomStaff
	wecomBot
)

// wecomStaffRole is the role an employee is staged with. WeCom's own
// roles are the owner (群主) and admins (admin_list); any other employee in
// a customer group (type 1, 企业成员) still works for the company, the
// salesperson or service agent the KPIs must not count as a member. The
// roles an export can state are owner, admin and bot ("service" is the
// config's word), so such an employee is an admin; a config entry may say
// service instead.
const wecomStaffRole = RoleAdmin

// wecomObjects reads a saved response file: one JSON object, a JSON array
// of them, or one per line (JSON Lines), as a script that calls the API
// page by page would save it. each is called with the scanner inside an
// object (its '{' consumed) and must read it to its end; its line is given.
func wecomObjects(s *jsonScanner, what string, each func(line int64) error) error {
	for seen := 0; ; seen++ {
		switch s.ws() {
		case 0:
			if s.rerr != nil || s.pos < s.end {
				return s.unexpected(what)
			}
			if seen == 0 {
				return s.eofError("want " + what)
			}
			return nil
		case '[':
			s.pos++
			for n := 0; ; {
				more, err := s.elem(&n)
				if err != nil {
					return err
				}
				if !more {
					break
				}
				if s.ws() != '{' {
					return s.unexpected(what)
				}
				line := s.lineAt(s.pos)
				s.pos++
				if err := each(line); err != nil {
					return err
				}
			}
		case '{':
			line := s.lineAt(s.pos)
			s.pos++
			if err := each(line); err != nil {
				return err
			}
		default:
			return s.unexpected(what)
		}
	}
}

// wecomUnix reads a Unix time in seconds (join_time, stat_time,
// createtime): a number, or digits in a string.
func wecomUnix(s *jsonScanner) (int64, bool, error) {
	if s.peek() == 'n' {
		return 0, false, s.literal("null")
	}
	b, err := s.id()
	if err != nil {
		return 0, false, err
	}
	n, ok := digits(b)
	return n, ok && n > 0, nil
}

// wecomCount reads a count of a statistic; -1 when null or unreadable.
func wecomCount(s *jsonScanner) (int64, error) {
	if s.peek() == 'n' {
		return -1, s.literal("null")
	}
	b, err := s.id()
	if err != nil {
		return -1, err
	}
	if n, ok := digits(b); ok {
		return n, nil
	}
	return -1, nil
}

// wecomString reads a string or null into a Go string the sink may keep.
func wecomString(s *jsonScanner) (string, error) {
	b, _, err := s.strOrNull()
	if err != nil {
		return "", err
	}
	if err := s.validUTF8(b); err != nil {
		return "", err
	}
	return string(b), nil
}

// wecomHasKeys reports whether a JSON object head holds all keys.
func wecomHasKeys(head []byte, keys ...string) bool {
	h := bytes.TrimLeft(head, " \t\r\n")
	if len(h) == 0 || h[0] != '{' && h[0] != '[' {
		return false
	}
	for _, k := range keys {
		if !bytes.Contains(h, []byte(`"`+k+`"`)) {
			return false
		}
	}
	return true
}

// wecomDay is the local midnight of a day WeCom names by a timestamp of
// that midnight (stat_time, day_begin_time): in the zone the loader is
// told (WeCom counts days in China time, UTC+8, the default).
func wecomDay(unix int64, tz *time.Location) time.Time {
	if tz == nil {
		tz = time.UTC
	}
	t := time.Unix(unix, 0).In(tz)
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, tz)
}

// wecomGroup is the group of a roomid or chat_id; name is empty when the
// source does not name it (the archive), so a name the details gave stays.
func wecomGroup(id, name string) Group {
	return Group{Platform: PlatformWeCom, ExternalID: id, Name: strings.TrimSpace(name)}
}
