package ingest_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/ckpi/ckpi/ingest"
)

// logRow reads a file's coverage columns from ingest_log.
func logRow(t *testing.T, db *sql.DB, path string) (cov ingest.Coverage, zone string, lang sql.NullString, lines, neither sql.NullInt64) {
	t.Helper()
	var notices int64
	err := db.QueryRow(`SELECT messages, notices, unknown_notices, events, people, lines, lines_neither, source_tz, lang
		FROM ingest_log WHERE path = ? AND status = 'loaded'`, path).
		Scan(&cov.Messages, &notices, &cov.UnknownNotices, &cov.Events, &cov.People, &lines, &neither, &zone, &lang)
	if err != nil {
		t.Fatal(err)
	}
	cov.System = notices - cov.Events
	return cov, zone, lang, lines, neither
}

func TestCoverageReport(t *testing.T) {
	db := openDB(t)
	// The QQ fixture: 73 lines (the last blank), 8 of header (banner,
	// group, target); 15 member messages (one a recall), 6 membership
	// notices, 10 people (8 senders, an inviter, the removed 刘洋), one
	// record (the role 小美's 【管理员】 title states), nothing neither.
	r := load(t, db, community, ingest.Options{})
	if r.Err != nil {
		t.Fatal(r.Err)
	}
	want := ingest.Coverage{Messages: 15, Events: 6, People: 10, Records: 1, Lines: 73, LinesHeader: 8}
	if r.Coverage != want {
		t.Errorf("coverage %+v\nwant     %+v", r.Coverage, want)
	}
	if r.Zone != "Asia/Shanghai" {
		t.Errorf("zone %q", r.Zone)
	}
	cov, zone, lang, lines, neither := logRow(t, db, community)
	if cov.Messages != 15 || cov.Events != 6 || cov.System != 0 || cov.People != 10 || cov.UnknownNotices != 0 ||
		lines.Int64 != 73 || !neither.Valid || neither.Int64 != 0 || zone != "Asia/Shanghai" || lang.Valid {
		t.Errorf("ingest_log: %+v %q %v lines %v neither %v", cov, zone, lang, lines, neither)
	}

	// Orders with three rejected rows (lines 7-9 of 9): 3 lines neither.
	orders := "../testdata/rosters/cn_orders.csv"
	r = load(t, db, orders, ingest.Options{MaxRejects: 3, Lang: "zh-Hans"})
	if r.Err != nil {
		t.Fatal(r.Err)
	}
	want = ingest.Coverage{Rejected: 3, Records: 5, People: 0, Lines: 9, LinesHeader: 1, LinesNeither: 3}
	if r.Coverage != want {
		t.Errorf("coverage %+v\nwant     %+v", r.Coverage, want)
	}
	if s := r.Coverage.NeitherShare(); s != 3.0/9 {
		t.Errorf("share %v", s)
	}
	_, _, lang, lines, neither = logRow(t, db, orders)
	if lines.Int64 != 9 || neither.Int64 != 3 || lang.String != "zh-Hans" {
		t.Errorf("ingest_log lines %v neither %v lang %v", lines, neither, lang)
	}

	// A workbook is not text: its lines are unknown, NULL in the log.
	list := "../testdata/rosters/群聊123456789的4名成员的数据.xlsx"
	r = load(t, db, list, ingest.Options{})
	if r.Err != nil {
		t.Fatal(r.Err)
	}
	want = ingest.Coverage{Events: 3, Records: 6, People: 4}
	if r.Coverage != want {
		t.Errorf("coverage %+v\nwant     %+v", r.Coverage, want)
	}
	if _, _, _, lines, neither = logRow(t, db, list); lines.Valid || neither.Valid {
		t.Errorf("workbook lines %v neither %v, want NULL", lines, neither)
	}
}

// Files loaded together (parsed side by side, their rows interleaved) each
// count the people they name, those they share included.
func TestCoveragePeopleOfFilesLoadedTogether(t *testing.T) {
	db := openDB(t)
	members := "../testdata/qq/members.csv"
	var results []ingest.Result
	ingest.LoadFiles(context.Background(), db, []string{community, members}, ingest.Options{TZ: shanghai}, func(r ingest.Result) {
		results = append(results, r)
	})
	if len(results) != 2 || results[0].Err != nil || results[1].Err != nil {
		t.Fatalf("%+v", results)
	}
	// the same 10 people in the chat and in the roster
	if results[0].Coverage.People != 10 || results[1].Coverage.People != 10 {
		t.Errorf("people %d and %d, want 10 and 10", results[0].Coverage.People, results[1].Coverage.People)
	}
	for _, path := range []string{community, members} {
		if cov, _, _, _, _ := logRow(t, db, path); cov.People != 10 {
			t.Errorf("%s: ingest_log people %d", path, cov.People)
		}
	}
}
