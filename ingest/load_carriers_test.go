package ingest_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/ckpi/ckpi/ingest"
)

const oaFixtures = "../testdata/wechat-oa"

// copyAs copies a fixture under another name (the name names the account).
func copyAs(t *testing.T, src, name string) string {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(dst, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return dst
}

// TestLoadOfficialAccount loads an account's API answers and backend
// downloads: rows go to their own tables, a reload adds nothing, an
// overlapping export adds only its new days and fills only what was
// missing, and rejects keep their file and line.
func TestLoadOfficialAccount(t *testing.T) {
	db := openDB(t)
	summary := copyAs(t, filepath.Join(oaFixtures, "getusersummary.json"), "星河科技_getusersummary.json")

	// Two bad entries: refused whole unless allowed.
	if r := load(t, db, summary, ingest.Options{}); !errors.Is(r.Err, ingest.ErrRejected) {
		t.Fatalf("%+v", r)
	}
	if n := count(t, db, `SELECT count(*) FROM account_follows`); n != 0 {
		t.Fatalf("a refused file left %d rows", n)
	}
	if r := load(t, db, summary, ingest.Options{MaxRejects: 2}); r.Err != nil || r.Format != "wechat-oa-api" || r.Rows != 13 {
		t.Fatalf("%+v", r)
	}
	if n := count(t, db, `SELECT count(*) FROM rejects r JOIN ingest_log l USING (file_id)
		WHERE l.status = 'loaded' AND r.path = ? AND r.line IN (14, 15)`, summary); n != 2 {
		t.Errorf("rejects with their lines: %d", n)
	}
	day := func(d string) string { return d } // days are stored as the UTC instant of Beijing midnight
	checkDay := func(when, source string, added, cancel, cum any) {
		t.Helper()
		var a, c, u any
		if err := db.QueryRow(`SELECT new_users, cancel_users, cumulate_users FROM account_follows f
			JOIN accounts a USING (account_id)
			WHERE a.name = '星河科技' AND f.day = ?::TIMESTAMP AND f.source = ?`, day(when), source).Scan(&a, &c, &u); err != nil {
			t.Fatalf("%s %s: %v", when, source, err)
		}
		if a != added || c != cancel || u != cum {
			t.Errorf("%s %s: %v %v %v, want %v %v %v", when, source, a, c, u, added, cancel, cum)
		}
	}
	checkDay("2026-11-15 16:00:00", "all", int64(1204), int64(35), nil)
	checkDay("2026-11-15 16:00:00", "qr", int64(520), int64(0), nil)

	// The cumulative counts fill the days' NULLs and add day 18.
	cumulate := copyAs(t, filepath.Join(oaFixtures, "getusercumulate.json"), "星河科技_getusercumulate.json")
	if r := load(t, db, cumulate, ingest.Options{}); r.Err != nil {
		t.Fatal(r.Err)
	}
	checkDay("2026-11-15 16:00:00", "all", int64(1204), int64(35), int64(25410))
	checkDay("2026-11-17 16:00:00", "all", nil, nil, int64(25473))
	if n := count(t, db, `SELECT count(*) FROM account_follows`); n != 14 {
		t.Errorf("%d rows after getusercumulate, want 14", n)
	}

	// The backend's download overlaps days 16-18: only the sources and
	// days not known yet are added; day 18 gets its new and lost follows.
	growth := filepath.Join(oaFixtures, "星河科技-用户增长.csv")
	if r := load(t, db, growth, ingest.Options{MaxRejects: 2}); r.Err != nil {
		t.Fatal(r.Err)
	}
	if n := count(t, db, `SELECT count(*) FROM account_follows`); n != 14+4+7 {
		t.Errorf("%d rows after the download, want 25", n)
	}
	checkDay("2026-11-17 16:00:00", "all", int64(88), int64(101), int64(25473))
	checkDay("2026-11-16 16:00:00", "payment", int64(0), nil, nil)
	before := count(t, db, `SELECT count(*) FROM account_follows`)
	if r := load(t, db, growth, ingest.Options{MaxRejects: 2}); r.Status != ingest.StatusSkipped {
		t.Errorf("reload: %+v", r)
	}
	// A later export with one known day, changed, and a new one.
	later := filepath.Join(t.TempDir(), "星河科技-用户增长 (1).csv")
	if err := os.WriteFile(later, []byte("时间,新关注人数,取消关注人数,净增关注人数,累积关注人数\n"+
		"2026-11-18,99,1,98,25571\n2026-11-20,64,9,55,25586\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := load(t, db, later, ingest.Options{}); r.Err != nil {
		t.Fatal(r.Err)
	}
	if n := count(t, db, `SELECT count(*) FROM account_follows`); n != before+1 {
		t.Errorf("%d rows after the later export, want %d", n, before+1)
	}
	checkDay("2026-11-17 16:00:00", "all", int64(88), int64(101), int64(25473))
	checkDay("2026-11-19 16:00:00", "all", int64(64), int64(9), int64(25586))
	if n := count(t, db, `SELECT count(*) FROM accounts`); n != 1 {
		t.Errorf("%d accounts", n)
	}
	// No group, member or message came of it.
	if n := count(t, db, `SELECT (SELECT count(*) FROM groups) + (SELECT count(*) FROM members) + (SELECT count(*) FROM messages)`); n != 0 {
		t.Errorf("%d chat rows", n)
	}
}

func TestLoadOfficialAccountContent(t *testing.T) {
	db := openDB(t)
	if r := load(t, db, filepath.Join(oaFixtures, "getarticletotal.json"), ingest.Options{MaxRejects: 1}); r.Err != nil || r.Rows != 12 {
		t.Fatalf("%+v", r)
	}
	if r := load(t, db, filepath.Join(oaFixtures, "getarticlesummary.json"), ingest.Options{MaxRejects: 1}); r.Err != nil {
		t.Fatal(r.Err)
	}
	// getarticlesummary repeats the days getarticletotal gave, and adds one.
	if n := count(t, db, `SELECT count(*) FROM article_days`); n != 13 {
		t.Errorf("%d article days, want 13", n)
	}
	if n := count(t, db, `SELECT reads FROM article_days WHERE article_id = '2247483650_1'
		AND day = '2026-11-16 16:00:00'::TIMESTAMP AND channel = 'all'`); n != 1102 {
		t.Errorf("reads of day 2: %d", n)
	}
	if n := count(t, db, `SELECT count(*) FROM articles WHERE published = '2026-11-15 16:00:00'::TIMESTAMP`); n != 1 {
		t.Errorf("published: %d", n)
	}
	if n := count(t, db, `SELECT sum(read_users) FROM article_days WHERE channel = 'feed'`); n != 300+260 {
		t.Errorf("feed readers: %d", n)
	}
	// The Chinese-header workbook loads through the loader as well.
	if r := load(t, db, filepath.Join(oaFixtures, "星河科技-用户增长-11月.xlsx"), ingest.Options{MaxRejects: 1}); r.Err != nil || r.Format != "wechat-oa-growth" || r.Rows != 12 {
		t.Fatalf("%+v", r)
	}
}

// TestLoadForum loads a Discourse forum: categories are groups, the first
// post a join, moderators staff, and the membership model holds.
func TestLoadForum(t *testing.T) {
	db := openDB(t)
	dir := "../testdata/discourse"
	for _, f := range []string{"categories.json", "t-101.json", "t-102.json"} {
		opt := ingest.Options{}
		if f == "t-101.json" {
			opt.MaxRejects = 1
		}
		if r := load(t, db, filepath.Join(dir, f), opt); r.Err != nil || r.Format != "discourse-json" {
			t.Fatalf("%s: %+v", f, r)
		}
	}
	checks := []struct {
		query string
		want  int64
	}{
		{`SELECT count(*) FROM groups WHERE platform = 'discourse'`, 2},
		{`SELECT count(*) FROM groups WHERE name = '产品讨论' AND external_id = '5'`, 1},
		{`SELECT count(*) FROM messages`, 10},
		{`SELECT count(*) FROM messages WHERE reply_to IS NOT NULL`, 6},
		// lin_xia is in both categories; the moderator, the admin and the
		// system user are staff, not members.
		{`SELECT count(*) FROM memberships m WHERE NOT is_staff(m.member_id, m.group_id)`, 3},
		{`SELECT count(*) FROM memberships WHERE start_ts IS NOT NULL AND source = 'unknown'`, 5},
		{`SELECT count(*) FROM staff_effective`, 3},
	}
	for _, c := range checks {
		if n := count(t, db, c.query); n != c.want {
			t.Errorf("%s = %d, want %d", c.query, n, c.want)
		}
	}
}
