package format

// The fixture corpus: every export fixture under testdata/, parsed as the
// loader would (decoded, detected), tallied, and compared with the golden
// file of its folder (testdata/<folder>/golden.json). `go test -run
// TestCorpus -update` rewrites the counts and keeps each entry's options;
// review the diff as you would a hand count.

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite golden files")

// corpusEntry is one fixture's line of a golden file.
type corpusEntry struct {
	// Options, written by hand: what the loader would be told.
	Source    string `json:"source"`               // whose layout and strings the fixture follows
	Format    string `json:"format,omitempty"`     // forced format; empty: detected
	TZ        string `json:"tz,omitempty"`         // zone of local times; empty: UTC
	Lang      string `json:"lang,omitempty"`       // forced notice language
	DateOrder string `json:"date_order,omitempty"` // forced WhatsApp date order
	// Counts, rewritten by -update.
	Detected       string `json:"detected"`
	Messages       int    `json:"messages"` // every message, system lines included
	System         int    `json:"system"`   // of which system notices kept as messages
	Deleted        int    `json:"deleted"`  // recalls and "this message was deleted"
	Joins          int    `json:"joins"`
	Leaves         int    `json:"leaves"`
	Removals       int    `json:"removals"`
	HumanSenders   int    `json:"human_senders"` // distinct senders of non-system messages, bots left out
	Roles          int    `json:"roles"`
	Presences      int    `json:"presences"`
	UnknownNotices int    `json:"unknown_notices"`
	Rejects        int    `json:"rejects"`
	// Rows few exports have, left out of the file when there are none.
	Members    int `json:"members,omitempty"`    // roster and customer-list rows
	Activities int `json:"activities,omitempty"` // activities the export states
	Statistics int `json:"statistics,omitempty"` // a platform's own counts
	// Rows of carriers that are not groups (official accounts): Follows
	// rows (days, by source or over all sources) and Content rows (an
	// article's days, by channel or over all).
	Follows int    `json:"follows,omitempty"`
	Content int    `json:"content,omitempty"`
	Error   string `json:"error,omitempty"` // a whole-file error, when the fixture is meant to fail
}

// corpusTally counts what a parse produced.
func corpusTally(rec *recorder) corpusEntry {
	var c corpusEntry
	bots := map[string]bool{}
	for _, r := range rec.roles {
		if r.Role == RoleBot {
			bots[r.Group.Platform+"\x00"+r.Person.UID] = true
		}
	}
	senders := map[string]bool{}
	for _, m := range rec.messages {
		c.Messages++
		switch m.Kind {
		case KindSystem:
			c.System++
		case KindRecall:
			c.Deleted++
		}
		key := m.Group.Platform + "\x00" + m.Sender.UID
		if m.Kind != KindSystem && m.Sender.UID != "" && !bots[key] {
			senders[key] = true
		}
	}
	c.HumanSenders = len(senders)
	for _, e := range rec.events {
		switch e.Kind {
		case EventJoin:
			c.Joins++
		case EventLeave:
			c.Leaves++
		case EventRemoved:
			c.Removals++
		}
	}
	c.Roles, c.Presences = len(rec.roles), len(rec.presence)
	c.UnknownNotices, c.Rejects = len(rec.notices), len(rec.rejects)
	c.Members, c.Activities, c.Statistics = len(rec.members), len(rec.acts), len(rec.stats)
	return c
}

// parseFixture reads one fixture as the loader does and tallies it.
func parseFixture(t *testing.T, path string, e corpusEntry) corpusEntry {
	t.Helper()
	in := Input{Path: path, TZ: time.UTC, Lang: e.Lang}
	if e.TZ != "" {
		loc, err := time.LoadLocation(e.TZ)
		if err != nil {
			t.Fatal(err)
		}
		in.TZ = loc
	}
	rec := &recorder{}
	var f Format
	var err error
	if st, serr := os.Stat(path); serr == nil && st.IsDir() {
		f, err = dirFormat(path, e.Format)
		if err == nil {
			err = f.(DirFormat).ParseDir(context.Background(), in, rec)
		}
	} else {
		file, oerr := os.Open(path)
		if oerr != nil {
			t.Fatal(oerr)
		}
		defer file.Close()
		text, _ := Decode(bufio.NewReaderSize(file, HeadSize))
		head, _ := text.Peek(HeadSize)
		if e.Format != "" {
			f, err = FormatByName(e.Format)
		} else {
			f, err = Detect(path, head)
		}
		if err == nil {
			if wa, ok := f.(WhatsAppText); ok && e.DateOrder != "" {
				wa.DateOrder = e.DateOrder
				f = wa
			}
			in.R = text
			err = f.Parse(context.Background(), in, rec)
		}
	}
	got := corpusTally(rec)
	got.Follows, got.Content = len(rec.follows()), len(rec.content())
	if f != nil {
		got.Detected = f.Name()
	}
	if err != nil {
		got.Error = err.Error()
	}
	got.Source, got.Format, got.TZ, got.Lang, got.DateOrder = e.Source, e.Format, e.TZ, e.Lang, e.DateOrder
	return got
}

func dirFormat(dir, name string) (Format, error) {
	for _, f := range formats {
		if df, ok := f.(DirFormat); ok && (f.Name() == name || name == "" && df.DetectDir(dir)) {
			return f, nil
		}
	}
	return nil, &ParseError{Path: dir, Msg: "no folder format", Err: ErrUnknownFormat}
}

func TestCorpus(t *testing.T) {
	goldens, err := filepath.Glob("../../testdata/*/golden.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(goldens) == 0 {
		t.Fatal("no golden files under testdata/")
	}
	total := 0
	for _, golden := range goldens {
		dir := filepath.Dir(golden)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			raw, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			var want map[string]corpusEntry
			if err := json.Unmarshal(raw, &want); err != nil {
				t.Fatalf("%s: %v", golden, err)
			}
			names := make([]string, 0, len(want))
			for name := range want {
				names = append(names, name)
			}
			slices.Sort(names)
			got := map[string]corpusEntry{}
			for _, name := range names {
				if want[name].Source == "" {
					t.Errorf("%s: %s names no source (whose export layout it follows)", golden, name)
				}
				got[name] = parseFixture(t, filepath.Join(dir, name), want[name])
				if !*update && got[name] != want[name] {
					t.Errorf("%s/%s:\n got %+v\nwant %+v", filepath.Base(dir), name, got[name], want[name])
				}
			}
			total += len(names)
			if *update {
				b, err := json.MarshalIndent(got, "", "  ")
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, append(b, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
	t.Logf("%d fixtures in %d folders", total, len(goldens))
}
