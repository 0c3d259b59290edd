package reports

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/ckpi/ckpi/ingest"
	"github.com/ckpi/ckpi/metrics"
	"github.com/ckpi/ckpi/queries"
)

// A WeCom community (testdata/wecom): two groups archived, 上海站 known from
// its details and its owner's daily statistics only. The report shows the
// statistics' table, and marks the message KPIs of 上海站 as needing the
// archive; a community without platform statistics (the QQ fixture) has
// no such table.
func TestWeComReport(t *testing.T) {
	ctx := context.Background()
	db, err := queries.Open(ctx, filepath.Join(t.TempDir(), "ckpi.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	loc, _ := time.LoadLocation("Asia/Shanghai")
	for _, f := range []string{"groupchat.json", "groupchat_shanghai.json", "archive.jsonl", "customers_batch.json",
		"customer_get.json", "orders.csv", "statistic_by_day.json"} {
		if r := ingest.LoadFile(ctx, db, "../testdata/wecom/"+f, ingest.Options{TZ: loc, MaxRejects: 1}); r.Err != nil {
			t.Fatal(r.Err)
		}
	}
	cat, _ := metrics.LoadCatalog("")
	week, _ := metrics.ParseWeek("2026-W47", loc)
	r, err := BuildWeekly(ctx, db, BuildOptions{Week: week, Catalog: cat, Now: time.Date(2026, 11, 23, 9, 0, 0, 0, loc)})
	if err != nil {
		t.Fatal(err)
	}
	const noMessages = "no messages loaded (a WeCom group not archived: see Platform statistics)"
	var stats, part *Table
	for i := range r.Tables {
		switch r.Tables[i].Key {
		case "platform_statistics":
			stats = &r.Tables[i]
		case "participation":
			part = &r.Tables[i]
		}
	}
	if stats == nil || part == nil {
		t.Fatalf("tables %v: want platform_statistics and participation", tableKeys(r))
	}
	row := func(tb *Table, group string) int {
		for i, row := range tb.Rows {
			if row[0] == group {
				return i
			}
		}
		t.Fatalf("%s: no row %q", tb.Key, group)
		return -1
	}
	cell := func(tb *Table, group, col string) (any, string) {
		i := row(tb, group)
		for c, column := range tb.Columns {
			if column.Key == col {
				return tb.Rows[i][c], tb.note(i, c)
			}
		}
		t.Fatalf("%s: no column %q", tb.Key, col)
		return nil, ""
	}
	for col, want := range map[string]any{"messages_loaded": "no: needs the archive", "messages": int64(11), "groups_counted": int64(1), "members_end": int64(3)} {
		if v, _ := cell(stats, "星河用户上海站", col); v != want {
			t.Errorf("platform statistics of 上海站: %s = %#v, want %#v", col, v, want)
		}
	}
	// 上海站's participation is 0 of its members: marked, not silent.
	if v, note := cell(part, "星河用户上海站", "participation_rate"); note != noMessages || v == nil {
		t.Errorf("上海站 participation %v noted %q, want %q", v, note, noMessages)
	}
	if _, note := cell(part, "星河用户杭州站", "participation_rate"); note != "" {
		t.Errorf("杭州站 (archived) participation noted %q", note)
	}
	// The card of participation says how many groups lack messages.
	if c := cardByKey(t, r, "participation.participation_rate"); c.Note != "no messages loaded for 1 of 3 groups (not archived)" {
		t.Errorf("participation card note %q", c.Note)
	}

	// The QQ fixture has no platform statistics: no such table.
	qq := chatOnlyDB(t, false)
	for _, tb := range qq.Tables {
		if tb.Key == "platform_statistics" {
			t.Errorf("a QQ community's report has a platform statistics table: %v", tb.Rows)
		}
	}
}

func tableKeys(r *Weekly) []string {
	var keys []string
	for _, tb := range r.Tables {
		keys = append(keys, tb.Key)
	}
	return keys
}
