package synth

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ckpi/ckpi/ingest/format"
)

// wcParsed keeps what the WeCom parsers read.
type wcParsed struct {
	parsed
	presences []format.Presence
	roles     []format.Role
	members   []format.Member
	orders    []format.Order
	stats     []format.Statistic
}

func (p *wcParsed) Presence(x *format.Presence) error {
	p.presences = append(p.presences, *x)
	return nil
}
func (p *wcParsed) Role(x *format.Role) error     { p.roles = append(p.roles, *x); return nil }
func (p *wcParsed) Member(x *format.Member) error { p.members = append(p.members, *x); return nil }
func (p *wcParsed) Order(x *format.Order) error   { p.orders = append(p.orders, *x); return nil }
func (p *wcParsed) Statistic(x *format.Statistic) error {
	c := *x
	c.Owners = slices.Clone(x.Owners)
	p.stats = append(p.stats, c)
	return nil
}

// parseDetected reads a file as the loader would: detected, then parsed.
func parseDetected(t *testing.T, path string, tz *time.Location, into *wcParsed) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := format.Detect(path, data[:min(len(data), format.HeadSize)])
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if err := f.Parse(context.Background(), format.Input{Path: path, R: bytes.NewReader(data), TZ: tz}, into); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if len(into.rejects) > 0 {
		t.Fatalf("%s: %d rejects, first %q", path, len(into.rejects), into.rejects[0])
	}
	return f.Name()
}

