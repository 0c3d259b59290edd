package synth

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ckpi/ckpi/ingest/format"
)

var testEnd = time.Date(2026, 11, 23, 0, 0, 0, 0, time.FixedZone("CST", 8*3600))

func testConfig() Config {
	c := Default()
	c.End = testEnd
	return c
}

// The default community, generated once for the tests that only read it.
var (
	fixtureOnce sync.Once
	fixtureDir  string
	fixtureSum  Summary
	fixtureErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if fixtureDir != "" {
		os.RemoveAll(fixtureDir)
	}
	os.Exit(code)
}

// fixture is the default community in both formats.
func fixture(t *testing.T) (string, Summary) {
	t.Helper()
	fixtureOnce.Do(func() {
		fixtureDir, fixtureErr = os.MkdirTemp("", "synth")
		if fixtureErr == nil {
			cfg := testConfig()
			cfg.Formats = []string{"qq", "telegram"}
			fixtureSum, fixtureErr = Generate(context.Background(), fixtureDir, cfg)
		}
	})
	if fixtureErr != nil {
		t.Fatal(fixtureErr)
	}
	return fixtureDir, fixtureSum
}

// qqMsg is one message of a QQ export as the tests read it.
type qqMsg struct {
	time  string // "YYYY-MM-DD HH:MM:SS"
	title string // 【群主】, 【管理员】 or empty
	nick  string
	uid   string // QQ number or e-mail
	body  string // lines joined with "\n"
}

