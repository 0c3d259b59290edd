// Package synth writes a deterministic synthetic community: one QQ
// message-manager export per group, a members roster (members.csv) and the
// orders of the members who buy (orders.csv).
//
// The data has the shapes the KPIs measure: groups of very different sizes
// (a 15–20 member sweet spot, 150+ member groups, one dying group), joins by
// channel with 20–30% referrals, churn that is higher in a member's first
// week, power-law speakers and silent members, weekly and daily rhythms,
// staff who answer questions within minutes in work hours and announce
// activities weekly (some groups break the rhythm), self-introductions,
// check-ins, conversion and repurchase.
//
// The same Config (with End set) always gives byte-identical files. Groups
// are written in parallel, each from its own random stream, day by day in
// time order, so memory stays flat whatever the number of messages.
package synth

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"time"
)

// Config says what to generate. Zero Groups, Weeks and Messages take the
// values of Default.
type Config struct {
	Groups   int   // number of chat groups
	Weeks    int   // weeks of history, ending with the ISO week containing End
	Messages int64 // approximate total messages across all groups (exact count reported back)
	Seed     int64
	// End is the end of the history (exclusive), read in TZ. Default: the
	// Monday 00:00 after the current week — set it for reproducible output.
	End time.Time
	TZ  *time.Location // default Asia/Shanghai; exports are written in local time

	CRLF bool // end lines of the QQ exports with CRLF instead of LF
	BOM  bool // start each QQ export with a UTF-8 byte order mark
}

// Summary reports what was written. Members counts the distinct people
// (member_id) of members.csv, staff included; Joins, Leaves and Removals
// count the system lines of the QQ exports (founding members have no join
// line); Messages counts every sender line of the QQ exports, system lines
// (joins, leaves, removals, recalls) included.
type Summary struct {
	Groups, Members, Joins, Leaves, Removals, Messages, Orders int64
	// Files are the paths written (dir joined with the file name), sorted:
	// members.csv, orders.csv, qq/<NN>-<group>.txt...
	Files []string
	Bytes int64 // bytes written across all files
	// Staff are the member ids (QQ numbers) of the staff: owners, admins
	// and customer service, who carry 【群主】/【管理员】 on their sender lines.
	Staff []string
}

// Default is a small community: 12 groups, 12 weeks, about 60,000 messages,
// seed 1. Its End is zero (the Monday after the current week): set End for
// files that stay the same from one week to the next.
func Default() Config {
	return Config{Groups: 12, Weeks: 12, Messages: 60000, Seed: 1}
}

const day = 86400

// frame is the history window in civil seconds: wall-clock time in the
// configured zone, counted as if it were UTC. All event times are civil
// seconds, so formatting never needs a time zone lookup.
type frame struct {
	start, end int64 // start is a Monday 00:00; end is exclusive
	days       int
	dates      [][]byte // "YYYY-MM-DD " for each day of the window
}

func civil(t time.Time) int64 {
	y, m, d := t.Date()
	h, mi, s := t.Clock()
	return time.Date(y, m, d, h, mi, s, 0, time.UTC).Unix()
}

func newFrame(end time.Time, weeks int) frame {
	e := civil(end)
	last := e - 1
	lastDay := last - mod(last, day)
	wd := int64(time.Unix(lastDay, 0).UTC().Weekday()+6) % 7 // Monday = 0
	start := lastDay - wd*day - int64(weeks-1)*7*day
	f := frame{start: start, end: e, days: int((e - start + day - 1) / day)}
	f.dates = make([][]byte, f.days)
	for i := range f.dates {
		f.dates[i] = time.Unix(start+int64(i)*day, 0).UTC().AppendFormat(nil, "2006-01-02 ")
	}
	return f
}

func mod(a, b int64) int64 {
	m := a % b
	if m < 0 {
		m += b
	}
	return m
}

// dayStart is the civil midnight of day i of the window.
func (f *frame) dayStart(i int) int64 { return f.start + int64(i)*day }

// weekday of day i: Monday = 0 ... Sunday = 6.
func weekday(i int) int { return i % 7 }

// appendTime appends "YYYY-MM-DD HH:MM:SS".
func (f *frame) appendTime(b []byte, t int64) []byte {
	d := (t - f.start) / day
	if t < f.start || d >= int64(f.days) {
		return time.Unix(t, 0).UTC().AppendFormat(b, "2006-01-02 15:04:05")
	}
	b = append(b, f.dates[d]...)
	s := t - f.start - d*day
	h, m, sec := s/3600, s/60%60, s%60
	return append(b, byte('0'+h/10), byte('0'+h%10), ':', byte('0'+m/10), byte('0'+m%10), ':', byte('0'+sec/10), byte('0'+sec%10))
}

