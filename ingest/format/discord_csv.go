package format

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// DiscordCSV reads a channel exported by DiscordChatExporter (Tyrrrz) as
// CSV, as written by DiscordChatExporter.Core/Exporting/CsvMessageWriter.cs:
// every field quoted, attachments as their URLs joined by commas, reactions
// as "emoji (count)":
//
//	AuthorID,Author,Date,Content,Attachments,Reactions
//	"111","lina","2026-11-16T09:45:00.0000000+08:00","大家好","",""
//	"222","tom#1234","2026-11-16T09:46:10.0000000+08:00","see
//	second line","https://cdn.discordapp.com/attachments/1/2/a.png?ex=1","👍 (2)"
//
// Date is ISO 8601 with the offset (format "o", since November 2023);
// older exports wrote the exporter's local time as "MM/dd/yyyy h:mm tt" or,
// before February 2023, "dd-MMM-yy hh:mm tt": those are read in Input.TZ.
// The CSV has no message ids, no channel data and no mention ids: the group
// comes from the exporter's default file name (ExportRequest.
// GetDefaultOutputFileName: "Guild - Category - Channel [channel id].csv",
// the category left out when the channel has none, then " (after
// 2026-01-01)" or the like for a date range, and " [part 2]" for a
// partitioned export). With the id, the group is keyed by it, as in the
// JSON export; a file renamed without it is keyed by its name, "Guild /
// #Channel" (so it is a group of its own beside the same channel's JSON
// export). A thread's CSV is named like a channel (its parent channel in
// the category's place) and, unlike its JSON, does not say it is one: it
// is its own group. Mentions are the "@name" tokens of the content, and a
// message is keyed by its content like the QQ export.
// Author is the user name ("name#1234" for old accounts), not the nickname,
// so a person here may be named differently than in a JSON export of the
// same channel; the id is the same.
//
// System notices appear with the exporter's fallback text in Content:
// "Joined the server." is a join (unknown source), "Added X to the group."
// a referral join of X (known by name only) by the author, "Left the
// group." a leave and "Removed X from the group." a removal; pins, calls,
// threads and channel changes are system messages.
type DiscordCSV struct{}

func (DiscordCSV) Name() string { return "discord-csv" }

var discordCSVColumns = []string{"authorid", "author", "date", "content"}

func (DiscordCSV) Detect(_ string, head []byte) bool {
	return headerHas(head, discordCSVColumns...)
}

// discordFileName matches the exporter's default name: the channel id in
// brackets after the guild, category and channel names.
var discordFileName = regexp.MustCompile(`^(.*?) \[(\d+)\]`)

// discordNameSuffix is what the exporter adds after the id: a date range,
// a partition.
var discordNameSuffix = regexp.MustCompile(` \((?:after \d{4}-\d{2}-\d{2}|before \d{4}-\d{2}-\d{2}|\d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2})\)| \[part \d+\]`)