var senderRE = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}) (【[^】]+】)?(.*)(?:\((\d+)\)|<([^<>@]+@[^<>]+)>)$`)

// parseQQ is a tiny reader of the export: the header, then messages made
// of a sender line, body lines and an empty line.
func parseQQ(t *testing.T, path string) (group string, msgs []qqMsg) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	header := []string{"消息记录（此消息记录为文本格式，不支持重新导入）", "", qqSeparator, "消息分组:我的QQ群", qqSeparator, "", qqSeparator, ""}
	if len(lines) < len(header) {
		t.Fatalf("%s: short file", path)
	}
	for i, h := range header {
		if i == 5 {
			g, ok := strings.CutPrefix(lines[i], "消息对象:")
			if !ok {
				t.Fatalf("%s:%d: no 消息对象: %q", path, i+1, lines[i])
			}
			group = g
			continue
		}
		if lines[i] != h {
			t.Fatalf("%s:%d: header %q, want %q", path, i+1, lines[i], h)
		}
	}
	lines = lines[len(header):]
	for i := 0; i < len(lines); {
		if lines[i] == "" && i == len(lines)-1 {
			break
		}
		sm := senderRE.FindStringSubmatch(lines[i])
		if sm == nil {
			t.Fatalf("%s: expected a sender line, got %q", path, lines[i])
		}
		m := qqMsg{time: sm[1], title: sm[2], nick: sm[3], uid: sm[4] + sm[5]}
		i++
		var body []string
		for i < len(lines) && lines[i] != "" {
			body = append(body, lines[i])
			i++
		}
		if len(body) == 0 {
			t.Fatalf("%s: message at %s without a body", path, m.time)
		}
		m.body = strings.Join(body, "\n")
		msgs = append(msgs, m)
		i++ // the empty line
	}
	return group, msgs
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(bufio.NewReader(f)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func qqFiles(t *testing.T, sum Summary) []string {
	t.Helper()
	var out []string
	for _, f := range sum.Files {
		if strings.HasSuffix(f, ".txt") {
			out = append(out, f)
		}
	}
	if len(out) != int(sum.Groups) {
		t.Fatalf("%d QQ files for %d groups", len(out), sum.Groups)
	}
	return out
}

func TestDeterministic(t *testing.T) {
	cfg := testConfig()
	cfg.Messages = 20000
	cfg.Groups = 8
	cfg.Formats = []string{"qq", "telegram"}
	a, b := t.TempDir(), t.TempDir()
	sa, err := Generate(context.Background(), a, cfg)
	if err != nil {
		t.Fatal(err)
	}
	sb, err := Generate(context.Background(), b, cfg)
	if err != nil {
		t.Fatal(err)
	}
	sameFiles(t, a, sa, b, sb)
	// The one-file Telegram export too, and the QQ files do not depend on
	// which other formats are written.
	cfg.TelegramOneFile = true
	c, d := t.TempDir(), t.TempDir()
	sc, err := Generate(context.Background(), c, cfg)
	if err != nil {
		t.Fatal(err)
	}
	sd, err := Generate(context.Background(), d, cfg)
	if err != nil {
		t.Fatal(err)
	}
	sameFiles(t, c, sc, d, sd)
	if n := len(sc.Files); n != 2+8+1 || sc.Files[n-1] != filepath.Join(c, "telegram", "result.json") {
		t.Errorf("one-file export: files %v", sc.Files)
	}
	cfg.Formats, cfg.TelegramOneFile = nil, false
	e := t.TempDir()
	se, err := Generate(context.Background(), e, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(se.Files) != 2+8 {
		t.Fatalf("qq only: files %v", se.Files)
	}
	for i, fe := range se.Files {
		de, _ := os.ReadFile(fe)
		da, _ := os.ReadFile(sa.Files[i])
		if !bytes.Equal(da, de) {
			t.Errorf("%s differs with and without the Telegram export", fe)
		}
	}
	entries, _ := os.ReadDir(filepath.Join(c, "telegram"))
	if len(entries) != 1 {
		t.Errorf("telegram/ of the one-file export holds %d entries (parts left behind?)", len(entries))
	}

	// Another seed gives other data.
	cfg.Seed = 2
	f := t.TempDir()
	sf, err := Generate(context.Background(), f, cfg)
	if err != nil {
		t.Fatal(err)
	}
	da, _ := os.ReadFile(sa.Files[2])
	df, _ := os.ReadFile(sf.Files[2])
	if bytes.Equal(da, df) {
		t.Error("seed 2 wrote the same first group as seed 1")
	}
}

// sameFiles checks that two runs wrote the same files, byte for byte.
func sameFiles(t *testing.T, a string, sa Summary, b string, sb Summary) {
	t.Helper()
	if len(sa.Files) != len(sb.Files) || sa.Messages != sb.Messages || sa.Bytes != sb.Bytes {
		t.Fatalf("summaries differ:\n%+v\n%+v", sa, sb)
	}
	var total int64
	for i, fa := range sa.Files {
		rel, _ := filepath.Rel(a, fa)
		if got, _ := filepath.Rel(b, sb.Files[i]); got != rel {
			t.Fatalf("file %d: %s vs %s", i, rel, got)
		}
		da, err := os.ReadFile(fa)
		if err != nil {
			t.Fatal(err)
		}
		db, err := os.ReadFile(sb.Files[i])
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(da, db) {
			t.Errorf("%s differs between two runs", rel)
		}
		total += int64(len(da))
	}
	if total != sa.Bytes {
		t.Errorf("Summary.Bytes = %d, the files hold %d", sa.Bytes, total)
	}
	if !slices.IsSorted(sa.Files) {
		t.Errorf("files not sorted: %v", sa.Files)
	}
}

func TestLayoutOptions(t *testing.T) {
	cfg := testConfig()
	cfg.Groups, cfg.Messages, cfg.CRLF, cfg.BOM = 2, 2000, true, true
	dir := t.TempDir()
	sum, err := Generate(context.Background(), dir, cfg)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(sum.Files[2])
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(data, []byte("\uFEFF消息记录")) {
		t.Errorf("no BOM: %q", data[:12])
	}
	if n, crlf := bytes.Count(data, []byte("\n")), bytes.Count(data, []byte("\r\n")); n != crlf {
		t.Errorf("%d LF, only %d as CRLF", n, crlf)
	}
	plain := bytes.ReplaceAll(bytes.TrimPrefix(data, []byte("\uFEFF")), []byte("\r\n"), []byte("\n"))
	lf := filepath.Join(t.TempDir(), "lf.txt")
	if err := os.WriteFile(lf, plain, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, msgs := parseQQ(t, lf); len(msgs) == 0 {
		t.Error("no messages")
	}
}

func TestMessagesAndTimes(t *testing.T) {
	dir, sum := fixture(t)
	var total int64
	start, end := "9999", "0000"
	for _, f := range qqFiles(t, sum) {
		group, msgs := parseQQ(t, f)
		if !strings.HasSuffix(filepath.Base(f), "-"+group+".txt") {
			t.Errorf("%s holds group %q", f, group)
		}
		total += int64(len(msgs))
		for i := 1; i < len(msgs); i++ {
			if msgs[i].time < msgs[i-1].time {
				t.Fatalf("%s: %s after %s", f, msgs[i].time, msgs[i-1].time)
			}
		}
		if len(msgs) > 0 {
			start, end = min(start, msgs[0].time), max(end, msgs[len(msgs)-1].time)
		}
	}
	if total != sum.Messages {
		t.Errorf("Summary.Messages = %d, the files hold %d sender lines", sum.Messages, total)
	}
	if sum.Messages < 50000 || sum.Messages > 70000 {
		t.Errorf("asked for about 60000 messages, got %d", sum.Messages)
	}
	// 12 ISO weeks ending with the week before 2026-11-23 (a Monday).
	if start < "2026-08-31" || end >= "2026-11-23" || start > "2026-08-31 12" || end < "2026-11-22 12" {
		t.Errorf("history runs %s .. %s, want 2026-08-31 .. 2026-11-22", start, end)
	}
	_ = dir
}

// Every members.csv row of a join during the history matches the system
// line of that join: same group, member, time, channel and inviter.
func TestMembersMatchJoinLines(t *testing.T) {
	dir, sum := fixture(t)
	type key struct{ group, uid, time, channel, inviter string }
	lines := map[key]int{}
	var joins, leaves, removals int64
	for _, f := range qqFiles(t, sum) {
		group, msgs := parseQQ(t, f)
		for _, m := range msgs {
			if m.nick != "系统消息" || m.uid != "10000" {
				continue
			}
			k, ok := parseJoin(m.body)
			switch {
			case ok:
				k.group, k.time = group, m.time
				lines[key(k)]++
				joins++
			case strings.HasSuffix(m.body, "退出本群"):
				leaves++
			case strings.HasSuffix(m.body, "被管理员移出本群"):
				removals++
			case strings.HasSuffix(m.body, "撤回了一条消息"):
			default:
				t.Errorf("%s: unknown system line %q", f, m.body)
			}
		}
	}
	if joins != sum.Joins || leaves != sum.Leaves || removals != sum.Removals {
		t.Errorf("files: %d joins %d leaves %d removals; Summary %+v", joins, leaves, removals, sum)
	}
	rows := readCSV(t, filepath.Join(dir, "members.csv"))
	if got := strings.Join(rows[0], ","); got != "platform,group,member_id,name,joined_at,channel,inviter_id,customer_key" {
		t.Fatalf("header %q", got)
	}
	var rowJoins int64
	people := map[string]bool{}
	channels := map[string]int{}
	for _, r := range rows[1:] {
		people[r[2]] = true
		channels[r[5]]++
		if r[0] != "qq" {
			t.Errorf("platform %q", r[0])
		}
		if _, err := time.Parse(time.DateTime, r[4]); err != nil {
			t.Errorf("joined_at %q: %v", r[4], err)
		}
		if r[5] == "import" {
			if r[4] >= "2026-08-31" {
				t.Errorf("founding member %s joined %s, inside the history", r[2], r[4])
			}
			continue
		}
		rowJoins++
		ch := r[5]
		if ch != "referral" && ch != "qr" {
			ch = "plain"
			if r[6] != "" {
				t.Errorf("channel %s with inviter %s", r[5], r[6])
			}
		}
		k := key{r[1], r[2], r[4], ch, r[6]}
		if lines[k] == 0 {
			t.Errorf("members.csv row %v has no matching join line", r)
			continue
		}
		lines[k]--
	}
	if rowJoins != joins {
		t.Errorf("%d join rows, %d join lines", rowJoins, joins)
	}
	if int64(len(people)) != sum.Members {
		t.Errorf("Summary.Members = %d, members.csv has %d people", sum.Members, len(people))
	}
	referral := float64(channels["referral"]) / float64(rowJoins)
	t.Logf("joins by channel %v, referral share %.2f", channels, referral)
	if referral < 0.15 || referral > 0.35 {
		t.Errorf("referral share %.2f, want 0.2–0.3", referral)
	}
}

// parseJoin reads the three join notices.
func parseJoin(body string) (k struct{ group, uid, time, channel, inviter string }, ok bool) {
	rest, ok := strings.CutSuffix(body, "加入本群")
	if !ok {
		return k, false
	}
	if y, x, found := strings.Cut(rest, "通过扫描"); found {
		x = strings.TrimSuffix(x, "分享的二维码")
		k.uid, k.channel, k.inviter = idOf(y), "qr", idOf(x)
		return k, true
	}
	if x, y, found := strings.Cut(rest, "邀请"); found {
		k.uid, k.channel, k.inviter = idOf(y), "referral", idOf(x)
		return k, true
	}
	k.uid, k.channel = idOf(rest), "plain"
	return k, true
}

// idOf takes the uid out of "nick(uid)" or "nick<mail>".
func idOf(s string) string {
	if strings.HasSuffix(s, ">") {
		return s[strings.LastIndexByte(s, '<')+1 : len(s)-1]
	}
	return s[strings.LastIndexByte(s, '(')+1 : len(s)-1]
}

func TestOrders(t *testing.T) {
	dir, sum := fixture(t)
	rows := readCSV(t, filepath.Join(dir, "orders.csv"))
	if got := strings.Join(rows[0], ","); got != "order_id,customer_key,ordered_at,amount,currency,product,status" {
		t.Fatalf("header %q", got)
	}
	if int64(len(rows)-1) != sum.Orders || sum.Orders == 0 {
		t.Fatalf("%d order rows, Summary.Orders %d", len(rows)-1, sum.Orders)
	}
	keys := map[string]bool{}
	for _, r := range readCSV(t, filepath.Join(dir, "members.csv"))[1:] {
		if r[7] != "" {
			keys[r[7]] = true
		}
	}
	ids := map[string]bool{}
	perKey := map[string]int{}
	amount := regexp.MustCompile(`^\d+\.\d{2}$`)
	for _, r := range rows[1:] {
		if ids[r[0]] {
			t.Errorf("order id %s twice", r[0])
		}
		ids[r[0]] = true
		if !keys[r[1]] {
			t.Errorf("order %s: customer key %q not in members.csv", r[0], r[1])
		}
		perKey[r[1]]++
		ts, err := time.Parse(time.DateTime, r[2])
		if err != nil || !strings.HasPrefix(r[0], "O"+ts.Format("20060102")) {
			t.Errorf("order %s at %q", r[0], r[2])
		}
		if !amount.MatchString(r[3]) || r[4] != "CNY" || (r[6] != "paid" && r[6] != "refunded") {
			t.Errorf("order row %v", r)
		}
	}
	repeat := 0
	for _, n := range perKey {
		if n >= 2 {
			repeat++
		}
	}
	t.Logf("%d orders by %d buyers, %d repeat buyers", len(rows)-1, len(perKey), repeat)
	if repeat == 0 {
		t.Error("no repeat buyers")
	}
}

// The top 10% of speakers send most messages (staff and system excluded).
func TestSpeakersPowerLaw(t *testing.T) {
	_, sum := fixture(t)
	var shares []float64
	var topAll, all int
	for _, f := range qqFiles(t, sum) {
		_, msgs := parseQQ(t, f)
		per := map[string]int{}
		for _, m := range msgs {
			if m.title == "" && m.uid != "10000" {
				per[m.uid]++
			}
		}
		counts := make([]int, 0, len(per))
		total := 0
		for _, n := range per {
			counts = append(counts, n)
			total += n
		}
		if len(counts) < 10 {
			continue
		}
		sort.Sort(sort.Reverse(sort.IntSlice(counts)))
		top := 0
		for _, n := range counts[:(len(counts)+9)/10] {
			top += n
		}
		shares = append(shares, float64(top)/float64(total))
		topAll += top
		all += total
	}
	slices.Sort(shares)
	t.Logf("top-10%% speaker share per group: %.2f", shares)
	if med := shares[len(shares)/2]; med <= 0.4 {
		t.Errorf("median top-10%% share %.2f, want > 0.4", med)
	}
	if s := float64(topAll) / float64(all); s <= 0.4 {
		t.Errorf("overall top-10%% share %.2f, want > 0.4", s)
	}
}

// The shapes the KPIs look for are there.
func TestShapes(t *testing.T) {
	dir, sum := fixture(t)
	size := map[string]int{}
	for _, r := range readCSV(t, filepath.Join(dir, "members.csv"))[1:] {
		size[r[1]]++
	}
	var questions, answered, checkins, activities, intros, placeholders, links int
	for _, f := range qqFiles(t, sum) {
		_, msgs := parseQQ(t, f)
		for i, m := range msgs {
			b := m.body
			switch {
			case m.uid == "10000":
			case m.title != "":
				if strings.HasPrefix(b, "【活动】") {
					activities++
				}
			case strings.HasSuffix(b, "？") || strings.HasSuffix(b, "?"):
				questions++
				for _, n := range msgs[i+1:] {
					if n.title != "" && strings.HasPrefix(n.body, "@"+m.nick+" ") {
						answered++
						break
					}
					if n.time > m.time[:10]+" 23:59:59" {
						break
					}
				}
			case strings.HasPrefix(b, "#打卡"):
				checkins++
			case strings.Contains(b, "大家好，我是") || strings.Contains(b, "I'm "):
				intros++
			}
			if strings.Contains(b, "[图片]") || strings.Contains(b, "[表情]") {
				placeholders++
			}
			if strings.Contains(b, "https://") {
				links++
			}
		}
	}
	t.Logf("roster rows per group %v", size)
	t.Logf("questions %d (answered the same day %d), check-ins %d, activities %d, intros %d, placeholders %d, links %d",
		questions, answered, checkins, activities, intros, placeholders, links)
	if questions == 0 || answered < questions/2 || checkins == 0 || activities == 0 || intros == 0 || placeholders == 0 || links == 0 {
		t.Error("some message shapes are missing")
	}
	var big, small int
	for _, n := range size {
		if n >= 150 {
			big++
		}
		if n <= 25 {
			small++
		}
	}
	if big == 0 || small == 0 {
		t.Errorf("want groups with 150+ and with under 25 roster rows: %v", size)
	}
}

// Odd configurations still give well-formed files inside the window.
func TestSmallConfigs(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		ny = time.FixedZone("EST", -5*3600)
	}
	both := []string{"qq", "telegram"}
	for _, c := range []Config{
		{Groups: 1, Weeks: 1, Messages: 50, End: testEnd, Formats: both},
		{Groups: 3, Weeks: 2, Messages: 3000, Seed: 7, End: time.Date(2026, 3, 11, 15, 30, 0, 0, ny), TZ: ny, Formats: both},
		{Groups: 25, Weeks: 5, Messages: 5000, Seed: -3, End: testEnd, Formats: both, TelegramOneFile: true},
	} {
		dir := t.TempDir()
		sum, err := Generate(context.Background(), dir, c)
		if err != nil {
			t.Fatal(err)
		}
		end := c.End // testEnd is already in Shanghai time
		if c.TZ != nil {
			end = end.In(c.TZ)
		}
		last := end.Format(time.DateTime)
		var n int64
		for _, f := range qqFiles(t, sum) {
			_, msgs := parseQQ(t, f)
			n += int64(len(msgs))
			for _, m := range msgs {
				if m.time >= last {
					t.Fatalf("%+v: %s: message at %s, history ends %s", c, f, m.time, last)
				}
			}
		}
		if n != sum.Messages {
			t.Errorf("%+v: %d messages, Summary says %d", c, n, sum.Messages)
		}
		var tgMsgs int64
		for _, f := range telegramFiles(sum) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if !json.Valid(data) {
				t.Errorf("%+v: %s is not valid JSON", c, f)
			}
			p := parseWith(t, format.TelegramJSON{}, f, zoneOf(c))
			tgMsgs += int64(len(p.msgs) + len(p.events))
			for _, m := range p.msgs {
				if !m.Time.Before(c.End) {
					t.Fatalf("%+v: %s: Telegram message at %s, history ends %s", c, f, m.Time, c.End)
				}
			}
		}
		if tgMsgs != sum.Messages-sum.Recalls {
			t.Errorf("%+v: %d Telegram messages and events, want %d", c, tgMsgs, sum.Messages-sum.Recalls)
		}
		for _, r := range readCSV(t, filepath.Join(dir, "orders.csv"))[1:] {
			if r[2] >= last {
				t.Errorf("order at %s, history ends %s", r[2], last)
			}
		}
	}
}

func TestCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Generate(ctx, t.TempDir(), testConfig()); err == nil {
		t.Error("no error from a cancelled context")
	}
}

// parsed is what an ingest parser read from one file.
type parsed struct {
	format.Discard
	msgs    []format.Message
	events  []format.Event
	rejects []string
}

func (p *parsed) Message(m *format.Message) error {
	c := *m
	c.Mentions = slices.Clone(m.Mentions)
	p.msgs = append(p.msgs, c)
	return nil
}
func (p *parsed) Event(e *format.Event) error     { p.events = append(p.events, *e); return nil }
func (p *parsed) Member(*format.Member) error     { return nil }
func (p *parsed) Order(*format.Order) error       { return nil }
func (p *parsed) Activity(*format.Activity) error { return nil }
func (p *parsed) Reject(_ int64, reason, _ string) error {
	p.rejects = append(p.rejects, reason)
	return nil
}

// parseWith reads path with an ingest format, as the loader would (with
// the community's zone), and checks that the format detects it.
func parseWith(t *testing.T, f format.Format, path string, tz *time.Location) *parsed {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF")) // the loader decodes UTF-8 with a BOM
	if !f.Detect(filepath.Base(path), data[:min(len(data), 64<<10)]) {
		t.Errorf("%s: not detected as %s", path, f.Name())
	}
	p := &parsed{}
	if err := f.Parse(context.Background(), format.Input{Path: path, R: bytes.NewReader(data), TZ: tz}, p); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if len(p.rejects) > 0 {
		t.Errorf("%s: %d rejects, first %q", path, len(p.rejects), p.rejects[0])
	}
	return p
}

// byGroup splits what was parsed by group name.
func (p *parsed) byGroup() map[string]*parsed {
	out := map[string]*parsed{}
	get := func(g format.Group) *parsed {
		if out[g.Name] == nil {
			out[g.Name] = &parsed{}
		}
		return out[g.Name]
	}
	for _, m := range p.msgs {
		q := get(m.Group)
		q.msgs = append(q.msgs, m)
	}
	for _, e := range p.events {
		q := get(e.Group)
		q.events = append(q.events, e)
	}
	return out
}

func telegramFiles(sum Summary) []string {
	var out []string
	for _, f := range sum.Files {
		if strings.HasSuffix(f, ".json") {
			out = append(out, f)
		}
	}
	return out
}

func zoneOf(cfg Config) *time.Location {
	if cfg.TZ != nil {
		return cfg.TZ
	}
	c, err := cfg.normalize()
	if err != nil {
		panic(err)
	}
	return c.TZ
}

// The Telegram export is the community of the QQ export: read by the ingest
// parsers, every group has the same messages (senders, times, kinds, texts,
// recalls aside) and the same joins, leaves and removals of the same people.
func TestTelegramMatchesQQ(t *testing.T) {
	dir, sum := fixture(t)
	tz := zoneOf(testConfig())
	checkSameCommunity(t, sum, tz)

	// The full-account export holds the same chats.
	cfg := testConfig()
	cfg.Formats, cfg.TelegramOneFile = []string{"telegram"}, true
	one := t.TempDir()
	so, err := Generate(context.Background(), one, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if so.Messages != sum.Messages || so.Joins != sum.Joins || so.Recalls != sum.Recalls {
		t.Errorf("telegram only: %+v\nboth: %+v", so, sum)
	}
	all := parseWith(t, format.TelegramJSON{}, filepath.Join(one, "telegram", "result.json"), tz)
	var perGroup parsed
	for _, f := range telegramFiles(sum) {
		p := parseWith(t, format.TelegramJSON{}, f, tz)
		perGroup.msgs = append(perGroup.msgs, p.msgs...)
		perGroup.events = append(perGroup.events, p.events...)
	}
	if len(all.msgs) != len(perGroup.msgs) || len(all.events) != len(perGroup.events) {
		t.Errorf("one file: %d messages %d events; files per group: %d messages %d events",
			len(all.msgs), len(all.events), len(perGroup.msgs), len(perGroup.events))
	}
	data, err := os.ReadFile(filepath.Join(one, "telegram", "result.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !json.Valid(data) {
		t.Error("telegram/result.json is not valid JSON")
	}
	var full struct {
		Chats struct {
			List []struct {
				Name, Type string
				ID         int64
				Messages   []json.RawMessage
			}
		}
	}
	if err := json.Unmarshal(data, &full); err != nil {
		t.Fatal(err)
	}
	if len(full.Chats.List) != int(sum.Groups) {
		t.Errorf("chats.list holds %d chats for %d groups", len(full.Chats.List), sum.Groups)
	}
	_ = dir
}

// A zone with a daylight-saving change inside the history: date_unixtime
// is the instant QQ's local time means there.
func TestTelegramMatchesQQDST(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no zoneinfo for America/New_York")
	}
	cfg := Config{Groups: 4, Weeks: 3, Messages: 6000, Seed: 7, End: time.Date(2026, 3, 18, 0, 0, 0, 0, ny), TZ: ny, Formats: []string{"telegram", "qq"}}
	sum, err := Generate(context.Background(), t.TempDir(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	checkSameCommunity(t, sum, ny)
}

// renamed finds the suffix Telegram gives a nick someone else has.
var renamed = regexp.MustCompile(` [0-9]+`)

func checkSameCommunity(t *testing.T, sum Summary, tz *time.Location) {
	t.Helper()
	qq, tg := &parsed{}, &parsed{}
	for _, f := range qqFiles(t, sum) {
		p := parseWith(t, format.QQText{}, f, tz)
		qq.msgs = append(qq.msgs, p.msgs...)
		qq.events = append(qq.events, p.events...)
	}
	tgFiles := telegramFiles(sum)
	if len(tgFiles) != int(sum.Groups) {
		t.Fatalf("%d Telegram files for %d groups", len(tgFiles), sum.Groups)
	}
	for _, f := range tgFiles {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if !json.Valid(data) {
			t.Errorf("%s is not valid JSON", f)
		}
		p := parseWith(t, format.TelegramJSON{}, f, tz)
		tg.msgs = append(tg.msgs, p.msgs...)
		tg.events = append(tg.events, p.events...)
	}

	// Totals: Telegram has every QQ message but the recalls; every QQ
	// system line but the recalls is a membership event in both.
	count := func(p *parsed) (msgs, recalls, system int64, ev map[string]int64) {
		ev = map[string]int64{}
		for _, m := range p.msgs {
			switch m.Kind {
			case format.KindRecall:
				recalls++
			case format.KindSystem:
				system++
			default:
				msgs++
			}
		}
		for _, e := range p.events {
			ev[e.Kind]++
		}
		return
	}
	qm, qr, qs, qe := count(qq)
	tm, tr, ts, te := count(tg)
	t.Logf("QQ: %d messages, %d recalls, %d system, events %v", qm, qr, qs, qe)
	t.Logf("Telegram: %d messages, %d recalls, %d system, events %v", tm, tr, ts, te)
	if qm != tm || tr != 0 || qs != 0 || ts != 0 || qr != sum.Recalls {
		t.Errorf("messages: QQ %d (+%d recalls, %d system), Telegram %d (%d recalls, %d system); Summary.Recalls %d", qm, qr, qs, tm, tr, ts, sum.Recalls)
	}
	want := map[string]int64{format.EventJoin: sum.Joins, format.EventLeave: sum.Leaves, format.EventRemoved: sum.Removals}
	if !maps.Equal(qe, want) || !maps.Equal(te, want) {
		t.Errorf("events: QQ %v, Telegram %v, Summary %v", qe, te, want)
	}
	if qm+qr+int64(len(qq.events)) != sum.Messages {
		t.Errorf("QQ: %d messages, %d recalls and %d events; Summary.Messages %d", qm, qr, len(qq.events), sum.Messages)
	}

	// Group by group, message by message. QQ numbers are Telegram's user
	// ids; people known by e-mail get one id each.
	qg, tgg := qq.byGroup(), tg.byGroup()
	if len(qg) != len(tgg) {
		t.Fatalf("%d QQ groups, %d Telegram groups", len(qg), len(tgg))
	}
	ids := map[string]string{}
	same := func(qqUID, tgUID string) bool {
		if !strings.HasPrefix(tgUID, "user") {
			return false
		}
		if _, err := strconv.ParseUint(qqUID, 10, 64); err == nil {
			return tgUID == "user"+qqUID
		}
		if prev, ok := ids[qqUID]; ok {
			return prev == tgUID
		}
		ids[qqUID] = tgUID
		return true
	}
	var textDiffs, unresolved, events int
	for name, q := range qg {
		g := tgg[name]
		if g == nil {
			t.Errorf("group %s: not in the Telegram export", name)
			continue
		}
		var qmsgs []format.Message
		for _, m := range q.msgs {
			if m.Kind != format.KindRecall {
				qmsgs = append(qmsgs, m)
			}
		}
		if len(qmsgs) != len(g.msgs) {
			t.Errorf("group %s: %d QQ messages, %d Telegram messages", name, len(qmsgs), len(g.msgs))
			continue
		}
		for i, a := range qmsgs {
			b := g.msgs[i]
			if !a.Time.Equal(b.Time) || a.Kind != b.Kind || !same(a.Sender.UID, b.Sender.UID) {
				t.Fatalf("group %s, message %d:\nQQ       %s %s %s %q\nTelegram %s %s %s %q", name, i,
					a.Time, a.Sender.UID, a.Kind, a.Text, b.Time, b.Sender.UID, b.Kind, b.Text)
			}
			if (a.Kind == format.KindText || a.Kind == format.KindLink) && a.Text != b.Text {
				// Only a mention of someone whose nick Telegram had to tell
				// apart ("小伟 2") may differ.
				if !strings.Contains(a.Text, "@") || renamed.ReplaceAllString(a.Text, "") != renamed.ReplaceAllString(b.Text, "") {
					t.Errorf("group %s, message %d: QQ %q, Telegram %q", name, i, a.Text, b.Text)
				}
				textDiffs++
			}
		}
		// Events: the same kinds at the same times. Telegram names members
		// without ids: resolved here as the loader does, to the sender seen
		// under that name in the group; one who never spoke stays unresolved.
		byName := map[string]string{}
		for _, m := range g.msgs {
			if m.Sender.UID != "" && m.Sender.Name != "" {
				byName[m.Sender.Name] = m.Sender.UID
			}
		}
		for i := range g.events {
			if e := &g.events[i]; e.Member.UID == "" {
				if uid, ok := byName[e.Member.Name]; ok {
					e.Member.UID = uid
				} else {
					e.Member.UID = "name:" + e.Member.Name
				}
			}
		}
		key := func(e format.Event) string { return e.Time.UTC().Format(time.DateTime) + " " + e.Kind }
		sortEvents := func(es []format.Event) {
			slices.SortStableFunc(es, func(a, b format.Event) int {
				if c := a.Time.Compare(b.Time); c != 0 {
					return c
				}
				return strings.Compare(a.Kind, b.Kind)
			})
		}
		sortEvents(q.events)
		sortEvents(g.events)
		if len(q.events) != len(g.events) {
			t.Errorf("group %s: %d QQ events, %d Telegram events", name, len(q.events), len(g.events))
			continue
		}
		for i, a := range q.events {
			b := g.events[i]
			events++
			if key(a) != key(b) {
				t.Errorf("group %s: event %d: QQ %s, Telegram %s", name, i, key(a), key(b))
				continue
			}
			if strings.HasPrefix(b.Member.UID, "name:") {
				unresolved++
				continue
			}
			if !same(a.Member.UID, b.Member.UID) {
				// Several events at one second may sort differently.
				if !slices.ContainsFunc(g.events, func(c format.Event) bool {
					return key(c) == key(a) && same(a.Member.UID, c.Member.UID)
				}) {
					t.Errorf("group %s: %s of %s (QQ), %s (Telegram)", name, key(a), a.Member.UID, b.Member.UID)
				}
			}
			if a.Source == format.SourceReferral && (b.Source != format.SourceReferral || !same(a.Inviter.UID, b.Inviter.UID)) {
				t.Errorf("group %s: referral %s by %s (QQ), %s by %s (Telegram)", name, key(a), a.Inviter.UID, b.Source, b.Inviter.UID)
			}
		}
	}
	t.Logf("%d texts differ by a renamed mention; %d of %d events name a member who never spoke", textDiffs, unresolved, events)
	if unresolved > events/5 {
		t.Errorf("%d of %d events without a user id", unresolved, events)
	}
}

// ConcatQQ makes one QQ export of several sections that reads as the
// groups' files do.
func TestConcatQQ(t *testing.T) {
	for _, crlf := range []bool{false, true} {
		cfg := testConfig()
		cfg.Groups, cfg.Messages, cfg.CRLF, cfg.BOM = 5, 5000, crlf, crlf
		dir := t.TempDir()
		sum, err := Generate(context.Background(), dir, cfg)
		if err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(dir, "qq-all.txt")
		if err := ConcatQQ(dir, out); err != nil {
			t.Fatal(err)
		}
		tz := zoneOf(cfg)
		all := parseWith(t, format.QQText{}, out, tz)
		var msgs, events int
		var size int64
		for _, f := range qqFiles(t, sum) {
			p := parseWith(t, format.QQText{}, f, tz)
			msgs += len(p.msgs)
			events += len(p.events)
			st, _ := os.Stat(f)
			size += st.Size()
		}
		groups := all.byGroup()
		if len(all.msgs) != msgs || len(all.events) != events || len(groups) != int(sum.Groups) {
			t.Errorf("crlf %v: qq-all.txt has %d messages, %d events, %d groups; the files %d, %d, %d",
				crlf, len(all.msgs), len(all.events), len(groups), msgs, events, sum.Groups)
		}
		st, err := os.Stat(out)
		if err != nil {
			t.Fatal(err)
		}
		if st.Size() >= size {
			t.Errorf("qq-all.txt has %d bytes, the files %d: the banner of each was kept", st.Size(), size)
		}
		// The folder of QQ files works too, and qq-all.txt is not read
		// into itself.
		out2 := filepath.Join(dir, "qq", "all.txt")
		if err := ConcatQQ(filepath.Join(dir, "qq"), out2); err != nil {
			t.Fatal(err)
		}
		a, _ := os.ReadFile(out)
		b, _ := os.ReadFile(out2)
		if !bytes.Equal(a, b) {
			t.Error("ConcatQQ of dir and of dir/qq differ")
		}
		if err := ConcatQQ(filepath.Join(dir, "qq"), out2); err != nil {
			t.Fatal(err)
		}
		if b, _ = os.ReadFile(out2); !bytes.Equal(a, b) {
			t.Error("ConcatQQ read its own output")
		}
	}
	if err := ConcatQQ(t.TempDir(), filepath.Join(t.TempDir(), "x.txt")); err == nil {
		t.Error("no error for a folder without QQ exports")
	}
}

func TestFormatsOption(t *testing.T) {
	cfg := testConfig()
	cfg.Groups, cfg.Messages, cfg.Formats = 2, 500, []string{"wechat"}
	if _, err := Generate(context.Background(), t.TempDir(), cfg); err == nil {
		t.Error("no error for an unknown format")
	}
	cfg.Formats = []string{"telegram"}
	dir := t.TempDir()
	sum, err := Generate(context.Background(), dir, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "qq")); err == nil {
		t.Error("qq/ written without the qq format")
	}
	if len(telegramFiles(sum)) != 2 || len(sum.Files) != 4 {
		t.Errorf("files %v", sum.Files)
	}
}

func BenchmarkGenerate(b *testing.B) {
	cfg := testConfig()
	cfg.Groups, cfg.Messages = 40, 200000
	dir := b.TempDir()
	var sum Summary
	var err error
	n := 0
	for b.Loop() {
		if sum, err = Generate(context.Background(), dir, cfg); err != nil {
			b.Fatal(err)
		}
		n++
	}
	b.SetBytes(sum.Bytes)
	b.ReportMetric(float64(sum.Messages)*float64(n)/b.Elapsed().Seconds(), "msgs/s")
	b.ReportMetric(float64(sum.Bytes)/float64(sum.Messages), "B/msg")
}

// BenchmarkGenerateTelegram writes the Telegram export alone, and
// BenchmarkGenerateBoth both formats in one pass.
func BenchmarkGenerateTelegram(b *testing.B) { benchFormats(b, "telegram") }
func BenchmarkGenerateBoth(b *testing.B)     { benchFormats(b, "qq", "telegram") }

func benchFormats(b *testing.B, formats ...string) {
	cfg := testConfig()
	cfg.Groups, cfg.Messages, cfg.Formats = 40, 200000, formats
	dir := b.TempDir()
	var sum Summary
	var err error
	n := 0
	for b.Loop() {
		if sum, err = Generate(context.Background(), dir, cfg); err != nil {
			b.Fatal(err)
		}
		n++
	}
	var tgBytes int64
	for _, f := range telegramFiles(sum) {
		st, err := os.Stat(f)
		if err != nil {
			b.Fatal(err)
		}
		tgBytes += st.Size()
	}
	b.SetBytes(sum.Bytes)
	b.ReportMetric(float64(sum.Messages)*float64(n)/b.Elapsed().Seconds(), "msgs/s")
	b.ReportMetric(float64(tgBytes)/float64(sum.Messages-sum.Recalls), "tgB/msg")
}
