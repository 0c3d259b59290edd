package ingest_test

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ckpi/ckpi/ingest"
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

func openDB(t testing.TB) *sql.DB {
	t.Helper()
	db, err := queries.Open(context.Background(), filepath.Join(t.TempDir(), "ckpi.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func load(t testing.TB, db *sql.DB, path string, opt ingest.Options) ingest.Result {
	t.Helper()
	if opt.TZ == nil {
		opt.TZ = shanghai
	}
	return ingest.LoadFile(context.Background(), db, path, opt)
}

func mustLoad(t testing.TB, db *sql.DB, paths ...string) {
	t.Helper()
	for _, p := range paths {
		if r := load(t, db, p, ingest.Options{}); r.Err != nil {
			t.Fatalf("load %s: %v", p, r.Err)
		}
	}
}

func count(t testing.TB, db *sql.DB, query string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := db.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// snapshot counts the rows of every canonical table.
func snapshot(t testing.TB, db *sql.DB) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	for _, table := range []string{"groups", "members", "member_names", "membership_events", "messages", "orders", "activities", "staff", "ingest_log", "rejects"} {
		out[table] = count(t, db, "SELECT count(*) FROM "+table)
	}
	return out
}

const community = "../testdata/qq/community.txt"

func TestLoadQQCommunity(t *testing.T) {
	db := openDB(t)
	r := load(t, db, community, ingest.Options{})
	if r.Err != nil || r.Status != ingest.StatusLoaded || r.Format != "qq-txt" {
		t.Fatalf("result = %+v", r)
	}
	// 15 sender blocks are messages (one of them a recall); 6 are
	// membership notices: referral, QR, two plain joins, a removal, a leave.
	want := map[string]int64{
		"groups": 1, "messages": 15, "membership_events": 6, "ingest_log": 1, "rejects": 0,
		// 小美, 孙丽, 陈静, 张伟, 杨磊, 李娜, 周杰, 王芳 speak; 赵敏 and 刘洋
		// appear only in notices.
		"members": 10,
	}
	got := snapshot(t, db)
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %d, want %d", k, got[k], v)
		}
	}
	checks := []struct {
		query string
		want  int64
	}{
		{`SELECT count(*) FROM messages WHERE kind = 'sticker'`, 2},
		{`SELECT count(*) FROM messages WHERE kind = 'image'`, 1},
		{`SELECT count(*) FROM messages WHERE kind = 'link'`, 2},
		{`SELECT count(*) FROM messages WHERE kind = 'recall'`, 1},
		{`SELECT count(DISTINCT message_id) FROM messages`, 15},
		{`SELECT count(*) FROM membership_events WHERE kind = 'join' AND source = 'referral'`, 1},
		{`SELECT count(*) FROM membership_events WHERE kind = 'join' AND source = 'qr'`, 1},
		{`SELECT count(*) FROM membership_events WHERE kind = 'join' AND source = 'unknown'`, 2},
		{`SELECT count(*) FROM membership_events WHERE kind = 'leave'`, 1},
		{`SELECT count(*) FROM membership_events WHERE kind = 'removed'`, 1},
		// The inviter of the QR join is 王芳 (1002).
		{`SELECT count(*) FROM membership_events e JOIN members m ON m.member_id = e.inviter_id WHERE e.source = 'qr' AND m.platform_uid = '1002'`, 1},
		// The e-mail identity is a member of its own.
		{`SELECT count(*) FROM members WHERE platform_uid = 'sunli@example.com' AND display_name = '孙丽'`, 1},
		// Titles such as 【管理员】 are not part of the nick.
		{`SELECT count(*) FROM members WHERE display_name = '小美|官方客服|上海'`, 1},
		// 00:30 on Monday in Shanghai is 16:30 UTC on Sunday.
		{`SELECT count(*) FROM messages WHERE ts = TIMESTAMP '2026-11-15 16:30:00' AND source_tz = 'Asia/Shanghai'`, 1},
		// A separator line inside a body is text, not a header.
		{`SELECT count(*) FROM messages WHERE text = '================================================================' || chr(10) || '本周总结：收获很多'`, 1},
		{`SELECT count(*) FROM messages WHERE text LIKE '%从事产品设计' || chr(10) || '喜欢跑步'`, 1},
		{`SELECT count(*) FROM messages WHERE list_contains(mentions, '杨磊')`, 1},
	}
	for _, c := range checks {
		if got := count(t, db, c.query); got != c.want {
			t.Errorf("%s = %d, want %d", c.query, got, c.want)
		}
	}
}

