package ingest

import (
	"bufio"
	"cmp"
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ckpi/ckpi/ingest/format"
)

// Explanation is what `ckpi ingest --explain FILE` shows: how a file would
// be read and what each kind of its lines would become, without loading it.
type Explanation struct {
	Path     string
	Format   string
	Encoding string
	Zone     string            // the zone its local times are read in
	Lang     string            // the forced notice language; "" detected
	Notes    map[string]string // what the parser reported deciding (format.Note)
	Coverage Coverage
	Outcomes []Outcome // in outcomeOrder, the empty ones included
	Err      error     // a whole-file error: what was read up to it is shown
}

// Outcome is one thing lines can become, with its first examples.
type Outcome struct {
	Name     string
	Count    int64
	Examples []Example
}

// Example is a row and the lines it came from.
type Example struct {
	Line   int64    // where the row starts
	Text   []string // its first lines as the file has them (up to 2 not blank)
	Became string   // what the parser made of it
	end    int64    // the span's last line, once known
}

// ExamplesPerOutcome is how many rows of each outcome are shown.
const ExamplesPerOutcome = 3

// outcomeOrder names the outcomes as --explain lists them.
var outcomeOrder = []string{
	"message", "system message", "join", "leave", "removed", "role", "presence",
	"member", "order", "activity", "notice not understood", "rejected",
}

// Explain parses one export as a load would (same detection, decoding,
// zones and language) and tallies what its rows would be; nothing is
// written to a database.
func Explain(ctx context.Context, path string, opt Options) Explanation {
	if opt.TZ == nil {
		opt.TZ = time.UTC
	}
	ex := Explanation{Path: path, Lang: opt.Lang, Notes: map[string]string{}}
	src, f, err := openExport(path, opt)
	if err != nil {
		ex.Err = err
		return ex
	}
	defer src.Close()
	ex.Format, ex.Encoding = f.Name(), src.encoding()
	s := newExplainSink()
	ex.Err = src.parse(ctx, f, opt.input(), s)
	for k, v := range s.notes {
		ex.Notes[k] = v
	}
	ex.Coverage = s.tally.coverage(src.lines())
	ex.Zone = zoneOf(opt.input(), s.tally.groups)
	s.closeSpan(0)
	if st, err := os.Stat(path); err == nil && !st.IsDir() && ex.Coverage.Lines > 0 {
		quoteLines(path, s.outcomes)
	}
	for _, name := range outcomeOrder {
		o := s.outcomes[name]
		if o == nil {
			o = &Outcome{Name: name}
		}
		ex.Outcomes = append(ex.Outcomes, *o)
	}
	return ex
}

// explainSink tallies rows as the collector would, keeping examples.
type explainSink struct {
	tally    *fileTally
	people   *people
	outcomes map[string]*Outcome
	open     *Example // the example whose span is still open
	notes    map[string]string
}

func newExplainSink() *explainSink {
	return &explainSink{
		tally:    &fileTally{persons: map[*personSeen]struct{}{}, groups: map[int64]format.Group{}},
		people:   newPeople(),
		outcomes: map[string]*Outcome{},
		notes:    map[string]string{},
	}
}

func (s *explainSink) Note(key, value string) { s.notes[key] = value }

// closeSpan ends the open example's span before line next (0: the end).
func (s *explainSink) closeSpan(next int64) {
	if s.open != nil && next != s.open.Line {
		s.open.end = next - 1
		s.open = nil
	}
}

func (s *explainSink) add(name string, line int64, became string) {
	if line > 0 {
		s.closeSpan(line)
	}
	o := s.outcomes[name]
	if o == nil {
		// room for every example: s.open points into the slice
		o = &Outcome{Name: name, Examples: make([]Example, 0, ExamplesPerOutcome)}
		s.outcomes[name] = o
	}
	o.Count++
	if len(o.Examples) < ExamplesPerOutcome {
		o.Examples = append(o.Examples, Example{Line: line, Became: SafeText(became, 200), end: -1})
		if line > 0 {
			s.open = &o.Examples[len(o.Examples)-1]
		}
	}
}

