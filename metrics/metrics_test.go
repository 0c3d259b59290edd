package metrics_test

import (
	"context"
	"database/sql"
	"math"
	"path/filepath"
	"testing"
	"time"

	"github.com/ckpi/ckpi/ingest"
	"github.com/ckpi/ckpi/metrics"
	"github.com/ckpi/ckpi/queries"
)

var shanghai, _ = time.LoadLocation("Asia/Shanghai")

// communityDB loads the QQ fixture community, its roster and orders, and
// marks 小美 (10001) as staff.
func communityDB(t testing.TB) *sql.DB {
	t.Helper()
	return communityDBAt(t, filepath.Join(t.TempDir(), "ckpi.duckdb"))
}

// communityDBAt is communityDB in the file at path.
func communityDBAt(t testing.TB, path string) *sql.DB {
	t.Helper()
	ctx := context.Background()
	db, err := queries.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	for _, f := range []string{"community.txt", "members.csv", "orders.csv"} {
		r := ingest.LoadFile(ctx, db, "../testdata/qq/"+f, ingest.Options{TZ: shanghai})
		if r.Err != nil {
			t.Fatal(r.Err)
		}
	}
	if err := ingest.SetStaff(ctx, db, []ingest.Staff{{Platform: "qq", UID: "10001", Role: "service"}}); err != nil {
		t.Fatal(err)
	}
	return db
}

func run(t *testing.T, db *sql.DB, name, week string) map[string]any {
	t.Helper()
	cat, err := metrics.LoadCatalog("")
	if err != nil {
		t.Fatal(err)
	}
	def, err := cat.Get(name)
	if err != nil {
		t.Fatal(err)
	}
	p, err := metrics.ParseWeek(week, shanghai)
	if err != nil {
		t.Fatal(err)
	}
	res, err := metrics.Run(context.Background(), db, def, metrics.Params{Period: p})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.ByGroup()) != 1 {
		t.Fatalf("%s: %d group rows, want 1", name, len(res.ByGroup()))
	}
	return res.Total()
}

// The fixture week 2026-W47 runs from Monday 16 November 00:00 to Monday 23
// November 00:00, Shanghai time. Staff 小美 is excluded everywhere.
func TestCoreMetricsWeek47(t *testing.T) {
	db := communityDB(t)
	cases := []struct {
		metric string
		want   map[string]any
	}{
		{"growth", map[string]any{
			// Before the week: five founding members from the roster (张伟,
			// 王芳, 李娜, 刘洋, 孙丽) plus 陈静, referred on 10 November = 6.
			"members_start": 6.0,
			// Joins: 杨磊 (QR), 赵敏, 周杰 = 3. Leaves: 周杰 left, 刘洋 removed = 2.
			"joins": 3.0, "leaves": 2.0, "net_growth": 1.0,
			// 6 + 3 - 2 = 7 members at the end; growth rate 1/6.
			"members_end": 7.0, "growth_rate": 1.0 / 6,
			// By channel (the roster names them): 杨磊 by the QR code of
			// 王芳, 赵敏 from weibo, 周杰 by link. Referral share counts
			// joins a member brought: the QR one, 1 of 3.
			"joins_qr": 1.0, "joins_weibo": 1.0, "joins_link": 1.0, "joins_referral": 0.0,
			"joins_unknown": 0.0, "referral_share": 1.0 / 3,
		}},
		{"participation", map[string]any{
			// 张伟: 00:30 Monday, two stickers, Sunday 23:59:59 = 4; 杨磊 2;
			// 李娜 1 (her recall does not count); 周杰 1. 王芳's Monday-morning
			// message belongs to W48. Total 8 by 4 active members, of the 9
			// who were members at some moment of the week (the 6 at its start
			// and the 3 who joined: 周杰 left and 刘洋 was removed during it,
			// so 7 remain at the end).
			"messages": 8.0, "active_members": 4.0, "members": 9.0, "members_end": 7.0,
			"participation_rate": 4.0 / 9, "messages_per_active": 2.0,
		}},
		{"conversion", map[string]any{
			// Cohort: 杨磊, 赵敏, 周杰. 杨磊's first order came 2 days 30 min
			// after joining. 赵敏's first paid order is after the week (her
			// refunded one does not count); 周杰 was a customer before joining.
			"joined": 3.0, "converted": 1.0, "conversion_rate": 1.0 / 3,
			"median_days_to_first_order": 2 + 30.0/(24*60),
		}},
	}
	for _, c := range cases {
		t.Run(c.metric, func(t *testing.T) {
			got := run(t, db, c.metric, "2026-W47")
			for col, want := range c.want {
				if g := number(got[col]); math.Abs(g-want.(float64)) > 1e-9 {
					t.Errorf("%s = %v, want %v", col, got[col], want)
				}
			}
		})
	}
}

// An empty week divides by zero members: the ratios are null, not NaN.
func TestEmptyWeekGivesNullRatios(t *testing.T) {
	db := communityDB(t)
	got := run(t, db, "growth", "2026-W40")
	if got["growth_rate"] != nil || number(got["joins"]) != 0 {
		t.Fatalf("W40 growth = %v", got)
	}
	got = run(t, db, "participation", "2026-W40")
	if got["participation_rate"] != nil || got["messages_per_active"] != nil {
		t.Fatalf("W40 participation = %v", got)
	}
}

func number(v any) float64 {
	switch x := v.(type) {
	case int64:
		return float64(x)
	case int32:
		return float64(x)
	case float64:
		return x
	case nil:
		return math.NaN()
	}
	panic("not a number")
}
