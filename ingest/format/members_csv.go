package format

import (
	"context"
	"fmt"
	"strings"
)

// MembersCSV reads a roster export, one row per join:
//
//	platform,group,member_id,name,joined_at,channel,inviter_id,customer_key
//
// channel is how the member came (website, official_account, weibo,
// offline, sms, referral, qr, link, import); inviter_id names who brought
// them for referral and qr; customer_key links the person to orders.
type MembersCSV struct{}

func (MembersCSV) Name() string { return "members-csv" }

var (
	membersRequired = []string{"group", "member_id", "joined_at"}
	membersOptional = []string{"platform", "name", "channel", "inviter_id", "customer_key"}
)

func (MembersCSV) Detect(_ string, head []byte) bool {
	return headerHas(head, membersRequired...)
}

func (f MembersCSV) Parse(ctx context.Context, in Input, sink Sink) error {
	t, err := openCSV(in, f.Name(), membersRequired, membersOptional)
	if err != nil {
		return err
	}
	return t.each(ctx, sink, func(rec []string) (string, error) {
		ev, m, reason := f.row(t, rec, in)
		if reason != "" {
			return reason, nil
		}
		if err := sink.Member(&m); err != nil {
			return "", err
		}
		return "", sink.Event(&ev)
	})
}

func (MembersCSV) row(t *csvTable, rec []string, in Input) (Event, Member, string) {
	platform := strings.ToLower(t.get(rec, "platform"))
	if platform == "" {
		platform = "qq"
	}
	group, uid := t.get(rec, "group"), t.get(rec, "member_id")
	if group == "" || uid == "" {
		return Event{}, Member{}, "empty group or member_id"
	}
	ts, err := parseTime(t.get(rec, "joined_at"), in.TZ)
	if err != nil {
		return Event{}, Member{}, "joined_at: " + err.Error()
	}
	channel := strings.ToLower(t.get(rec, "channel"))
	if channel == "" {
		channel = SourceImport
	}
	if !Channels[channel] {
		return Event{}, Member{}, fmt.Sprintf("unknown channel %q", channel)
	}
	person := Person{UID: uid, Name: t.get(rec, "name")}
	ev := Event{
		Group:  Group{Platform: platform, ExternalID: group, Name: group},
		Member: person, Time: ts, Kind: EventJoin, Source: channel, Line: t.line,
	}
	if inviter := t.get(rec, "inviter_id"); inviter != "" {
		ev.Inviter = Person{UID: inviter}
	}
	m := Member{Platform: platform, Person: person, CustomerKey: t.get(rec, "customer_key"), Seen: ts}
	return ev, m, ""
}