func (s *explainSink) person(platform string, p format.Person) {
	if p.UID != "" {
		s.tally.saw(s.people.see(platform, p, 0, 0, time.Time{}))
	}
}

func (s *explainSink) group(g format.Group) {
	s.tally.groups[groupID(g)] = g
}

// where names a group: by its id when the file does not name it (a WeCom
// archive knows only the room id).
func where(g format.Group) string { return cmp.Or(g.Name, g.ExternalID) }

func who(p format.Person) string {
	switch {
	case p.UID == "":
		return p.Name + " (by name)"
	case p.Name == "" || p.Name == p.UID:
		return p.UID
	}
	return p.Name + " (" + p.UID + ")"
}

func (s *explainSink) Message(m *format.Message) error {
	s.group(m.Group)
	s.person(m.Group.Platform, m.Sender)
	t := m.Time.Format("2006-01-02 15:04:05 -07:00")
	if m.Kind == format.KindSystem {
		s.tally.cov.System++
		s.tally.lineSpans.at(m.Line, lineNotice)
		s.add("system message", m.Line, fmt.Sprintf("%s %s: %s", t, where(m.Group), m.Text))
		return nil
	}
	s.tally.cov.Messages++
	s.tally.lineSpans.at(m.Line, lineMessage)
	s.add("message", m.Line, fmt.Sprintf("%s %s %s [%s]: %s", t, where(m.Group), who(m.Sender), m.Kind, m.Text))
	return nil
}

func (s *explainSink) Event(e *format.Event) error {
	s.group(e.Group)
	for _, p := range []format.Person{e.Member, e.Inviter, e.Actor} {
		s.person(e.Group.Platform, named(p))
	}
	s.tally.cov.Events++
	s.tally.lineSpans.at(e.Line, lineNotice)
	b := fmt.Sprintf("%s %s %s", e.Time.Format("2006-01-02 15:04:05 -07:00"), where(e.Group), who(e.Member))
	if e.Source != "" {
		b += " via " + e.Source
	}
	if e.Inviter != (format.Person{}) {
		b += ", invited by " + who(e.Inviter)
	}
	if e.Actor != (format.Person{}) {
		b += ", by " + who(e.Actor)
	}
	s.add(e.Kind, e.Line, b)
	return nil
}

func (s *explainSink) Member(m *format.Member) error {
	s.person(m.Platform, m.Person)
	s.tally.cov.Records++
	b := who(m.Person)
	if m.CustomerKey != "" {
		b += ", customer " + m.CustomerKey
	}
	s.add("member", 0, b)
	return nil
}

func (s *explainSink) Order(o *format.Order) error {
	s.tally.record(o.Line)
	s.add("order", o.Line, fmt.Sprintf("%s %s %s %s %s (%s) %s", o.ID, o.Time.Format("2006-01-02 15:04:05 -07:00"), o.Amount, o.Currency, o.Status, o.CustomerKey, o.Product))
	return nil
}

func (s *explainSink) Activity(a *format.Activity) error {
	s.group(a.Group)
	s.tally.record(a.Line)
	s.add("activity", a.Line, fmt.Sprintf("%s %s %s %s", a.Time.Format("2006-01-02 15:04 -07:00"), where(a.Group), a.Type, a.Title))
	return nil
}

func (s *explainSink) Role(r *format.Role) error {
	s.person(r.Group.Platform, named(r.Person))
	s.tally.record(r.Line)
	in := where(r.Group)
	if r.Group.ExternalID == "" {
		in = "every " + r.Group.Platform + " group"
	}
	s.add("role", r.Line, fmt.Sprintf("%s is %s in %s", who(r.Person), r.Role, in))
	return nil
}

func (s *explainSink) Presence(p *format.Presence) error {
	s.group(p.Group)
	s.person(p.Group.Platform, named(p.Member))
	s.tally.record(p.Line)
	s.add("presence", p.Line, fmt.Sprintf("%s in %s as of %s", who(p.Member), where(p.Group), p.AsOf.Format("2006-01-02 15:04 -07:00")))
	return nil
}

