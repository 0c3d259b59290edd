package reports

import (
	"context"
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/ckpi/ckpi/ingest/synth"
	"github.com/ckpi/ckpi/metrics"
)

// TestDemoFunnel: the demo community's funnel from official account
// follower to group member to buyer in its last week, 2026-W47, with
// exact values, and the same numbers counted again from the generated
// files (the account's download, members.csv, orders.csv) without the
// database.
func TestDemoFunnel(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and loads a community")
	}
	db := demoDB(t)
	ctx := context.Background()
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	cat, err := metrics.LoadCatalog("")
	if err != nil {
		t.Fatal(err)
	}
	run := func(name, week string) map[string]any {
		d, err := cat.Get(name)
		if err != nil {
			t.Fatal(err)
		}
		p, err := metrics.ParsePeriod(metrics.GrainWeek, week, loc)
		if err != nil {
			t.Fatal(err)
		}
		res, err := metrics.Run(ctx, db, d, metrics.Params{Period: p})
		if err != nil {
			t.Fatal(err)
		}
		return res.Total()
	}
	num := func(row map[string]any, col string) float64 {
		t.Helper()
		v := metrics.Number(row[col])
		if v == nil {
			t.Fatalf("%s is NULL", col)
		}
		return *v
	}

	// The cohort the report's table shows (four weeks before its week, so
	// that its buyers are known), and the report week, exactly.
	funnel := run("follower_funnel", "2026-W47")
	for week, want := range map[string]map[string]float64{
		"2026-W43": {"followers_new": 103, "oa_joiners": 6, "oa_buyers": 3,
			"follower_join_rate": 6.0 / 103, "joiner_buy_rate": 0.5, "follower_buy_rate": 3.0 / 103},
		"2026-W47": {"followers_new": 133, "oa_joiners": 9, "oa_buyers": 1,
			"follower_join_rate": 9.0 / 133, "joiner_buy_rate": 1.0 / 9, "follower_buy_rate": 1.0 / 133},
	} {
		got := run("follower_funnel", week)
		for col, v := range want {
			if g := num(got, col); math.Abs(g-v) > 1e-12 {
				t.Errorf("%s %s = %v, want %v", week, col, g, v)
			}
		}
	}
	// Its steps are the account's new followers and the growth metric's
	// official account channel (a person joining two groups is one joiner).
	if a, f := num(run("platform_growth", "2026-W47"), "follows_new"), num(funnel, "followers_new"); a != f {
		t.Errorf("platform_growth follows_new %v, funnel followers_new %v", a, f)
	}
	if g := num(run("growth", "2026-W47"), "joins_official_account"); g < num(funnel, "oa_joiners") {
		t.Errorf("growth joins_official_account %v: fewer than the distinct joiners", g)
	}

	// Every week of the demo, counted again from the files.
	exports := filepath.Join(demoDir, "exports")
	growthRows := readCSV(t, filepath.Join(exports, "official_account", synth.AccountName+"-用户增长.csv"))
	orderRows := readCSV(t, filepath.Join(exports, "orders.csv"))
	memberRows := readCSV(t, filepath.Join(exports, "members.csv"))
	firstPaid := map[string]time.Time{}
	for _, rec := range orderRows {
		at, _ := time.ParseInLocation("2006-01-02 15:04:05", rec["ordered_at"], loc)
		if f, ok := firstPaid[rec["customer_key"]]; rec["status"] == "paid" && (!ok || at.Before(f)) {
			firstPaid[rec["customer_key"]] = at
		}
	}
	var totals [3]int
	for w := 36; w <= 47; w++ {
		week := fmt.Sprintf("2026-W%d", w)
		p, err := metrics.ParsePeriod(metrics.GrainWeek, week, loc)
		if err != nil {
			t.Fatal(err)
		}
		in := func(layout, s string) (time.Time, bool) {
			at, err := time.ParseInLocation(layout, s, loc)
			return at, err == nil && !at.Before(p.Start) && at.Before(p.End)
		}
		followers := 0
		for _, rec := range growthRows {
			if _, ok := in("2006-01-02", rec["时间"]); ok {
				n, _ := strconv.Atoi(rec["新关注人数"])
				followers += n
			}
		}
		joiners, buyers := map[string]bool{}, map[string]bool{}
		for _, rec := range memberRows {
			at, ok := in("2006-01-02 15:04:05", rec["joined_at"])
			if !ok || rec["channel"] != "official_account" {
				continue
			}
			joiners[rec["member_id"]] = true
			if f, ok := firstPaid[rec["customer_key"]]; ok && rec["customer_key"] != "" && !f.Before(at) && f.Before(at.AddDate(0, 0, 28)) {
				buyers[rec["member_id"]] = true
			}
		}
		got := run("follower_funnel", week)
		if num(got, "followers_new") != float64(followers) || num(got, "oa_joiners") != float64(len(joiners)) || num(got, "oa_buyers") != float64(len(buyers)) {
			t.Errorf("%s: %v followers, %v joiners, %v buyers; the files say %d, %d, %d", week,
				got["followers_new"], got["oa_joiners"], got["oa_buyers"], followers, len(joiners), len(buyers))
		}
		totals[0] += followers
		totals[1] += len(joiners)
		totals[2] += len(buyers)
	}
	if totals != [3]int{1362, 80, 25} {
		t.Errorf("12 weeks: %v new followers, joiners, buyers", totals)
	}
}

// readCSV reads a CSV with a header into maps.
func readCSV(t *testing.T, path string) []map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for _, r := range rows[1:] {
		m := map[string]string{}
		for i, h := range rows[0] {
			m[h] = r[i]
		}
		out = append(out, m)
	}
	return out
}
