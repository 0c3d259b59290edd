package reports

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ckpi/ckpi/ingest"
	"github.com/ckpi/ckpi/metrics"
	"github.com/ckpi/ckpi/queries"
)

// chatOnlyDB is the QQ fixture's export alone: no roster, no orders. Its
// membership is known from join and leave notices only (and who spoke); its
// staff from the export's 【管理员】 title, unless the config says that
// person is a member (noStaff), and then no staff is known.
func chatOnlyDB(t *testing.T, noStaff bool) *Weekly {
	t.Helper()
	ctx := context.Background()
	db, err := queries.Open(ctx, filepath.Join(t.TempDir(), "ckpi.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	loc, _ := time.LoadLocation("Asia/Shanghai")
	if r := ingest.LoadFile(ctx, db, "../testdata/qq/community.txt", ingest.Options{TZ: loc}); r.Err != nil {
		t.Fatal(r.Err)
	}
	if noStaff {
		if err := ingest.SetStaff(ctx, db, []ingest.Staff{{Platform: "qq", UID: "10001", Role: "member"}}); err != nil {
			t.Fatal(err)
		}
	}
	var basis string
	var staff, orders bool
	if err := db.QueryRow(`SELECT membership_basis, staff_known, orders_known FROM group_basis`).Scan(&basis, &staff, &orders); err != nil {
		t.Fatal(err)
	}
	if basis != "events" || staff == noStaff || orders {
		t.Fatalf("group_basis: %s staff %v orders %v; the test expects events, staff %v, no orders", basis, staff, orders, !noStaff)
	}
	cat, _ := metrics.LoadCatalog("")
	week, _ := metrics.ParseWeek("2026-W47", loc)
	r, err := BuildWeekly(ctx, db, BuildOptions{Week: week, Catalog: cat, Now: time.Date(2026, 11, 23, 9, 0, 0, 0, loc)})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestQualifiers: where the data cannot support a KPI the report says so
// beside it, from the columns' needs: on the cards, the groups table's
// cells, the detail tables and the workbook, with a report-level line on
// how membership is known; with a roster, staff and orders, nothing.
func TestQualifiers(t *testing.T) {
	r := chatOnlyDB(t, true)
	const (
		roster    = "no member list: members from join and leave notices and who spoke"
		rosterAll = "no member list in 1 of 1 groups: members inferred from joins and who spoke"
		staffAll  = "no staff known in 1 of 1 groups: set staff in ckpi.yaml"
	)
	want := []string{"How membership is known: join and leave notices only for 1 group.",
		"No staff known for any group: response times cannot be measured. Set staff in ckpi.yaml."}
	if strings.Join(r.Notices, "|") != strings.Join(want, "|") {
		t.Errorf("notices %q", r.Notices)
	}
	for key, note := range map[string]string{
		"participation.participation_rate":          rosterAll,
		"responsiveness.median_minutes_to_response": staffAll,
		"conversion.conversion_rate":                "no orders matched to members in 1 of 1 groups: none loaded, or no customer ids",
		"health.health_score":                       rosterAll + "; " + staffAll,
		"participation.messages":                    "", // needs nothing
	} {
		if c := cardByKey(t, r, key); c.Note != note {
			t.Errorf("card %s note %q, want %q", key, c.Note, note)
		}
	}
	g := r.Groups[0]
	for i, c := range r.GroupColumns {
		want := ""
		switch c.Key {
		case "participation.participation_rate", "growth.members_end", "growth.growth_rate":
			want = roster
		case "health.health_score":
			want = roster + "; no staff known: set staff in ckpi.yaml"
		case "conversion.conversion_rate":
			want = "no orders to match: none loaded, or no member has a customer id (a roster with phone or customer id links them)"
		}
		if g.Notes[i] != want {
			t.Errorf("groups table %s note %q, want %q", c.Key, g.Notes[i], want)
		}
	}
	// The responsiveness table: the group's answered share is marked.
	for _, tb := range r.Tables {
		if tb.Key != "responsiveness" {
			continue
		}
		for c, col := range tb.Columns {
			if col.Key == "answered_share" && tb.note(1, c) != "no staff known: set staff in ckpi.yaml" {
				t.Errorf("answered share note %q", tb.note(1, c))
			}
			if col.Key == "questions" && tb.note(1, c) != "" {
				t.Errorf("questions need nothing, noted %q", tb.note(1, c))
			}
		}
	}
	// The workbook: the participation cell carries its mark, the data notes
	// say what it means.
	f := openXLSX(t, writeXLSX(t, r))
	rows, _ := f.GetRows(SheetGroups)
	head := rows[0]
	cellOf := func(title string) string {
		for i, h := range head {
			if h == title {
				return rows[1][i]
			}
		}
		t.Fatalf("no column %q in %v", title, head)
		return ""
	}
	if got := cellOf("Participation"); !strings.HasSuffix(got, "% †") {
		t.Errorf("participation cell %q, want its mark", got)
	}
	if got := cellOf("Data notes"); !strings.Contains(got, "† "+roster) {
		t.Errorf("data notes %q", got)
	}

	// With the export's admin as staff, nothing is said of staff.
	admin := chatOnlyDB(t, false)
	if strings.Join(admin.Notices, "|") != want[0] {
		t.Errorf("notices with staff %q", admin.Notices)
	}
	if c := cardByKey(t, admin, "health.health_score"); c.Note != rosterAll {
		t.Errorf("health card with staff: %q", c.Note)
	}

	// With a roster, staff and orders the data supports every KPI.
	full := buildFixture(t, communityDB(t), "en")
	if strings.Join(full.Notices, "|") != "How membership is known: a roster for 1 group." {
		t.Errorf("notices with a roster %q", full.Notices)
	}
	for _, c := range full.Cards {
		if c.Note != "" {
			t.Errorf("card %s noted %q", c.Key, c.Note)
		}
	}
}

// TestInProgress: a week not over is labelled in progress wherever the
// report names it (the page's title and header, the workbook's Summary);
// a week the data stops inside says where the data ends.
func TestInProgress(t *testing.T) {
	db := communityDB(t)
	cat, _ := metrics.LoadCatalog("")
	loc, _ := time.LoadLocation("Asia/Shanghai")
	week, _ := metrics.ParseWeek("2026-W47", loc)
	week.InProgress = true
	r, err := BuildWeekly(context.Background(), db, BuildOptions{Week: week, Catalog: cat, Parallel: 1})
	if err != nil {
		t.Fatal(err)
	}
	page := renderHTML(t, r)
	for _, want := range []string{"<title>Community weekly report · 2026-W47 (in progress)</title>", `<span class="badge in-progress"`,
		"This week is not over: its numbers will still change."} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	f := openXLSX(t, writeXLSX(t, r))
	if v, _ := f.GetCellValue(SheetSummary, "A2"); !strings.Contains(v, "Week: 2026-W47 (in progress)") {
		t.Errorf("Summary!A2 = %q", v)
	}

	week.InProgress, week.DataEnds = false, time.Date(2026, 11, 20, 12, 0, 0, 0, loc)
	r, err = BuildWeekly(context.Background(), db, BuildOptions{Week: week, Catalog: cat, Parallel: 1})
	if err != nil {
		t.Fatal(err)
	}
	if r.InProgress || len(r.Notices) == 0 || r.Notices[0] != "The data ends 2026-11-20 12:00: this week is partial." {
		t.Errorf("partial week: in progress %v, notices %q", r.InProgress, r.Notices)
	}
}