func (s *explainSink) Statistic(st *format.Statistic) error {
	var owners []string
	for _, o := range st.Owners {
		s.person(st.Platform, o)
		owners = append(owners, who(o))
	}
	s.tally.record(st.Line)
	scope := "every " + st.Platform + " group"
	if len(owners) > 0 {
		scope = "the groups of " + strings.Join(owners, ", ")
	}
	s.add("statistic", st.Line, fmt.Sprintf("%s, %d day(s) from %s: %d new members, %d members, %d who spoke, %d messages",
		scope, st.Days, st.Day.Format("2006-01-02"), st.NewMembers, st.Members, st.MembersWithMessages, st.Messages))
	return nil
}

func (s *explainSink) Follows(f *format.Follows) error {
	s.tally.record(f.Line)
	s.add("follows", f.Line, fmt.Sprintf("%s %s %s: %s new, %s lost, %s followers", f.Day.Format("2006-01-02"), f.Account.Name, f.Source,
		countText(f.New), countText(f.Cancel), countText(f.Cumulate)))
	return nil
}

func (s *explainSink) Content(c *format.Content) error {
	s.tally.record(c.Line)
	s.add("article day", c.Line, fmt.Sprintf("%s %s %q %s: %s readers, %s reads, %s sharers", c.Day.Format("2006-01-02"), c.Account.Name, c.Title, c.Channel,
		countText(c.ReadUsers), countText(c.Reads), countText(c.ShareUsers)))
	return nil
}

// countText is a count of a carrier's row, "-" when the export gives none.
func countText(n int64) string {
	if n == format.NoCount {
		return "-"
	}
	return fmt.Sprint(n)
}

func (s *explainSink) Reject(line int64, reason, raw string) error {
	s.tally.rejected++
	s.tally.lineSpans.at(line, lineRejected)
	s.add("rejected", line, reason)
	return nil
}

func (s *explainSink) UnknownNotice(line int64, raw string) error {
	s.tally.unknownNotices++
	s.tally.lineSpans.at(line, lineUnknown)
	s.add("notice not understood", line, raw)
	return nil
}

// quoteLines reads the examples' lines from the file: the first two lines
// of each span that are not blank.
func quoteLines(path string, outcomes map[string]*Outcome) {
	want := map[int64][]*Example{}
	var last int64
	for _, o := range outcomes {
		for i := range o.Examples {
			e := &o.Examples[i]
			if e.Line <= 0 {
				continue
			}
			end := e.end
			if end < e.Line {
				end = e.Line + 5 // the last row: a few lines on
			}
			for l := e.Line; l <= min(end, e.Line+20); l++ {
				want[l] = append(want[l], e)
			}
			last = max(last, min(end, e.Line+20))
		}
	}
	f, err := os.Open(path)
	if err != nil {
		return
	}
	defer f.Close()
	text, _ := format.Decode(bufio.NewReaderSize(f, format.HeadSize))
	for n := int64(1); n <= last; n++ {
		line, err := text.ReadString('\n')
		if line == "" && err != nil {
			return
		}
		line = strings.TrimRight(line, "\r\n")
		if strings.TrimSpace(line) == "" {
			continue
		}
		for _, e := range want[n] {
			if len(e.Text) < 2 {
				e.Text = append(e.Text, SafeText(line, 100))
			}
		}
		if err == io.EOF {
			return
		}
	}
}

// SafeText makes user text safe to print on a terminal: control and
// direction-override characters are shown as '·', and it is cut at max
// runes.
func SafeText(s string, max int) string {
	var b strings.Builder
	n := 0
	for _, r := range s {
		if n == max {
			b.WriteString("…")
			break
		}
		switch {
		case r == utf8.RuneError, r < 0x20, r >= 0x7f && r < 0xa0,
			r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
			b.WriteRune('·')
		default:
			b.WriteRune(r)
		}
		n++
	}
	return b.String()
}
