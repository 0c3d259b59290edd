// Package format reads chat, membership and order exports. Each export
// format is one Format in its own file; a Format emits rows to a Sink and
// knows nothing of the database (the loader, package ingest, does).
package format

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"
)

// HeadSize is how much of a file's start Detect is given.
const HeadSize = 64 << 10

// Format is one export layout ckpi can read.
type Format interface {
	// Name is the identifier users pass to --format, e.g. "qq-txt".
	Name() string
	// Detect reports whether a file whose name and first bytes (already
	// decoded to UTF-8) are given looks like this format.
	Detect(name string, head []byte) bool
	// Parse streams the file to sink. Errors that make the whole file
	// unreadable are returned as *ParseError; single bad rows go to
	// sink.Reject and parsing goes on.
	Parse(ctx context.Context, in Input, sink Sink) error
}

// DirFormat is a format whose export is a folder of files (Slack's
// unzipped workspace export). Its Input has Path set and no reader.
type DirFormat interface {
	Format
	DetectDir(dir string) bool
	ParseDir(ctx context.Context, in Input, sink Sink) error
}

// Input is one export file, already decoded to UTF-8.
type Input struct {
	Path string
	R    io.Reader
	TZ   *time.Location // zone of local times in the export
	// GroupTZ overrides TZ for the groups it names (by external id or
	// name): a file of several groups may hold groups of several zones.
	GroupTZ map[string]*time.Location
	// Lang forces the language of an export's notices (a locale table's
	// code, e.g. "de"); empty: detected from the file.
	Lang string
	// AsOf is when a member list was taken (--as-of), for a snapshot whose
	// file states no time of its own; zero: the file must state it.
	AsOf time.Time
	// MaxMessage is the largest message (or line, or JSON value) a parser
	// accepts, in bytes; a larger one is rejected with its line, not held in
	// memory. 0 means DefaultMaxMessage.
	MaxMessage int
}

// DefaultMaxMessage bounds one message: far above any chat message (QQ
// and WeChat cap a text at a few thousand characters, Slack at 40,000),
// far below what would strain memory.
const DefaultMaxMessage = 4 << 20

// MaxMessageBytes is in.MaxMessage or its default.
func (in Input) MaxMessageBytes() int {
	if in.MaxMessage > 0 {
		return in.MaxMessage
	}
	return DefaultMaxMessage
}

// Location is the zone local times of group g are written in. Times the
// export gives with an offset or as Unix time do not need it.
func (in Input) Location(g Group) *time.Location {
	if loc := in.GroupTZ[g.ExternalID]; loc != nil {
		return loc
	}
	if loc := in.GroupTZ[g.Name]; loc != nil {
		return loc
	}
	if in.TZ == nil {
		return time.UTC
	}
	return in.TZ
}

// formats is the registry, in detection order: the most specific first.
var formats = []Format{
	QQText{},
	WeChatCSV{},
	WeChatPlainCSV{},
	WhatsAppText{},
	TelegramJSON{},
	DiscordJSON{},
	DiscordCSV{},
	DiscourseJSON{},
	WeChatOAAPI{},
	WeChatOAGrowth{},
	WeChatOAContent{},
	QQMembers{},
	MembersSnapshot{},
	MembersCSV{},
	OrdersCSV{},
	ActivitiesCSV{},
	SlackExport{},
	WeComArchive{},
	WeComGroupChat{},
	WeComStatistic{},
	WeComCustomers{},
	// Generic exports are never detected: --format mapped-csv with --mapping.
	Mapped{Kind: "csv"},
	Mapped{Kind: "jsonl"},
	Mapped{Kind: "parquet"},
}

// Formats lists the registered formats in detection order.
func Formats() []Format { return formats }

// FormatByName finds a registered format.
func FormatByName(name string) (Format, error) {
	for _, f := range formats {
		if f.Name() == name {
			return f, nil
		}
	}
	return nil, fmt.Errorf("unknown format %q (known: %s)", name, strings.Join(formatNames(), ", "))
}

func formatNames() []string {
	names := make([]string, len(formats))
	for i, f := range formats {
		names[i] = f.Name()
	}
	return names
}