// The WeCom export is the QQ community as WeCom shows it: the archived
// groups' messages, every group's members, statistics that agree with the
// messages, and orders any customer's unionid finds.
func TestWeComMatchesQQ(t *testing.T) {
	cfg := testConfig()
	cfg.Groups, cfg.Messages, cfg.Formats = 9, 20000, []string{"qq", "wecom"}
	dir := t.TempDir()
	sum, err := Generate(context.Background(), dir, cfg)
	if err != nil {
		t.Fatal(err)
	}
	tz := zoneOf(cfg)
	if sum.WeComArchived == 0 || sum.WeComArchived == sum.Groups {
		t.Fatalf("%d of %d groups archived: want some of each", sum.WeComArchived, sum.Groups)
	}
	p := &wcParsed{}
	formats := map[string]int{}
	for _, f := range sum.Files {
		if strings.Contains(f, string(filepath.Separator)+"wecom"+string(filepath.Separator)) {
			formats[parseDetected(t, f, tz, p)]++
		}
	}
	if formats["wecom-archive"] != int(sum.WeComArchived) || formats["wecom-groupchat"] != int(sum.Groups) ||
		formats["wecom-statistic"] != 1 || formats["wecom-customers"] != 1 || formats["orders-csv"] != 1 {
		t.Errorf("files by format: %v", formats)
	}
	if int64(len(p.msgs)) != sum.WeComLines {
		t.Errorf("archive: %d messages, summary says %d", len(p.msgs), sum.WeComLines)
	}

	// Group names and owners from the details.
	names, owners := map[string]string{}, map[string]string{}
	for _, r := range p.roles {
		if r.Group.Name != "" { // the details; the archive names no group
			names[r.Group.ExternalID] = r.Group.Name
		}
		if r.Role == format.RoleOwner {
			owners[r.Group.ExternalID] = r.Person.UID
		}
	}
	// Per group: the QQ export's members' messages and recalls are the
	// archive's messages and revokes.
	qq := map[string]*parsed{}
	for _, f := range qqFiles(t, sum) {
		for name, g := range parseWith(t, format.QQText{}, f, tz).byGroup() {
			qq[name] = g
		}
	}
	archived := map[string]wcCount{}
	daySenders := map[string]map[string]bool{} // owner|day -> group|sender
	dayMsgs := map[string]int64{}
	for _, m := range p.msgs {
		c := archived[m.Group.ExternalID]
		if m.Kind == format.KindRecall {
			c.recalls++
		} else {
			c.msgs++
			k := owners[m.Group.ExternalID] + "|" + m.Time.In(tz).Format(time.DateOnly)
			if daySenders[k] == nil {
				daySenders[k] = map[string]bool{}
			}
			daySenders[k][m.Group.ExternalID+"|"+m.Sender.UID] = true
			dayMsgs[k]++
		}
		archived[m.Group.ExternalID] = c
	}
	if len(archived) != int(sum.WeComArchived) {
		t.Errorf("%d groups in the archive, want %d", len(archived), sum.WeComArchived)
	}
	qqJoins := map[string]int64{} // owner -> joins in the owner's groups
	for room, name := range names {
		g := qq[name]
		if g == nil {
			t.Fatalf("group %q of the details is not in the QQ export", name)
		}
		var want wcCount
		for _, m := range g.msgs {
			switch m.Kind {
			case format.KindRecall:
				want.recalls++
			case format.KindSystem:
			default:
				want.msgs++
			}
		}
		for _, e := range g.events {
			if e.Kind == format.EventJoin {
				qqJoins[owners[room]]++
			}
		}
		if got, ok := archived[room]; ok && got != want {
			t.Errorf("%s: archive %+v, QQ export %+v", name, got, want)
		}
	}

	// The statistics: per owner and day, messages and speakers as the
	// archive has them (for archived owners), joins as the QQ export.
	statJoins := map[string]int64{}
	checked := 0
	for _, s := range p.stats {
		if len(s.Owners) != 1 || s.Days != 1 {
			t.Fatalf("statistic %+v", s)
		}
		o := s.Owners[0].UID
		statJoins[o] += s.NewMembers
		k := o + "|" + s.Day.Format(time.DateOnly)
		if dayMsgs[k] == 0 && !archivedOwner(archived, owners, o) {
			continue
		}
		checked++
		if s.Messages != dayMsgs[k] || s.MembersWithMessages != int64(len(daySenders[k])) {
			t.Errorf("%s: statistic says %d messages by %d members, the archive %d by %d", k, s.Messages, s.MembersWithMessages, dayMsgs[k], len(daySenders[k]))
		}
	}
	if checked < 7*int(cfg.Weeks) {
		t.Errorf("%d owner-days of statistics compared with the archive", checked)
	}
	for o, n := range qqJoins {
		if statJoins[o] != n {
			t.Errorf("owner %s: statistics count %d joins, the QQ export %d", o, statJoins[o], n)
		}
	}

	// Every order's unionid is a customer's; customers without a key have
	// no unionid.
	keys := map[string]bool{}
	for _, m := range p.members {
		if m.CustomerKey != "" {
			keys[m.CustomerKey] = true
		}
	}
	if len(p.orders) != int(sum.Orders) {
		t.Errorf("%d orders, want %d", len(p.orders), sum.Orders)
	}
	for _, o := range p.orders {
		if !keys[o.CustomerKey] || !strings.HasPrefix(o.ID, "WX") {
			t.Errorf("order %+v: its unionid is no customer's", o)
		}
	}
	// Joins come with WeCom's scenes only; every member listed is present.
	for _, e := range p.events {
		if e.Source != format.SourceReferral && e.Source != format.SourceLink && e.Source != format.SourceQR {
			t.Errorf("join %+v: source %q", e, e.Source)
		}
	}
	if len(p.presences) != len(p.events) {
		t.Errorf("%d presences, %d joins: want one each per member listed", len(p.presences), len(p.events))
	}

	// The same config gives the same bytes; the QQ files do not depend on
	// whether WeCom's are written.
	again := t.TempDir()
	sa, err := Generate(context.Background(), again, cfg)
	if err != nil {
		t.Fatal(err)
	}
	sameFiles(t, dir, sum, again, sa)
	cfg.Formats = []string{"qq"}
	qqOnly := t.TempDir()
	sq, err := Generate(context.Background(), qqOnly, cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range sq.Files {
		rel, _ := filepath.Rel(qqOnly, f)
		a, _ := os.ReadFile(f)
		b, _ := os.ReadFile(filepath.Join(dir, rel))
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs with and without the WeCom export", rel)
		}
	}
}

type wcCount struct{ msgs, recalls int }

func archivedOwner(archived map[string]wcCount, owners map[string]string, owner string) bool {
	for room := range archived {
		if owners[room] == owner {
			return true
		}
	}
	return false
}
