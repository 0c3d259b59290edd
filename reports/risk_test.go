package reports

import (
	"bytes"
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ckpi/ckpi/ingest"
	"github.com/ckpi/ckpi/metrics"
	"github.com/ckpi/ckpi/metrics/risk"
	"github.com/ckpi/ckpi/queries"
)

// riskDB loads the ladder fixtures of testdata/risk (李四 removed after
// three strikes and then joining another group; 赵六 on the removal step
// and still in the group) and scans them when scanned is true.
func riskDB(t *testing.T, scanned bool) *sql.DB {
	t.Helper()
	ctx := context.Background()
	db, err := queries.Open(ctx, filepath.Join(t.TempDir(), "ckpi.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	for _, f := range []string{"ladder-a.txt", "ladder-b.txt"} {
		if res := ingest.LoadFile(ctx, db, filepath.Join("../testdata/risk", f), ingest.Options{TZ: shanghai}); res.Err != nil {
			t.Fatal(res.Err)
		}
	}
	if err := ingest.SetStaff(ctx, db, []ingest.Staff{{Platform: "qq", UID: "10001", Role: "service"}}); err != nil {
		t.Fatal(err)
	}
	if scanned {
		if _, err := risk.Scan(ctx, db, risk.Default(), risk.ScanOptions{TZ: shanghai}); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

func buildRiskWeek(t *testing.T, db *sql.DB, lang string) *Weekly {
	t.Helper()
	cat, err := metrics.LoadCatalog("")
	if err != nil {
		t.Fatal(err)
	}
	week, err := metrics.ParsePeriod(metrics.GrainWeek, "2026-W47", shanghai)
	if err != nil {
		t.Fatal(err)
	}
	r, err := BuildWeekly(context.Background(), db, BuildOptions{Week: week, Lang: lang, Catalog: cat, Now: time.Date(2026, 11, 23, 9, 0, 0, 0, shanghai)})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestWeeklyRiskSection(t *testing.T) {
	r := buildRiskWeek(t, riskDB(t, true), "en")
	s := r.Risk
	if s == nil || !s.Scanned || s.Headline("risk_violations.violations") != 4 || s.Headline("risk_ladder.pending_removals") != 1 || s.Headline("risk_blacklist.hits") != 1 {
		t.Fatalf("risk = %+v", s)
	}
	var keys []string
	for _, tb := range s.Tables {
		keys = append(keys, tb.Key)
	}
	if got := strings.Join(keys, ","); got != "risk_violations,risk_ladder,risk_blacklist,risk_pending,risk_alerts" {
		t.Fatalf("tables %s", got)
	}
	// Groups with nothing to report are left out: 上海站 had no violation,
	// 北京站 no blacklist alert.
	if rows := s.Tables[0].Rows; len(rows) != 2 || rows[0][0] != "All groups" || rows[1][0] != "星河用户北京站" || rows[1][1] != int64(4) {
		t.Errorf("violation rows = %v", rows)
	}
	if rows := s.Tables[2].Rows; len(rows) != 2 || rows[1][0] != "星河用户上海站" {
		t.Errorf("blacklist rows = %v", rows)
	}
	pending := s.Tables[3]
	if len(pending.Rows) != 1 || pending.Rows[0][2] != "赵六|销售|天津" || pending.Rows[0][5] != "remove from the group" {
		t.Errorf("pending rows = %v", pending.Rows)
	}
	alerts := s.Tables[4]
	if len(alerts.Rows) != 1 || alerts.Rows[0][3] != "qq:5001" || alerts.Rows[0][4] != "join" {
		t.Errorf("alert rows = %v", alerts.Rows)
	}

	var page bytes.Buffer
	if err := RenderHTML(&page, r); err != nil {
		t.Fatal(err)
	}
	html := page.String()
	for _, want := range []string{
		`<h2 id="h-risk">Risk monitoring</h2>`,
		"This week: Messages with violations 4; Pending removals 1; Blacklist alerts 1.",
		`id="ckpi_risk_4"`, "赵六|销售|天津", "remove from the group", "qq:5001",
	} {
		if !strings.Contains(html, want) {
			t.Errorf("page lacks %q", want)
		}
	}

	f := openXLSX(t, writeXLSX(t, r))
	sheets := strings.Join(f.GetSheetList(), "|")
	for _, want := range []string{"Rule violations", "Handling ladder", "Blacklist alerts", "Pending actions for staff"} {
		if !strings.Contains(sheets, want) {
			t.Errorf("workbook sheets %s lack %q", sheets, want)
		}
	}
	if v, _ := f.GetCellValue("Pending actions for staff", "C2"); v != "赵六|销售|天津" {
		t.Errorf("pending sheet C2 = %q", v)
	}
}

func TestWeeklyRiskSectionBeforeAnyScan(t *testing.T) {
	r := buildRiskWeek(t, riskDB(t, false), "zh")
	if r.Risk == nil || r.Risk.Scanned || len(r.Risk.Tables) != 0 {
		t.Fatalf("risk = %+v", r.Risk)
	}
	var page bytes.Buffer
	if err := RenderHTML(&page, r); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(page.String(), "尚未进行风险扫描") {
		t.Error("the page does not say that no scan has run")
	}
}
