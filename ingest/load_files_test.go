package ingest_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ckpi/ckpi/ingest"
)

// exportsOfEveryKind are the fixtures detection recognises, one per format.
var exportsOfEveryKind = []string{
	"../testdata/qq/community.txt",
	"../testdata/telegram/result.json",
	"../testdata/telegram/full_account.json",
	"../testdata/wechat/memotrace.csv",
	"../testdata/wechat/plain.csv",
	"../testdata/whatsapp/android_12h_mdy.txt",
	"../testdata/whatsapp/ios_24h_dmy.txt",
	"../testdata/discord/channel.json",
	"../testdata/discord/channel.csv",
	"../testdata/activities/checkins.txt",
	"../testdata/qq/members.csv",
	"../testdata/qq/orders.csv",
}

func loadFiles(t *testing.T, ctx context.Context, db *sql.DB, paths []string, opt ingest.Options) []ingest.Result {
	t.Helper()
	if opt.TZ == nil {
		opt.TZ = shanghai
	}
	var results []ingest.Result
	ingest.LoadFiles(ctx, db, paths, opt, func(r ingest.Result) { results = append(results, r) })
	return results
}

// rowsOf is every row of a table as text, in order, without the file ids
// (which number the loads, not the data).
func rowsOf(t *testing.T, db *sql.DB, table string) []string {
	t.Helper()
	query := "SELECT * FROM " + table
	if count(t, db, `SELECT count(*) FROM duckdb_columns() WHERE table_name = ? AND column_name = 'file_id'`, table) > 0 {
		query = "SELECT * EXCLUDE (file_id) FROM " + table
	}
	rows, err := db.Query(query + " ORDER BY ALL")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprint(vals...))
	}
	return out
}

func TestLoadFilesTogetherAsOneByOne(t *testing.T) {
	together, apart := openDB(t), openDB(t)
	results := loadFiles(t, context.Background(), together, exportsOfEveryKind, ingest.Options{})
	for i, r := range results {
		if r.Err != nil || r.Status != ingest.StatusLoaded || r.Path != exportsOfEveryKind[i] || r.Rows == 0 {
			t.Fatalf("result %d: %+v", i, r)
		}
	}
	mustLoad(t, apart, exportsOfEveryKind...)
	for _, table := range []string{"groups", "members", "member_names", "membership_events", "messages", "orders", "activities"} {
		a, b := rowsOf(t, together, table), rowsOf(t, apart, table)
		if len(a) == 0 || !slices.Equal(a, b) {
			t.Errorf("%s: %d rows loaded together, %d one by one, or they differ", table, len(a), len(b))
		}
	}
	if got := count(t, together, `SELECT count(DISTINCT file_id) FROM messages`); got != 10 {
		t.Errorf("messages carry %d file ids, want one for each of the 10 chat files", got)
	}
	// Loading them all again adds nothing and parses nothing.
	for _, r := range loadFiles(t, context.Background(), together, exportsOfEveryKind, ingest.Options{}) {
		if r.Status != ingest.StatusSkipped || r.Rows != 0 {
			t.Errorf("again: %+v", r)
		}
	}
}

func TestLoadFilesBadFileHoldsBackNoOther(t *testing.T) {
	db := openDB(t)
	paths := []string{community, "../testdata/bad/qq_truncated.txt", "../testdata/telegram/result.json", "../testdata/bad/orders_bad_amount.csv"}
	results := loadFiles(t, context.Background(), db, paths, ingest.Options{})
	want := []struct {
		status string
		err    string
	}{
		{ingest.StatusLoaded, ""},
		{ingest.StatusFailed, "qq_truncated.txt:68: invalid UTF-8"},
		{ingest.StatusLoaded, ""},
		{ingest.StatusFailed, "orders_bad_amount.csv:3: rows rejected: 2 row(s)"},
	}
	for i, r := range results {
		if r.Status != want[i].status || (r.Err == nil) != (want[i].err == "") || r.Err != nil && !strings.Contains(r.Err.Error(), want[i].err) {
			t.Errorf("%s: %s %v, want %s %q", filepath.Base(r.Path), r.Status, r.Err, want[i].status, want[i].err)
		}
	}
	if got := count(t, db, `SELECT count(DISTINCT file_id) FROM messages`); got != 2 {
		t.Errorf("messages from %d files, want the 2 good ones", got)
	}
	// The refused file's bad rows are kept, as when it is loaded alone.
	if got := count(t, db, `SELECT count(*) FROM rejects WHERE path LIKE '%orders_bad_amount.csv'`); got != 2 {
		t.Errorf("rejects kept = %d, want 2", got)
	}
}

func TestLoadFilesSkipsARepeatInTheSameLoad(t *testing.T) {
	db := openDB(t)
	raw, err := os.ReadFile(community)
	if err != nil {
		t.Fatal(err)
	}
	copied := filepath.Join(t.TempDir(), "copy.txt")
	if err := os.WriteFile(copied, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	results := loadFiles(t, context.Background(), db, []string{community, copied}, ingest.Options{})
	if results[0].Status != ingest.StatusLoaded || results[1].Status != ingest.StatusSkipped {
		t.Fatalf("statuses %s, %s; want loaded, skipped", results[0].Status, results[1].Status)
	}
	if got := count(t, db, `SELECT count(*) FROM messages`); got != 15 {
		t.Errorf("messages = %d, want 15", got)
	}
}

func TestCancelMidLoadOfManyFilesLeavesDatabaseUnchanged(t *testing.T) {
	db := openDB(t)
	mustLoad(t, db, community)
	before := snapshot(t, db)
	dir := t.TempDir()
	var paths []string
	for i := range 4 {
		src := writeQQ(t, 40000+i, -1) // four different files
		p := filepath.Join(dir, fmt.Sprintf("part%d.txt", i))
		if err := os.Rename(src, p); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var cancelled bool
	results := loadFiles(t, ctx, db, paths, ingest.Options{Progress: func(p ingest.Progress) {
		if !cancelled && p.Bytes > p.Size/2 {
			cancelled = true
			cancel()
		}
	}})
	if !cancelled {
		t.Fatal("the load ended before half of its bytes were read")
	}
	for _, r := range results {
		if !errors.Is(r.Err, context.Canceled) {
			t.Errorf("%s: %v, want context.Canceled", filepath.Base(r.Path), r.Err)
		}
	}
	if after := snapshot(t, db); !equalCounts(before, after) {
		t.Fatalf("counts changed:\nbefore %v\nafter  %v", before, after)
	}
}
