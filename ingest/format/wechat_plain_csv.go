package format

import (
	"context"
	"io"
	"strconv"
	"strings"
	"time"
)

// WeChatPlainCSV reads the simplest WeChat chat table, as many export tools
// and hand-kept spreadsheets write it:
//
//	time,sender,content[,group][,sender_id]
//	2026-11-16 09:00:00,系统消息,"""王芳""邀请""张伟""加入了群聊",星河产品交流群
//	2026-11-16 09:01:10,王芳,欢迎 @张伟 ,星河产品交流群
//
// time is local (the export's zone) or RFC 3339 or unix seconds; content uses
// WeChat's placeholders ([图片], [表情], [语音], [视频], [文件]) for media.
// Rows with an empty sender or 系统消息/系统/system are notices, read like
// WeChatCSV's with locales/wechat.json: membership changes become Events,
// recalls recall messages, words no table knows unknown notices. Without a
// group column the group is named after the file. sender_id, when present,
// is the wxid; otherwise senders are "name:"+sender, and people a notice
// names (by display name) are named-only Persons, "你" included.
type WeChatPlainCSV struct{}

func (WeChatPlainCSV) Name() string { return "wechat-plain-csv" }

var (
	wechatPlainRequired = []string{"time", "sender", "content"}
	wechatPlainOptional = []string{"group", "sender_id"}
)

func (WeChatPlainCSV) Detect(_ string, head []byte) bool {
	return headerHas(head, wechatPlainRequired...)
}

func (f WeChatPlainCSV) Parse(ctx context.Context, in Input, sink Sink) error {
	t, err := openCSV(in, f.Name(), wechatPlainRequired, wechatPlainOptional)
	if err != nil {
		return err
	}
	col := func(name string) int {
		if i, ok := t.col[name]; ok {
			return i
		}
		return -1
	}
	p := wechatParser{sink: sink, self: wechatSelfUnknown, lang: in.Lang, max: in.MaxMessageBytes()}
	fileGroup := plainGroup{wechatGroup(in.Path, ""), nil}
	fileGroup.tz = in.Location(fileGroup.g)
	iTime, iSender, iContent, iGroup, iID := col("time"), col("sender"), col("content"), col("group"), col("sender_id")
	groups := map[string]plainGroup{}
	uids := map[string]string{} // sender -> "name:"+sender, built once per person
	for {
		rec, err := t.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if p.n++; p.n&4095 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		g := fileGroup
		if name := strings.TrimSpace(field(rec, iGroup)); name != "" {
			var ok bool
			if g, ok = groups[name]; !ok {
				g.g = Group{Platform: "wechat", ExternalID: name, Name: name}
				g.tz = in.Location(g.g)
				groups[name] = g
			}
		}
		p.group, p.tz = g.g, g.tz
		ts, err := plainTime(strings.TrimSpace(field(rec, iTime)), p.tz)
		if err != nil {
			sink.Reject(t.line, "time: "+err.Error(), t.raw(rec)) //nolint:errcheck // the loader's sink does not fail on rejects
			continue
		}
		sender := strings.TrimSpace(field(rec, iSender))
		content := field(rec, iContent)
		if len(content) > p.max {
			rec[iContent] = cutText(content, 256)
			sink.Reject(t.line, "message larger than "+strconv.Itoa(p.max)+" bytes", t.raw(rec)) //nolint:errcheck // see above
			continue
		}
		m := &p.msg
		*m = Message{Group: p.group, Time: ts, Line: t.line, Mentions: m.Mentions[:0]}
		if isWeChatSystemSender(sender) {
			if strings.TrimSpace(content) == "" {
				sink.Reject(t.line, "empty sender and content", t.raw(rec)) //nolint:errcheck // see above
				continue
			}
			if err := p.notice(m, content); err != nil {
				return err
			}
			continue
		}
		m.Sender = Person{UID: strings.TrimSpace(field(rec, iID)), Name: sender}
		if m.Sender.UID == "" {
			uid, ok := uids[sender]
			if !ok {
				uid = "name:" + sender
				uids[sender] = uid
			}
			m.Sender.UID = uid
		}
		m.Kind, m.Text = plainKind(content), content
		if m.Kind == KindText || m.Kind == KindLink {
			m.Mentions = mentions(content, m.Mentions)
		}
		if err := sink.Message(m); err != nil {
			return err
		}
	}
}

// plainGroup is a group with the zone its local times are in.
type plainGroup struct {
	g  Group
	tz *time.Location
}

func isWeChatSystemSender(s string) bool {
	switch s {
	case "", "系统消息", "系统":
		return true
	}
	return strings.EqualFold(s, "system")
}

// plainTime reads a local or RFC 3339 time, or unix seconds.
func plainTime(s string, tz *time.Location) (time.Time, error) {
	if s != "" && s[0] >= '0' && s[0] <= '9' && !strings.ContainsAny(s, "-/: ") {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return time.Unix(n, 0).In(tz), nil
		}
	}
	// The common "2026-11-16 09:01:10" without the general layouts' cost.
	if len(s) == 19 && s[4] == '-' && s[10] == ' ' && isDateTime([]byte(s)) {
		if t, err := qqTime([]byte(s), tz); err == nil {
			return t, nil
		}
	}
	return parseTime(s, tz)
}

// plainKind classifies content by WeChat's placeholders for non-text.
func plainKind(s string) string {
	switch strings.TrimSpace(s) {
	case "[图片]", "[Photo]", "[Image]":
		return KindImage
	case "[表情]", "[动画表情]", "[表情包]", "[Sticker]":
		return KindSticker
	case "[语音]", "[Voice]":
		return KindVoice
	case "[视频]", "[Video]":
		return KindVideo
	case "[文件]", "[File]":
		return KindFile
	case "[链接]", "[Link]":
		return KindLink
	}
	t := strings.TrimSpace(s)
	if strings.HasPrefix(t, "[文件]") {
		return KindFile
	}
	if strings.HasPrefix(t, "[链接]") {
		return KindLink
	}
	return textOrLink(s)
}
