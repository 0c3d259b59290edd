package metrics_test

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ckpi/ckpi/ingest"
	"github.com/ckpi/ckpi/ingest/synth"
	"github.com/ckpi/ckpi/metrics"
	"github.com/ckpi/ckpi/queries"
)

// rateColumn tells the columns that are a part over its whole: they must lie
// in [0, 1] whatever the data (growth_rate, a change over a base, need not).
func rateColumn(col string) bool {
	if col == "growth_rate" {
		return false
	}
	for _, s := range []string{"_rate", "_share", "stickiness", "retained_w", "spoke_w", "compliance"} {
		if strings.Contains(col, s) {
			return true
		}
	}
	return false
}

// TestRatesStayRatesOnGeneratedCommunities loads generated communities as
// users would, with and without their rosters and orders, from QQ and from
// Telegram exports, and runs every built-in metric for every week of their
// history: every rate of every group and of all groups lies in [0, 1], and
// members at the start + joins - leaves = members at the end.
func TestRatesStayRatesOnGeneratedCommunities(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and loads four communities")
	}
	end := time.Date(2026, 11, 30, 0, 0, 0, 0, shanghai)
	cases := []struct {
		name    string
		format  string
		seed    int64
		roster  bool
		exports func(dir string) []string
	}{
		{"qq chat only", "qq", 3, false, func(dir string) []string { return glob(t, dir, "qq/*.txt") }},
		{"qq with roster and orders", "qq", 4, true, func(dir string) []string { return glob(t, dir, "qq/*.txt") }},
		{"telegram chat only", "telegram", 5, false, func(dir string) []string { return glob(t, dir, "telegram/*/result.json") }},
		{"telegram with roster and orders", "telegram", 6, true, func(dir string) []string { return glob(t, dir, "telegram/*/result.json") }},
	}
	defs := builtins(t).All()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx := context.Background()
			dir := t.TempDir()
			cfg := synth.Config{Groups: 3, Weeks: 6, Messages: 6000, Seed: c.seed, End: end, TZ: shanghai, Formats: []string{c.format}}
			if _, err := synth.Generate(ctx, dir, cfg); err != nil {
				t.Fatal(err)
			}
			files := c.exports(dir)
			if c.roster {
				files = append(files, filepath.Join(dir, "members.csv"), filepath.Join(dir, "orders.csv"))
			}
			db, err := queries.Open(ctx, filepath.Join(t.TempDir(), "p.duckdb"))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			for _, f := range files {
				if r := ingest.LoadFile(ctx, db, f, ingest.Options{TZ: shanghai}); r.Err != nil {
					t.Fatalf("load %s: %v", f, r.Err)
				}
			}
			week := metrics.Week(end.Add(-time.Hour))
			checked := 0
			for w := range 7 {
				p := metrics.Params{Period: week.Shift(-w)}
				results, err := metrics.RunAll(ctx, db, defs, p)
				if err != nil {
					t.Fatal(err)
				}
				for _, res := range results {
					checked += checkRates(t, res)
					if res.Metric.Name == "growth" {
						checkGrowthAddsUp(t, res)
					}
				}
			}
			if checked == 0 {
				t.Fatal("no rate was checked: the community is empty")
			}
		})
	}
}

// checkRates fails on a rate outside [0, 1] and returns how many it checked.
func checkRates(t *testing.T, res *metrics.Result) int {
	t.Helper()
	n := 0
	for _, row := range res.Rows {
		for i, col := range res.Columns {
			if !rateColumn(col) || row[i] == nil {
				continue
			}
			v := number(row[i])
			if math.IsNaN(v) || v < 0 || v > 1+1e-12 {
				t.Errorf("%s %s, group %v: %s = %v, not in [0, 1]", res.Metric.Name, res.Period.Label, row[0], col, v)
			}
			n++
		}
	}
	return n
}

func checkGrowthAddsUp(t *testing.T, res *metrics.Result) {
	t.Helper()
	at := func(col string) int { return slices.Index(res.Columns, col) }
	for _, row := range res.Rows {
		start, joins, leaves, end := number(row[at("members_start")]), number(row[at("joins")]), number(row[at("leaves")]), number(row[at("members_end")])
		if start+joins-leaves != end {
			t.Errorf("growth %s, group %v: %v + %v - %v != %v", res.Period.Label, row[0], start, joins, leaves, end)
		}
	}
}

func glob(t *testing.T, dir, pattern string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, pattern))
	if err != nil || len(files) == 0 {
		t.Fatal(fmt.Errorf("no %s in %s: %v", pattern, dir, err))
	}
	return files
}
