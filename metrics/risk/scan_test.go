package risk_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ckpi/ckpi/ingest"
	"github.com/ckpi/ckpi/metrics"
	"github.com/ckpi/ckpi/metrics/risk"
	"github.com/ckpi/ckpi/queries"
)

var shanghai = mustZone("Asia/Shanghai")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// fixtureDB loads QQ exports of testdata/risk into a new database file with
// the fixtures' staff: 小美 (10001) and Anna (10002).
func fixtureDB(t *testing.T, files ...string) *sql.DB {
	t.Helper()
	ctx := context.Background()
	db, err := queries.Open(ctx, filepath.Join(t.TempDir(), "ckpi.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	for _, f := range files {
		res := ingest.LoadFile(ctx, db, filepath.Join("../../testdata/risk", f), ingest.Options{TZ: shanghai})
		if res.Err != nil || res.Status != ingest.StatusLoaded {
			t.Fatalf("load %s: %s %v", f, res.Status, res.Err)
		}
	}
	staff := []ingest.Staff{{Platform: "qq", UID: "10001", Role: "service"}, {Platform: "qq", UID: "10002", Role: "owner"}}
	if err := ingest.SetStaff(ctx, db, staff); err != nil {
		t.Fatal(err)
	}
	return db
}

func scan(t *testing.T, db *sql.DB, rules *risk.Rules) *risk.ScanResult {
	t.Helper()
	res, err := risk.Scan(context.Background(), db, rules, risk.ScanOptions{TZ: shanghai})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// violationLines are the stored violations as "local time | uid | rule |
// category | evidence", oldest first.
func violationLines(t *testing.T, db *sql.DB) []string {
	t.Helper()
	vs, err := risk.Report(context.Background(), db, risk.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, v := range vs {
		out = append(out, fmt.Sprintf("%s | %s | %s | %s | %s", v.Time.In(shanghai).Format("01-02 15:04:05"), v.UID, v.Rule, v.Category, v.Evidence))
	}
	return out
}

func diffLines(t *testing.T, what string, got, want []string) {
	t.Helper()
	if slices.Equal(got, want) {
		return
	}
	t.Errorf("%s:\n got:\n  %s\nwant:\n  %s", what, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
}

// TestDetectorsChinese checks every detector of the default rules on a
// Chinese group (testdata/risk/zh-group.txt), with the messages that must
// not be flagged beside them.
func TestDetectorsChinese(t *testing.T) {
	db := fixtureDB(t, "zh-group.txt")
	res := scan(t, db, risk.Default())
	// Worked out by hand from the export:
	//   09:00 staff 小美 announces the rules (禁止广告...)   staff: exempt
	//   09:10 王芳 "你就是个傻逼"                             abuse 傻逼
	//   09:12 刘洋 quotes 群规 naming "傻逼"                  spared by the quote guard
	//   09:20 陈静 "低价代购..."                              advertising 代购
	//   09:25 刘洋 "加我微信 abc12345"                        contact_details 加我微信
	//   09:30 张伟 "我的电话13812345678"                      contact_details (mobile number)
	//   09:40 staff: 加我微信 + a link to partner-shop.cn    staff: exempt
	//   09:45 王芳 links help.example.com                    allowed domain
	//   09:50 陈静 links shop.spam-site.cn                   links
	//   10:00 刘洋 "台独"                                     political
	//   10:05 张伟 "约炮"                                     indecent
	//   10:10 王芳 reports the spam link (举报)               spared by the quote guard
	//   20:00:00-20:00:40 赵敏, 9 messages 5 s apart         flood_rate once, at the 8th (35 s)
	//   21:00, 21:03, 21:06 孙丽 the same text                flood_repeat at the 3rd (360 s)
	//   21:10 张伟 "收到" ×3 in 40 s                           too short for a repeat, too few for a flood
	//   21:30 陈静 [文件] 56.3MB                              oversized_media (limit 20 MB)
	//   21:31 刘洋 [文件] 2.1MB                               under the limit
	//   22:00 代购小王|VX:daigou888 speaks                    nickname_banned (the name, first seen then)
	//   11-17 10:00 广告号 joins, 10:15 posts a spam link, 10:45 leaves:
	//                                                        advertising, links, hit_and_run
	//   11-17 11:00 新人小李 joins, shares help.example.com, leaves at 11:30:
	//                                                        an allowed link: not hit_and_run
	want := []string{
		"11-16 09:10:00 | 2002 | abuse | abuse | 傻逼",
		"11-16 09:20:00 | 2004 | advertising | advertising | 代购",
		"11-16 09:25:00 | 2003 | contact_details | advertising | 加我微信",
		"11-16 09:30:00 | 2001 | contact_details | advertising | 13812345678",
		"11-16 09:50:00 | 2004 | links | advertising | https://shop.spam-site.cn/item?id=1",
		"11-16 10:00:00 | 2003 | political | political | 台独",
		"11-16 10:05:00 | 2001 | indecent | indecent | 约炮",
		"11-16 20:00:35 | 2006 | flood_rate | flooding | 8 messages in 35s",
		`11-16 21:06:00 | 2007 | flood_repeat | flooding | "快来看看我的新作品" ×3 in 360s`,
		"11-16 21:30:00 | 2004 | oversized_media | media | 56.3 MB",
		"11-16 22:00:00 | 2005 | nickname_banned | nickname | 代购: 代购小王|VX:daigou888",
		"11-17 10:15:00 | 3001 | advertising | advertising | 免费领取",
		"11-17 10:15:00 | 3001 | hit_and_run | advertising | https://spam.example.net/free: posted 15 min after joining, left 45 min after joining",
		"11-17 10:15:00 | 3001 | links | advertising | https://spam.example.net/free",
	}
	diffLines(t, "violations", violationLines(t, db), want)
	if res.Found != int64(len(want)) || res.Added != int64(len(want)) || res.Dropped != 0 || res.Violations != int64(len(want)) {
		t.Errorf("result = %+v", res)
	}
}

// TestDetectorsEnglish is the same on an English group.
func TestDetectorsEnglish(t *testing.T) {
	db := fixtureDB(t, "en-group.txt")
	scan(t, db, risk.Default())
	// Worked out by hand from testdata/risk/en-group.txt:
	//   09:00 owner Anna: rules + a partner link          staff: exempt
	//   09:05 Mia "You're so stupid"                       abuse
	//   09:06 Ryan quotes the group rules naming "idiot"   spared by the quote guard
	//   09:07 Elena "idiotproof"                           not a whole word
	//   09:10 Sam "Guaranteed profit ... DM me"            advertising and contact_details
	//   09:20 Ryan https://bit.ly/...                      links
	//   09:21 Elena github.com and help.example.com        allowed domains
	//   09:30 Mia "election fraud"                         political
	//   09:40 Elena "porn"                                 indecent
	//   10:00 Sam "[File] recording.mp4 (1.2 GB)"          oversized_media
	//   10:05 "NSFW Pics" speaks                           nickname_banned
	//   11:00 Promo Bot joins, 11:20 posts www.cheap-watches.biz, 11:40 removed:
	//                                                      links, hit_and_run
	want := []string{
		"11-18 09:05:00 | 4001 | abuse | abuse | You're so stupid",
		"11-18 09:10:00 | 4004 | advertising | advertising | Guaranteed profit",
		"11-18 09:10:00 | 4004 | contact_details | advertising | DM me",
		"11-18 09:20:00 | 4002 | links | advertising | https://bit.ly/3xYzAb",
		"11-18 09:30:00 | 4001 | political | political | election fraud",
		"11-18 09:40:00 | 4003 | indecent | indecent | porn",
		"11-18 10:00:00 | 4004 | oversized_media | media | 1.2 GB",
		"11-18 10:05:00 | 4005 | nickname_banned | nickname | NSFW: NSFW Pics",
		"11-18 11:20:00 | 4010 | hit_and_run | advertising | www.cheap-watches.biz: posted 20 min after joining, removed 40 min after joining",
		"11-18 11:20:00 | 4010 | links | advertising | www.cheap-watches.biz",
	}
	diffLines(t, "violations", violationLines(t, db), want)
}

// TestStaffAreExemptOnlyWhenTheRuleSaysSo turns exempt_staff off: the staff
// link and contact of the Chinese fixture are then violations too.
func TestStaffAreExemptOnlyWhenTheRuleSaysSo(t *testing.T) {
	db := fixtureDB(t, "zh-group.txt")
	rules := risk.Default()
	off := false
	for i := range rules.Rules {
		if rules.Rules[i].Name == "links" || rules.Rules[i].Name == "contact_details" {
			rules.Rules[i].ExemptStaff = &off
		}
	}
	scan(t, db, rules)
	var staff []string
	for _, l := range violationLines(t, db) {
		if strings.Contains(l, "| 10001 |") {
			staff = append(staff, l)
		}
	}
	diffLines(t, "staff violations", staff, []string{
		"11-16 09:40:00 | 10001 | contact_details | advertising | 加我微信",
		"11-16 09:40:00 | 10001 | links | advertising | https://www.partner-shop.cn/signup",
	})
}

// TestRescanIsIdempotent scans twice (nothing new), then with a rule
// turned off (its violations are dropped), then from a later day (earlier
// violations stay).
func TestRescanIsIdempotent(t *testing.T) {
	db := fixtureDB(t, "zh-group.txt", "en-group.txt")
	first := scan(t, db, risk.Default())
	ids := violationIDs(t, db)
	again := scan(t, db, risk.Default())
	if again.Added != 0 || again.Dropped != 0 || again.Found != first.Found || !slices.Equal(violationIDs(t, db), ids) {
		t.Fatalf("rescan: %+v (first %+v)", again, first)
	}

	rules := risk.Default()
	off := false
	for i := range rules.Rules {
		if rules.Rules[i].Name == "links" {
			rules.Rules[i].Enabled = &off
		}
	}
	without := scan(t, db, rules)
	if without.Dropped != 4 || without.Violations != first.Violations-4 {
		t.Fatalf("links off: dropped %d, stored %d (before %d)", without.Dropped, without.Violations, first.Violations)
	}

	// From 11-18 on, with links back: the English group's two links come
	// back, the Chinese group's (11-16, 11-17) stay dropped: not scanned.
	res, err := risk.Scan(context.Background(), db, risk.Default(), risk.ScanOptions{TZ: shanghai, Since: time.Date(2026, 11, 18, 0, 0, 0, 0, shanghai)})
	if err != nil {
		t.Fatal(err)
	}
	if res.Added != 2 || res.Dropped != 0 || res.Violations != first.Violations-2 {
		t.Fatalf("since 11-18: %+v", res)
	}
}

func violationIDs(t *testing.T, db *sql.DB) []int64 {
	t.Helper()
	rows, err := db.Query(`SELECT violation_id FROM violations ORDER BY violation_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids
}

// TestCooldownMakesOneOffence: 陈静's ad (09:20) and link (09:50) are one
// offence under the default 1 h cooldown, so her oversized file (21:30) is
// her 2nd strike; with no cooldown each is a strike of its own.
func TestCooldownMakesOneOffence(t *testing.T) {
	db := fixtureDB(t, "zh-group.txt")
	steps := func() []string {
		vs, err := risk.Report(context.Background(), db, risk.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, v := range vs {
			if v.UID == "2004" {
				out = append(out, fmt.Sprintf("%s %d %s", v.Rule, *v.Strike, *v.Step))
			}
		}
		return out
	}
	scan(t, db, risk.Default())
	diffLines(t, "1h cooldown", steps(), []string{"advertising 1 warning", "links 1 warning", "oversized_media 2 public_notice_mute"})
	rules := risk.Default()
	rules.Ladder.Cooldown = 0
	scan(t, db, rules)
	diffLines(t, "no cooldown", steps(), []string{"advertising 1 warning", "links 2 public_notice_mute", "oversized_media 3 removal"})
}

// TestLadderOverThreeWeeksAndBlacklist follows 李四 (5001) in 星河用户北京站:
// abuse in week 45 (1st: warning), an ad in week 46 (2nd: public notice and
// mute), abuse in week 47 (3rd: removal), removed 20 minutes later; he is
// then blacklisted automatically and his joining 星河用户上海站 on 11-20 is
// an alert. 赵六 (5003) reaches removal on 11-20 and is not removed: a
// pending action. The blacklist file lists 钱七 (6001), in 上海站 since 10-01.
func TestLadderOverThreeWeeksAndBlacklist(t *testing.T) {
	ctx := context.Background()
	db := fixtureDB(t, "ladder-a.txt", "ladder-b.txt")
	rules := risk.Default()
	rules.Blacklist.Files = []string{"../../testdata/risk/blacklist.txt"}
	res := scan(t, db, rules)

	vs, err := risk.Report(ctx, db, risk.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, v := range vs {
		acted := "-"
		if v.Acted != nil {
			acted = fmt.Sprint(*v.Acted)
		}
		got = append(got, fmt.Sprintf("%s %s %s %s strike %d %s acted %s", v.Time.In(shanghai).Format("01-02 15:04"), v.Group, v.UID, v.Rule, *v.Strike, *v.Step, acted))
	}
	diffLines(t, "ladder", got, []string{
		"11-02 10:00 星河用户北京站 5001 abuse strike 1 warning acted -",
		"11-10 10:00 星河用户北京站 5001 advertising strike 2 public_notice_mute acted -",
		"11-17 10:00 星河用户北京站 5001 abuse strike 3 removal acted true",
		"11-18 10:00 星河用户北京站 5003 abuse strike 1 warning acted -",
		"11-19 10:00 星河用户北京站 5003 abuse strike 2 public_notice_mute acted -",
		"11-20 10:00 星河用户北京站 5003 abuse strike 3 removal acted false",
	})
	if res.Offences != 6 {
		t.Errorf("offences = %d", res.Offences)
	}

	// Pending at the end of week 47: 赵六, not 李四 (removed).
	weekEnd := time.Date(2026, 11, 23, 0, 0, 0, 0, shanghai)
	acts, err := risk.Pending(ctx, db, weekEnd, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(acts) != 1 || acts[0].UID != "5003" || acts[0].Strike != 3 || acts[0].Evidence != "去死" {
		t.Errorf("pending = %+v", acts)
	}
	// Before his third offence nothing was owed.
	if acts, _ := risk.Pending(ctx, db, time.Date(2026, 11, 20, 0, 0, 0, 0, shanghai), nil); len(acts) != 0 {
		t.Errorf("pending on 11-20 = %+v", acts)
	}

	// The blacklist: 李四 added automatically from his removal; the file's
	// two entries; alerts for 李四 joining 上海站 and for 钱七 there.
	es, err := risk.Blacklist(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	var list []string
	for _, e := range es {
		list = append(list, e.Label()+" "+e.Source+" "+e.Reason)
	}
	slices.Sort(list)
	diffLines(t, "blacklist", list, []string{
		"customer_key:ab12cd34ef56 file chargeback fraud",
		"qq:5001 auto removed from 星河用户北京站 after abuse",
		"qq:6001 file known troll from another community",
	})
	hits, err := risk.Hits(ctx, db, time.Time{}, time.Time{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var alerts []string
	for _, h := range hits {
		alerts = append(alerts, fmt.Sprintf("%s %s %s %s", h.Time.In(shanghai).Format("01-02 15:04"), h.Group, h.Entry, h.How))
	}
	diffLines(t, "alerts", alerts, []string{
		"11-20 15:00 星河用户上海站 qq:5001 join",
		"10-01 09:00 星河用户上海站 qq:6001 join",
	})

	// Points at the end of week 47 (initial 10):
	//   王五 +1 +1 check-ins, +1 answering 赵六's question, +2 sharing = 15
	//   孙七 10, joined 10-10 10:00 and never spoke: 43 days silent
	//   周八 +1 +1 check-ins, -2 forfeited leaving on 11-08, back on 11-09 = 10
	//   赵六 three offences at -5 = -5: below the threshold of 1
	//   李四 (removed) is not in the group; in 上海站 he has 10.
	board, err := risk.Board(ctx, db, rules, weekEnd, nil)
	if err != nil {
		t.Fatal(err)
	}
	var standings []string
	for _, s := range board {
		standings = append(standings, fmt.Sprintf("%s #%d %s %d silent %d [%s]", s.Group, s.Rank, s.UID, s.Balance, *s.DaysSilent, strings.Join(s.Reasons, "; ")))
	}
	diffLines(t, "points", standings, []string{
		"星河用户上海站 #1 5001 10 silent 2 []",
		"星河用户上海站 #1 6001 10 silent 6 []",
		"星河用户北京站 #1 5002 15 silent 17 []",
		"星河用户北京站 #2 5004 10 silent 43 [never spoke in 43 days]",
		"星河用户北京站 #2 5005 10 silent 1 []",
		"星河用户北京站 #4 5003 -5 silent 2 [balance -5 below 1]",
	})

	// The risk metrics of week 47.
	cat, err := metrics.LoadCatalog("")
	if err != nil {
		t.Fatal(err)
	}
	week, err := metrics.ParsePeriod(metrics.GrainWeek, "2026-W47", shanghai)
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]map[string]int64{
		// 李四 11-17, 赵六 11-18, 11-19, 11-20 (week 47); abuse all.
		"risk_violations": {"violations": 4, "violators": 2, "abuse": 4, "advertising": 0},
		// At the week's end both are on the removal step; 李四 was removed.
		"risk_ladder": {"offences": 4, "warning": 0, "notice_mute": 0, "removal": 2, "removed": 1, "pending_removals": 1},
		// 李四 joining 上海站; 钱七's alert is from week 40.
		"risk_blacklist": {"hits": 1, "people": 1, "joins": 1},
	} {
		def, err := cat.Get(name)
		if err != nil {
			t.Fatal(err)
		}
		r, err := metrics.Run(ctx, db, def, metrics.Params{Period: week})
		if err != nil {
			t.Fatal(err)
		}
		total := r.Total()
		for col, n := range want {
			if got, ok := total[col].(int64); !ok || got != n {
				t.Errorf("%s.%s = %v, want %d", name, col, total[col], n)
			}
		}
	}
}

func TestBlacklistFileErrors(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "bl.txt")
	writeFile(t, path, "# list\nqq:1 ok\n\n12345 no platform\n")
	if _, err := risk.ReadBlacklistFile(path); err == nil || !strings.Contains(err.Error(), "bl.txt:4:") {
		t.Errorf("err = %v", err)
	}
	writeFile(t, path, "\ufeffqq:1\tok\ncustomer_key:abc\n")
	es, err := risk.ReadBlacklistFile(path)
	if err != nil || len(es) != 2 || es[0].Key != "1" || es[0].Reason != "ok" || es[1].Kind != "customer_key" {
		t.Errorf("entries = %+v, %v", es, err)
	}
}

// TestBlacklistAddRemove: an entry from the command line raises its alerts
// at once and goes with remove.
func TestBlacklistAddRemove(t *testing.T) {
	ctx := context.Background()
	db := fixtureDB(t, "ladder-b.txt")
	scan(t, db, risk.Default())
	if _, err := risk.AddToBlacklist(ctx, db, "qq:6001", "troll", time.Now()); err != nil {
		t.Fatal(err)
	}
	hits, err := risk.Hits(ctx, db, time.Time{}, time.Time{}, nil)
	if err != nil || len(hits) != 1 || hits[0].UID != "6001" || hits[0].Reason != "troll" {
		t.Fatalf("hits = %+v, %v", hits, err)
	}
	if err := risk.RemoveFromBlacklist(ctx, db, "qq:6001"); err != nil {
		t.Fatal(err)
	}
	if hits, _ := risk.Hits(ctx, db, time.Time{}, time.Time{}, nil); len(hits) != 0 {
		t.Errorf("hits after remove = %+v", hits)
	}
	if err := risk.RemoveFromBlacklist(ctx, db, "qq:6001"); err == nil {
		t.Error("removing twice succeeded")
	}
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}
