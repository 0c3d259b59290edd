// Package synth writes a deterministic synthetic community: one QQ
// message-manager export per group and/or one Telegram Desktop JSON export
// per group (the same people, messages and times in both), a members roster
// (members.csv) and the orders of the members who buy (orders.csv).
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
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
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

	// Formats are the chat exports to write: "qq" (qq/<NN>-<group>.txt,
	// the default when empty), "telegram" (telegram/<NN>-<group>/
	// result.json, Telegram Desktop's JSON export of one chat) and "wecom"
	// (wecom/: the chat archive, group details, daily statistics, the
	// customer list and orders by unionid; see wecom.go). Several may be
	// given: they hold the same community.
	Formats []string
	// TelegramOneFile writes the Telegram export as one full-account
	// export, telegram/result.json with every group in chats.list, instead
	// of one result.json per group.
	TelegramOneFile bool
	// Carriers adds the community's other carriers (carriers.go): an
	// official account (official_account/) and a Discourse forum (forum/).
	Carriers bool
}

// Summary reports what was written; the counts are the same whichever
// formats are written. Members counts the distinct people (member_id) of
// members.csv, staff included; Joins, Leaves and Removals count the system
// lines of the QQ exports (founding members have no join line), which are
// the invite_members/join_group_by_link and remove_members service messages
// of the Telegram export; Messages counts every sender line of the QQ
// exports, system lines (joins, leaves, removals, recalls) included.
// Recalls counts the recall notices among them: Telegram exports no trace
// of a deleted message, so a Telegram chat holds Messages - Recalls
// messages (service messages included).
type Summary struct {
	Groups, Members, Joins, Leaves, Removals, Messages, Recalls, Orders int64
	// Files are the paths written (dir joined with the file name), sorted:
	// members.csv, orders.csv, qq/<NN>-<group>.txt...,
	// telegram/<NN>-<group>/result.json... (or telegram/result.json), then
	// with Config.Carriers official_account/... and forum/....
	Files []string
	Bytes int64 // bytes written across all files
	// Staff are the member ids (QQ numbers) of the staff: owners, admins
	// and customer service, who carry 【群主】/【管理员】 on their sender lines.
	// In the Telegram export their ids are "user" + the QQ number, in the
	// WeCom export "kf" + the QQ number.
	Staff []string
	// The WeCom export: groups whose archive was written (the others have
	// details and statistics only) and the archive's lines (messages and
	// recalls).
	WeComArchived, WeComLines int64
	// With Config.Carriers: the official account's days of followers and
	// articles, the forum's categories, topics and posts.
	FollowDays, Articles, ForumCategories, ForumTopics, ForumPosts int64
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

// formats reads Config.Formats.
func (c Config) formats() (qq, tg, wc bool, err error) {
	if len(c.Formats) == 0 {
		return true, false, false, nil
	}
	for _, f := range c.Formats {
		switch f {
		case "qq":
			qq = true
		case "telegram":
			tg = true
		case "wecom":
			wc = true
		default:
			return false, false, false, fmt.Errorf("synth: unknown format %q (want qq, telegram or wecom)", f)
		}
	}
	return qq, tg, wc, nil
}

// Generate writes the community into dir (created if needed; existing files
// of the same names are replaced): members.csv, orders.csv and the chat
// exports of cfg.Formats (see Config). All formats come from one pass over
// each group, so they hold the same messages.
func Generate(ctx context.Context, dir string, cfg Config) (Summary, error) {
	cfg, err := cfg.normalize()
	if err != nil {
		return Summary{}, err
	}
	qq, tg, wc, err := cfg.formats()
	if err != nil {
		return Summary{}, err
	}
	oneFile := tg && cfg.TelegramOneFile
	w := plan(cfg)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Summary{}, err
	}
	if qq {
		if err := os.MkdirAll(filepath.Join(dir, "qq"), 0o755); err != nil {
			return Summary{}, err
		}
	}
	tgDir := filepath.Join(dir, "telegram")
	if tg {
		if err := os.MkdirAll(tgDir, 0o755); err != nil {
			return Summary{}, err
		}
		w.tg = newTGPeople(w)
	}
	wcDir := filepath.Join(dir, "wecom")
	if wc {
		for _, sub := range []string{"archive", "groupchat"} {
			if err := os.MkdirAll(filepath.Join(wcDir, sub), 0o755); err != nil {
				return Summary{}, err
			}
		}
		w.wc = newWCWorld(w)
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

	// The Telegram file of each group: its own result.json, or a part of
	// the one-file export (see tgOneFile).
	tgPath := func(g *groupPlan) string {
		if oneFile {
			return filepath.Join(tgDir, "."+g.base()+".part")
		}
		return filepath.Join(tgDir, g.base(), "result.json")
	}
	var one *tgOneFile
	if oneFile {
		parts := make([]string, len(w.groups))
		for i, g := range w.groups {
			parts[i] = tgPath(g)
		}
		if one, err = w.createTGOneFile(filepath.Join(tgDir, "result.json"), parts); err != nil {
			return Summary{}, err
		}
		defer func() {
			for _, p := range parts {
				os.Remove(p)
			}
		}()
	}

	// Groups in parallel; each has its own random stream and files, so the
	// output does not depend on scheduling.
	res := make([]groupStats, len(w.groups))
	if wc {
		for i := range res {
			res[i].days = make([]wcDay, w.f.days)
		}
	}
	errs := make([]error, len(w.groups))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(w.groups)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			outs := groupOutputs{one: one}
			for k := range outs.bufs {
				outs.bufs[k] = bufio.NewWriterSize(nil, 256<<10)
			}
			for i := range next {
				g := w.groups[i]
				outs.qq, outs.tg, outs.wc = "", "", ""
				if qq {
					outs.qq = filepath.Join(dir, "qq", g.file)
				}
				if tg {
					outs.tg = tgPath(g)
				}
				if wc && w.wc.archived[g.idx] {
					outs.wc = filepath.Join(wcDir, "archive", g.base()+".jsonl")
				}
				if errs[i] = w.writeGroupFiles(ctx, g, &outs, &res[i]); errs[i] != nil {
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
	err = errors.Join(errs...)
	if err == nil {
		err = ctx.Err()
	}
	if one != nil {
		n, cerr := one.close(err)
		sum.Bytes += n
		err = cmp.Or(err, cerr)
	}
	if err != nil {
		return Summary{}, err
	}
	for i, g := range w.groups {
		r := res[i]
		sum.Joins += r.joins
		sum.Leaves += r.leaves
		sum.Removals += r.removals
		sum.Messages += r.messages
		sum.Recalls += r.recalls
		sum.Bytes += r.qqBytes + r.tgBytes + r.wcBytes
		if qq {
			sum.Files = append(sum.Files, filepath.Join(dir, "qq", g.file))
		}
	}
	if oneFile {
		sum.Files = append(sum.Files, filepath.Join(tgDir, "result.json"))
	} else if tg {
		for _, g := range w.groups {
			sum.Files = append(sum.Files, tgPath(g))
		}
	}
	if wc {
		if err := w.writeWeCom(wcDir, res, &sum); err != nil {
			return Summary{}, err
		}
	}
	if cfg.Carriers {
		cs, err := w.writeCarriers(dir)
		if err != nil {
			return Summary{}, err
		}
		sum.Files = append(sum.Files, cs.files...)
		sum.Bytes += cs.bytes
		sum.FollowDays, sum.Articles = cs.followDays, cs.articles
		sum.ForumCategories, sum.ForumTopics, sum.ForumPosts = cs.forumCategories, cs.topics, cs.posts
	}
	return sum, nil
}

// writeWeCom writes the WeCom files other than the archive (written with
// the groups' messages): details, statistics, customers and orders.
func (w *world) writeWeCom(dir string, res []groupStats, sum *Summary) error {
	days := make([][]wcDay, len(w.groups))
	for i, g := range w.groups {
		days[g.idx] = res[i].days
		if w.wc.archived[g.idx] {
			sum.WeComArchived++
			sum.WeComLines += res[i].wcLines
			sum.Files = append(sum.Files, filepath.Join(dir, "archive", g.base()+".jsonl"))
		}
	}
	for _, g := range w.groups {
		path := filepath.Join(dir, "groupchat", g.base()+".json")
		n, err := writeFile(path, func(bw *bufio.Writer) error { return w.writeWCGroupChat(bw, g) })
		if err != nil {
			return err
		}
		sum.Bytes += n
		sum.Files = append(sum.Files, path)
	}
	for _, f := range []struct {
		name string
		fill func(*bufio.Writer) error
	}{
		{"customers.jsonl", w.writeWCCustomers},
		{"orders.csv", w.writeWCOrders},
		{"statistics.jsonl", func(bw *bufio.Writer) error { return w.writeWCStatistics(bw, days) }},
	} {
		path := filepath.Join(dir, f.name)
		n, err := writeFile(path, f.fill)
		if err != nil {
			return err
		}
		sum.Bytes += n
		sum.Files = append(sum.Files, path)
	}
	slices.Sort(sum.Files) // archive/, customers.jsonl, groupchat/...
	return nil
}

// groupOutputs say where a worker writes a group: the paths of its files,
// empty for a format not written; the one-file Telegram export, if that is
// written; the worker's buffers, reused from group to group.
type groupOutputs struct {
	qq, tg, wc string
	one        *tgOneFile
	bufs       [3]*bufio.Writer
}

// writeGroupFiles writes one group's exports, every format in one pass.
func (w *world) writeGroupFiles(ctx context.Context, g *groupPlan, outs *groupOutputs, st *groupStats) error {
	var qq, tg, wc *output
	var qqw *bufio.Writer
	var tgw *tgWriter
	var wcw *wcWriter
	var err error
	if outs.qq != "" {
		if qq, err = create(outs.qq, outs.bufs[0]); err != nil {
			return err
		}
		qqw = qq.bw
	}
	if outs.wc != "" {
		if wc, err = create(outs.wc, outs.bufs[2]); err != nil {
			if qq != nil {
				qq.close(err)
			}
			return err
		}
		wcw = w.newWCWriter(wc.bw, g)
	}
	// The Telegram chat goes into its own file, or into the one-file
	// export: directly when all chats before it are there, else to its
	// part file.
	var direct *countWriter
	switch {
	case outs.tg == "":
	case outs.one != nil && outs.one.claim(g.idx):
		direct = &countWriter{w: outs.one.f}
		bw := outs.bufs[1]
		bw.Reset(direct)
		bw.Write(outs.one.sep(g.idx))
		tgw = w.newTGWriter(bw, g, tgListChatDepth)
	case outs.one != nil:
		if tg, err = create(outs.tg, outs.bufs[1]); err == nil {
			tgw = w.newTGWriter(tg.bw, g, tgListChatDepth)
		}
	default:
		if err = os.MkdirAll(filepath.Dir(outs.tg), 0o755); err == nil {
			tg, err = create(outs.tg, outs.bufs[1])
		}
		if err == nil {
			tgw = w.newTGWriter(tg.bw, g, tgChatDepth)
		}
	}
	if err == nil {
		if err = w.writeGroup(ctx, qqw, tgw, wcw, g, st); err != nil && ctx.Err() == nil {
			err = fmt.Errorf("synth: %s: %w", g.name, err)
		}
	}
	var cerr error
	if qq != nil {
		st.qqBytes, cerr = qq.close(err)
		err = cmp.Or(err, cerr)
	}
	if wc != nil {
		st.wcBytes, cerr = wc.close(err)
		err = cmp.Or(err, cerr)
	}
	if tg != nil {
		var n int64
		n, cerr = tg.close(err)
		err = cmp.Or(err, cerr)
		if outs.one == nil { // a part's bytes count when it is appended
			st.tgBytes = n
		}
	}
	if direct != nil && err == nil {
		if err = tgw.bw.Flush(); err != nil {
			err = fmt.Errorf("synth: %s: %w", outs.one.path, err)
		}
	}
	if outs.one != nil && err == nil {
		err = outs.one.finish(g.idx, direct == nil, direct)
	}
	return err
}

// base is the group's file name without ".txt": <NN>-<name>.
func (g *groupPlan) base() string { return strings.TrimSuffix(g.file, ".txt") }

// output is a file being written through a counting buffer.
type output struct {
	path string
	f    *os.File
	cw   countWriter
	bw   *bufio.Writer
}

// create makes the file at path, written through bw (reset), or a new
// buffer when bw is nil.
func create(path string, bw *bufio.Writer) (*output, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	o := &output{path: path, f: f}
	o.cw.w = f
	if bw == nil {
		bw = bufio.NewWriterSize(&o.cw, 256<<10)
	} else {
		bw.Reset(&o.cw)
	}
	o.bw = bw
	return o, nil
}

// close flushes and closes the file; with a fill error it only closes.
// It returns the bytes written, or the fill error, or its own.
func (o *output) close(fill error) (int64, error) {
	err := fill
	if err == nil {
		err = o.bw.Flush()
	}
	if cerr := o.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		if err != fill {
			err = fmt.Errorf("synth: %s: %w", o.path, err)
		}
		return 0, err
	}
	return o.cw.n, nil
}

// writeFile creates path and hands a buffered writer to fill; it returns the
// bytes written.
func writeFile(path string, fill func(*bufio.Writer) error) (int64, error) {
	o, err := create(path, nil)
	if err != nil {
		return 0, err
	}
	if err := fill(o.bw); err != nil {
		o.close(err)
		return 0, fmt.Errorf("synth: %s: %w", path, err)
	}
	return o.close(nil)
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