func TestLoadTwiceAddsNothing(t *testing.T) {
	db := openDB(t)
	files := []string{community, "../testdata/qq/members.csv", "../testdata/qq/orders.csv"}
	mustLoad(t, db, files...)
	before := snapshot(t, db)
	for _, f := range files {
		r := load(t, db, f, ingest.Options{})
		// Recognised by size and checksum before any parsing.
		if r.Err != nil || r.Status != ingest.StatusSkipped || r.Rows != 0 {
			t.Fatalf("second load of %s: %+v", f, r)
		}
	}
	if after := snapshot(t, db); !equalCounts(before, after) {
		t.Fatalf("counts changed:\nbefore %v\nafter  %v", before, after)
	}
	// A different file of the same size is still loaded.
	raw, err := os.ReadFile(files[2])
	if err != nil {
		t.Fatal(err)
	}
	same := filepath.Join(t.TempDir(), "orders.csv")
	if err := os.WriteFile(same, []byte(strings.Replace(string(raw), "paid", "pai2", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := load(t, db, same, ingest.Options{}); r.Err != nil || r.Status != ingest.StatusLoaded {
		t.Fatalf("a same-size file: %+v", r)
	}
}

func TestRosterAndOrders(t *testing.T) {
	db := openDB(t)
	mustLoad(t, db, community, "../testdata/qq/members.csv", "../testdata/qq/orders.csv")
	checks := []struct {
		query string
		want  int64
	}{
		// 10 roster joins; the 4 also seen in chat are the same events.
		{`SELECT count(*) FROM membership_events WHERE kind = 'join'`, 10},
		{`SELECT count(*) FROM membership_events`, 12},
		// The roster names the channel chat could not: 赵敏 came from weibo, 周杰 by link.
		{`SELECT count(*) FROM membership_events WHERE source = 'weibo'`, 1},
		{`SELECT count(*) FROM membership_events WHERE source = 'link'`, 1},
		{`SELECT count(*) FROM membership_events WHERE source = 'unknown'`, 0},
		{`SELECT count(*) FROM membership_events WHERE source = 'import'`, 6},
		{`SELECT count(*) FROM members`, 10},
		{`SELECT count(*) FROM members WHERE customer_key IS NOT NULL`, 5},
		{`SELECT count(*) FROM orders`, 6},
		{`SELECT count(*) FROM orders WHERE amount = 1299.00`, 1},
		{`SELECT count(*) FROM orders WHERE status = 'refunded'`, 1},
	}
	for _, c := range checks {
		if got := count(t, db, c.query); got != c.want {
			t.Errorf("%s = %d, want %d", c.query, got, c.want)
		}
	}
}

func TestMalformedFilesLeaveDatabaseUnchanged(t *testing.T) {
	cases := []struct {
		file   string
		format string
		want   string // in the one-line error
	}{
		{"qq_truncated.txt", "", "qq_truncated.txt:68: invalid UTF-8"},
		{"qq_nul_midfile.txt", "", "qq-txt ../testdata/bad/qq_nul_midfile.txt:21: binary data (NUL byte)"},
		{"qq_nul_midfile.txt", "qq-txt", "qq_nul_midfile.txt:21: binary data (NUL byte)"},
		{"not_an_export.png", "", "not_an_export.png:3: not a known export format: binary content"},
		{"notes.txt", "", "notes.txt:1: not a known export format (tried qq-txt, "},
		{"notes.txt", "qq-txt", "notes.txt:1: expected a QQ export header"},
		{"qq_no_sender.txt", "", "qq_no_sender.txt:3: expected a QQ export header"},
		{"orders_bad_amount.csv", "", "orders_bad_amount.csv:3: rows rejected: 2 row(s), first: amount is not a number"},
	}
	for _, c := range cases {
		t.Run(c.file+"/"+c.format, func(t *testing.T) {
			db := openDB(t)
			mustLoad(t, db, community)
			before := snapshot(t, db)
			r := load(t, db, "../testdata/bad/"+c.file, ingest.Options{Format: c.format})
			if r.Err == nil || r.Status != ingest.StatusFailed {
				t.Fatalf("want failure, got %+v", r)
			}
			msg := r.Err.Error()
			if !strings.Contains(msg, c.want) || strings.Contains(msg, "\n") {
				t.Fatalf("error %q, want one line containing %q", msg, c.want)
			}
			after := snapshot(t, db)
			// A refused file leaves only its failure record and rejects.
			before["ingest_log"], before["rejects"] = after["ingest_log"], after["rejects"]
			if !equalCounts(before, after) {
				t.Fatalf("counts changed:\nbefore %v\nafter  %v", before, after)
			}
		})
	}
}

func TestRejectedRowsAreKept(t *testing.T) {
	db := openDB(t)
	r := load(t, db, "../testdata/bad/orders_bad_amount.csv", ingest.Options{})
	if !errors.Is(r.Err, ingest.ErrRejected) {
		t.Fatalf("err = %v, want ErrRejected", r.Err)
	}
	if got := count(t, db, `SELECT count(*) FROM rejects WHERE line IN (3, 4)`); got != 2 {
		t.Fatalf("rejects kept = %d, want 2", got)
	}
	if got := count(t, db, `SELECT count(*) FROM ingest_log WHERE status = 'failed' AND rows_rejected = 2`); got != 1 {
		t.Fatalf("failed log entries = %d, want 1", got)
	}
	if got := count(t, db, `SELECT count(*) FROM orders`); got != 0 {
		t.Fatalf("orders = %d, want 0", got)
	}
	// Accepting up to two bad rows loads the good one and keeps the bad ones.
	r = load(t, db, "../testdata/bad/orders_bad_amount.csv", ingest.Options{MaxRejects: 2})
	if r.Err != nil || r.Status != ingest.StatusLoaded || r.Rejected != 2 {
		t.Fatalf("with --max-rejects 2: %+v", r)
	}
	if got := count(t, db, `SELECT count(*) FROM orders`); got != 1 {
		t.Fatalf("orders = %d, want 1", got)
	}
	if got := count(t, db, `SELECT count(*) FROM rejects r JOIN ingest_log l USING (file_id) WHERE l.status = 'loaded'`); got != 2 {
		t.Fatalf("rejects of the loaded file = %d, want 2", got)
	}
}

func equalCounts(a, b map[string]int64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestActivitiesFromScheduleAndPatterns(t *testing.T) {
	db := openDB(t)
	r := load(t, db, "../testdata/activities/schedule.csv", ingest.Options{MaxRejects: 1})
	if r.Err != nil || r.Format != "activities-csv" || r.Rejected != 1 {
		t.Fatalf("schedule: %+v", r)
	}
	mustLoad(t, db, "../testdata/activities/checkins.txt")
	checks := []struct {
		query string
		want  int64
	}{
		// The schedule: a sharing session and a vote; the unknown type is rejected.
		{`SELECT count(*) FROM activities WHERE origin = 'schedule'`, 2},
		// 【活动】 announces an event.
		{`SELECT count(*) FROM activities WHERE origin = 'pattern' AND type = 'event'`, 1},
		// Check-ins count once per group and local day: three on the 17th
		// (the 23:50 one is still the 17th in Shanghai), one on the 18th.
		// "打卡" in the middle of a question is not a check-in.
		{`SELECT count(*) FROM activities WHERE type = 'checkin'`, 2},
	}
	for _, c := range checks {
		if got := count(t, db, c.query); got != c.want {
			t.Errorf("%s = %d, want %d", c.query, got, c.want)
		}
	}
	// Loading a later export with the same days adds no second check-in.
	before := snapshot(t, db)
	if r := load(t, db, "../testdata/activities/checkins.txt", ingest.Options{}); r.Status != ingest.StatusSkipped {
		t.Fatalf("reload: %+v", r)
	}
	if after := snapshot(t, db); !equalCounts(before, after) {
		t.Fatalf("counts changed:\nbefore %v\nafter  %v", before, after)
	}
}

// A later export that overlaps an earlier one adds only the new messages,
// in whichever order the two are loaded.
func TestOverlappingExportsAddOnlyNewMessages(t *testing.T) {
	raw, err := os.ReadFile(community)
	if err != nil {
		t.Fatal(err)
	}
	header, body, _ := strings.Cut(string(raw), "================================================================\n\n")
	header += "================================================================\n\n"
	blocks := strings.Split(strings.TrimSpace(body), "\n\n")
	dir := t.TempDir()
	write := func(name string, from, to int) string {
		p := filepath.Join(dir, name)
		text := header + strings.Join(blocks[from:to], "\n\n") + "\n"
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	// 21 blocks: the first export has 0..13, the later one 8..20.
	early, late := write("early.txt", 0, 14), write("late.txt", 8, len(blocks))
	whole := openDB(t)
	mustLoad(t, whole, write("whole.txt", 0, len(blocks)))
	for _, order := range [][]string{{early, late}, {late, early}} {
		db := openDB(t)
		mustLoad(t, db, order[0])
		first := count(t, db, `SELECT count(*) FROM messages`)
		mustLoad(t, db, order[1])
		if got := count(t, db, `SELECT count(*) FROM messages`); got != 15 {
			t.Errorf("%s then %s: messages = %d (after the first %d), want the 15 of the whole export",
				filepath.Base(order[0]), filepath.Base(order[1]), got, first)
		}
		if got := count(t, db, `SELECT count(*) FROM membership_events`); got != 6 {
			t.Errorf("events = %d, want 6", got)
		}
		// The two identical stickers in one second stay two messages.
		if got := count(t, db, `SELECT count(*) FROM messages WHERE kind = 'sticker'`); got != 2 {
			t.Errorf("stickers = %d, want 2", got)
		}
		// The same two exports in one load, which merges once.
		together := openDB(t)
		loadFiles(t, context.Background(), together, order, ingest.Options{})
		if got := count(t, together, `SELECT count(*) FROM messages`); got != 15 {
			t.Errorf("%s with %s in one load: messages = %d, want 15", filepath.Base(order[0]), filepath.Base(order[1]), got)
		}
		if got := count(t, together, `SELECT count(*) FROM membership_events`); got != 6 {
			t.Errorf("in one load: events = %d, want 6", got)
		}
		// Whatever the order, people and the names they used are those of
		// the whole export, first sightings included.
		for _, loaded := range []*sql.DB{db, together} {
			for _, table := range []string{"members", "member_names"} {
				if got, want := rowsOf(t, loaded, table), rowsOf(t, whole, table); !slices.Equal(got, want) {
					t.Errorf("%s then %s: %s = %q, want %q", filepath.Base(order[0]), filepath.Base(order[1]), table, got, want)
				}
			}
		}
	}
}
