package synth

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
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

func fixture(t *testing.T) (string, Summary) {
	t.Helper()
	fixtureOnce.Do(func() {
		fixtureDir, fixtureErr = os.MkdirTemp("", "synth")
		if fixtureErr == nil {
			fixtureSum, fixtureErr = Generate(context.Background(), fixtureDir, testConfig())
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
	a, b := t.TempDir(), t.TempDir()
	sa, err := Generate(context.Background(), a, cfg)
	if err != nil {
		t.Fatal(err)
	}
	sb, err := Generate(context.Background(), b, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(sa.Files) != len(sb.Files) || sa.Messages != sb.Messages || sa.Bytes != sb.Bytes {
		t.Fatalf("summaries differ:\n%+v\n%+v", sa, sb)
	}
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
	}
	// Another seed gives other data.
	cfg.Seed = 2
	c := t.TempDir()
	sc, err := Generate(context.Background(), c, cfg)
	if err != nil {
		t.Fatal(err)
	}
	da, _ := os.ReadFile(sa.Files[2])
	dc, _ := os.ReadFile(sc.Files[2])
	if bytes.Equal(da, dc) {
		t.Error("seed 2 wrote the same first group as seed 1")
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
	for _, c := range []Config{
		{Groups: 1, Weeks: 1, Messages: 50, End: testEnd},
		{Groups: 3, Weeks: 2, Messages: 3000, Seed: 7, End: time.Date(2026, 3, 11, 15, 30, 0, 0, ny), TZ: ny},
		{Groups: 25, Weeks: 5, Messages: 5000, Seed: -3, End: testEnd},
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