func (f *frame) timeString(t int64) string { return string(f.appendTime(nil, t)) }

func (c Config) normalize() (Config, error) {
	d := Default()
	if c.Groups == 0 {
		c.Groups = d.Groups
	}
	if c.Weeks == 0 {
		c.Weeks = d.Weeks
	}
	if c.Messages == 0 {
		c.Messages = d.Messages
	}
	if c.Groups < 0 || c.Weeks < 0 || c.Messages < 0 {
		return c, errors.New("synth: Groups, Weeks and Messages must not be negative")
	}
	if c.Groups > 99999 {
		return c, errors.New("synth: at most 99999 groups")
	}
	if c.TZ == nil {
		tz, err := time.LoadLocation("Asia/Shanghai")
		if err != nil {
			tz = time.FixedZone("CST", 8*3600)
		}
		c.TZ = tz
	}
	if c.End.IsZero() {
		now := time.Now().In(c.TZ)
		y, m, dd := now.Date()
		wd := (int(now.Weekday()) + 6) % 7
		c.End = time.Date(y, m, dd+7-wd, 0, 0, 0, 0, c.TZ)
	}
	c.End = c.End.In(c.TZ)
	return c, nil
}

// Generate writes the community into dir (created if needed; existing files
// of the same names are replaced).
func Generate(ctx context.Context, dir string, cfg Config) (Summary, error) {
	cfg, err := cfg.normalize()
	if err != nil {
		return Summary{}, err
	}
	w := plan(cfg)
	if err := os.MkdirAll(filepath.Join(dir, "qq"), 0o755); err != nil {
		return Summary{}, err
	}
	var sum Summary
	sum.Groups = int64(len(w.groups))

	n, err := writeFile(filepath.Join(dir, "members.csv"), w.writeMembers)
	if err != nil {
		return Summary{}, err
	}
	sum.Bytes += n
	sum.Members = w.rostered
	for _, p := range w.persons {
		if p.staff && len(p.spans) > 0 {
			sum.Staff = append(sum.Staff, p.uid)
		}
	}
	sum.Files = append(sum.Files, filepath.Join(dir, "members.csv"))

	n, err = writeFile(filepath.Join(dir, "orders.csv"), w.writeOrders)
	if err != nil {
		return Summary{}, err
	}
	sum.Bytes += n
	sum.Orders = int64(len(w.orders))
	sum.Files = append(sum.Files, filepath.Join(dir, "orders.csv"))

	// Groups in parallel; each has its own random stream and file, so the
	// output does not depend on scheduling.
	res := make([]groupStats, len(w.groups))
	errs := make([]error, len(w.groups))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(w.groups)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				g := w.groups[i]
				path := filepath.Join(dir, "qq", g.file)
				res[i].bytes, errs[i] = writeFile(path, func(bw *bufio.Writer) error {
					return w.writeGroup(ctx, bw, g, &res[i])
				})
				if errs[i] != nil {
					cancel()
				}
			}
		}()
	}
feed:
	for i := range w.groups {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return Summary{}, err
	}
	if err := ctx.Err(); err != nil {
		return Summary{}, err
	}
	for i, g := range w.groups {
		r := res[i]
		sum.Joins += r.joins
		sum.Leaves += r.leaves
		sum.Removals += r.removals
		sum.Messages += r.messages
		sum.Bytes += r.bytes
		sum.Files = append(sum.Files, filepath.Join(dir, "qq", g.file))
	}
	return sum, nil
}

// writeFile creates path and hands a buffered writer to fill; it returns the
// bytes written.
func writeFile(path string, fill func(*bufio.Writer) error) (int64, error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	cw := &countWriter{w: f}
	bw := bufio.NewWriterSize(cw, 256<<10)
	err = fill(bw)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, fmt.Errorf("synth: %s: %w", path, err)
	}
	return cw.n, nil
}

type countWriter struct {
	w interface{ Write([]byte) (int, error) }
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// fileName is "<NN>-<name>.txt" with the index zero-padded to the width of
// the largest index (at least two digits).
func fileName(i, groups int, name string) string {
	width := max(2, len(strconv.Itoa(groups)))
	return fmt.Sprintf("%0*d-%s.txt", width, i+1, name)
}