func (DiscordCSV) Parse(ctx context.Context, in Input, sink Sink) error {
	t, err := openCSV(in, "discord-csv", discordCSVColumns, []string{"attachments", "reactions"})
	if err != nil {
		return err
	}
	g := discordCSVGroup(in.Path)
	tz := in.Location(g)
	var (
		msg Message
		ev  Event
	)
	for n := 0; ; n++ {
		if n&4095 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		rec, err := t.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		uid, name := t.get(rec, "authorid"), t.get(rec, "author")
		if uid == "" {
			if err := sink.Reject(t.line, "row without an AuthorID", t.raw(rec)); err != nil {
				return err
			}
			continue
		}
		date := t.get(rec, "date")
		ts, ok := discordCSVTime(date, tz)
		if !ok {
			if err := sink.Reject(t.line, fmt.Sprintf("unreadable date %q", quote([]byte(date))), t.raw(rec)); err != nil {
				return err
			}
			continue
		}
		author := Person{UID: uid, Name: name}
		content := t.get(rec, "content")
		attachments := t.get(rec, "attachments")
		if attachments == "" {
			if e, isEvent, system := discordNotice(content); isEvent {
				ev = e
				ev.Group, ev.Time, ev.Line = g, ts, t.line
				if ev.Member.UID == "" {
					ev.Member = author
				}
				if ev.Source == SourceReferral {
					ev.Inviter = author
				}
				if err := sink.Event(&ev); err != nil {
					return err
				}
				continue
			} else if system {
				msg = Message{Group: g, Time: ts, Kind: KindSystem, Text: content, Line: t.line}
				if err := sink.Message(&msg); err != nil {
					return err
				}
				continue
			}
		}
		msg = Message{Group: g, Sender: author, Time: ts, Text: content, Line: t.line,
			Mentions: mentions(content, msg.Mentions[:0])}
		switch first, _, _ := strings.Cut(attachments, ","); {
		case first != "":
			if msg.Kind = attachmentKind(urlPath([]byte(first))); msg.Kind == "" {
				msg.Kind = KindFile
			}
		case strings.Contains(content, "http://") || strings.Contains(content, "https://"):
			msg.Kind = KindLink
		default:
			msg.Kind = KindText
		}
		if err := sink.Message(&msg); err != nil {
			return err
		}
	}
}

// discordCSVGroup names the group after the exporter's file name.
func discordCSVGroup(path string) Group {
	base := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	names, id := base, ""
	if m := discordFileName.FindStringSubmatch(base); m != nil {
		names, id = m[1], m[2]
	} else {
		names = strings.TrimSpace(discordNameSuffix.ReplaceAllString(base, ""))
	}
	name := names
	if parts := strings.Split(names, " - "); len(parts) > 1 {
		name = parts[0] + " / #" + parts[len(parts)-1]
	}
	if id == "" {
		id = name // no id in the name: the name is all there is
	}
	return Group{Platform: "discord", ExternalID: id, Name: name}
}

// discordCSVTime reads the Date column: ISO 8601 with an offset, or one of
// the older default layouts in the exporter's zone.
func discordCSVTime(s string, tz *time.Location) (time.Time, bool) {
	if t, ok := parseISOTime([]byte(s), tz); ok {
		return t, true
	}
	for _, layout := range []string{"01/02/2006 3:04 PM", "1/2/2006 3:04 PM", "02-Jan-06 03:04 PM", "02-Jan-06 3:04 PM"} {
		if t, err := time.ParseInLocation(layout, s, tz); err == nil && t.Year() >= 1970 {
			return t, true
		}
	}
	return time.Time{}, false
}

// discordNotice recognises the fallback texts DiscordChatExporter writes for
// system notifications (PlainTextMessageExtensions.GetFallbackContent). A
// membership notice returns its event (Member empty: the author); another
// notice returns system.
func discordNotice(content string) (ev Event, isEvent, system bool) {
	switch {
	case content == "Joined the server.":
		return Event{Kind: EventJoin, Source: SourceUnknown}, true, false
	case content == "Left the group.":
		return Event{Kind: EventLeave}, true, false
	case strings.HasPrefix(content, "Added ") && strings.HasSuffix(content, " to the group."):
		name := strings.TrimSuffix(strings.TrimPrefix(content, "Added "), " to the group.")
		return Event{Kind: EventJoin, Source: SourceReferral, Member: Person{UID: "name:" + name, Name: name}}, true, false
	case strings.HasPrefix(content, "Removed ") && strings.HasSuffix(content, " from the group."):
		name := strings.TrimSuffix(strings.TrimPrefix(content, "Removed "), " from the group.")
		return Event{Kind: EventRemoved, Member: Person{UID: "name:" + name, Name: name}}, true, false
	}
	switch {
	case content == "Added a recipient.", content == "Removed a recipient.",
		content == "Pinned a message.", content == "Started a thread.",
		content == "Changed the channel icon.", content == "Changed the channel name.",
		strings.HasPrefix(content, "Changed the channel name: "),
		strings.HasPrefix(content, "Started a call that lasted ") && strings.HasSuffix(content, " minutes."):
		return Event{}, false, true
	}
	return Event{}, false, false
}
