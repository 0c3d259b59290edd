package metrics_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/ckpi/ckpi/ingest"
)

// loadFixtures loads testdata files into the world's database as the loader
// does, allowing the rejects the fixtures are written with.
func (w *kpiWorld) loadFixtures(maxRejects int64, paths ...string) {
	w.t.Helper()
	for _, p := range paths {
		r := ingest.LoadFile(context.Background(), w.db, p, ingest.Options{TZ: shanghai, MaxRejects: maxRejects})
		if r.Err != nil {
			w.t.Fatalf("load %s: %v", p, r.Err)
		}
	}
}

const oaFixtures = "../testdata/wechat-oa"

// Week 2026-W47 (16-22 November, Shanghai) of 星河科技's user growth: the
// CSV download (16-18 November; the 19th is rejected) and the workbook
// (20-22 November).
func TestPlatformGrowth(t *testing.T) {
	w := newWorld(t)
	w.loadFixtures(2, filepath.Join(oaFixtures, "星河科技-用户增长.csv"), filepath.Join(oaFixtures, "星河科技-用户增长-11月.xlsx"))
	res := w.week("platform_growth", "2026-W47")
	checkShape(t, res)
	// New 1204 + 96 + 88 + 64 + 51 + 47, lost 35 + 20 + 101 + 9 + 15 + 8.
	// Followers at the end of the 22nd: 25661; at the start: 25410 at the
	// end of the 16th less its net 1169.
	want := map[string]any{
		"follows_new": 1550.0, "follows_lost": 188.0, "follows_net": 1362.0,
		"followers_start": 24241.0, "followers_end": 25661.0, "follow_growth_rate": 1362.0 / 24241,
		"follows_search": 421.0, "follows_qr": 665.0, "follows_card_share": 54.0, "follows_article": 152.0,
		"follows_payment": 13.0, "follows_ads": 161.0, "follows_other": 84.0,
	}
	expect(t, res, "星河科技", want)
	expect(t, res, "", want) // one account: the all-accounts row is its
	if n := len(res.ByGroup()); n != 1 {
		t.Errorf("%d account rows", n)
	}
	// The week before has no days: zero follows, no followers known.
	expect(t, w.week("platform_growth", "2026-W46"), "星河科技", map[string]any{
		"follows_new": nil, "follows_net": nil, "followers_end": nil, "follow_growth_rate": nil,
	})
}

// The default account's articles in 2026-W47: getarticletotal (the 16th
// and 17th; the 18th is rejected) and getarticlesummary (the same days,
// and a second article on the 17th), over the followers getusercumulate
// gives for the 18th.
func TestContentReach(t *testing.T) {
	w := newWorld(t)
	w.loadFixtures(1, filepath.Join(oaFixtures, "getarticletotal.json"), filepath.Join(oaFixtures, "getarticlesummary.json"),
		filepath.Join(oaFixtures, "getusercumulate.json"))
	res := w.week("content_reach", "2026-W47")
	checkShape(t, res)
	rows := res.ByGroup()
	if len(rows) != 2 || rows[0]["group_name"] != "11月新品发布：星河 Pro" {
		t.Fatalf("rows %v", rows)
	}
	expect(t, res, "11月新品发布：星河 Pro", map[string]any{
		"read_users": 4025.0, "reads": 5117.0, "share_users": 254.0, "fav_users": 44.0, "original_read_users": 109.0,
		"read_rate": 4025.0 / 25473, "share_rate": 254.0 / 4025,
	})
	expect(t, res, "用户故事：小张的第一台星河", map[string]any{
		"read_users": 610.0, "reads": 702.0, "share_users": 12.0, "read_rate": 610.0 / 25473, "share_rate": 12.0 / 610,
	})
	expect(t, res, "", map[string]any{
		"read_users": 4635.0, "reads": 5819.0, "share_users": 266.0, "fav_users": 47.0, "original_read_users": 109.0,
		"read_rate": 4635.0 / 25473, "share_rate": 266.0 / 4635,
	})
}

// The funnel of 2026-W47: 40 new followers; joins from the official
// account in two groups; buyers are joiners whose first paid order came
// within 28 days after joining.
func TestFollowerFunnel(t *testing.T) {
	w := newWorld(t)
	w.group(1, "A")
	w.group(2, "B")
	for _, m := range []int64{1, 2, 3, 4, 5, 6, 99} {
		w.member(m, fmt.Sprint("p", m%10), fmt.Sprint("k", m%10))
	}
	w.staff(99, 0, "service")
	oaJoin := func(group, member int64, local, source string) {
		w.exec(`INSERT INTO membership_events (event_id, group_id, member_id, ts, kind, source) VALUES (?, ?, ?, ?::TIMESTAMP, 'join', ?)`,
			w.id(), group, member, w.utc(local), source)
	}
	oaJoin(1, 1, "2026-11-17 10:00", "official_account")
	oaJoin(1, 2, "2026-11-18 10:00", "official_account")
	oaJoin(2, 2, "2026-11-19 10:00", "official_account") // the same person in B
	oaJoin(2, 3, "2026-11-20 10:00", "official_account")
	oaJoin(2, 6, "2026-11-21 10:00", "official_account")
	oaJoin(1, 4, "2026-11-18 11:00", "qr")                // another channel
	oaJoin(1, 5, "2026-11-10 11:00", "official_account")  // the week before
	oaJoin(1, 99, "2026-11-18 12:00", "official_account") // staff
	w.order("o1", "k1", "2026-11-18 12:00", 99, "paid")   // after joining: bought
	w.order("o2", "k2", "2026-11-01 12:00", 99, "paid")   // a customer before joining
	w.order("o3", "k3", "2026-11-23 00:30", 99, "paid")   // the next week, within 28 days
	w.order("o6", "k6", "2026-12-19 10:01", 99, "paid")   // 28 days and a minute after joining
	w.order("o5", "k5", "2026-11-18 12:00", 99, "paid")   // joined the week before: its cohort's
	w.order("o9", "k9", "2026-11-18 13:00", 99, "paid")   // staff
	follows := func(local string, n int) {
		w.exec(`INSERT INTO account_follows (account_id, day, source, new_users, cancel_users) VALUES (1, ?::TIMESTAMP, 'all', ?, 0)`, w.utc(local), n)
	}
	follows("2026-11-16", 10)
	follows("2026-11-18", 15)
	follows("2026-11-22", 15)
	follows("2026-11-23", 100) // the next week
	res := w.week("follower_funnel", "2026-W47")
	checkShape(t, res)
	expect(t, res, "A", map[string]any{
		"followers_new": nil, "oa_joiners": 2.0, "follower_join_rate": 2.0 / 40,
		"oa_buyers": 1.0, "joiner_buy_rate": 0.5, "follower_buy_rate": 1.0 / 40,
	})
	expect(t, res, "B", map[string]any{
		"followers_new": nil, "oa_joiners": 3.0, "follower_join_rate": 3.0 / 40,
		"oa_buyers": 1.0, "joiner_buy_rate": 1.0 / 3, "follower_buy_rate": 1.0 / 40,
	})
	expect(t, res, "", map[string]any{
		"followers_new": 40.0, "oa_joiners": 4.0, "follower_join_rate": 4.0 / 40,
		"oa_buyers": 2.0, "joiner_buy_rate": 0.5, "follower_buy_rate": 2.0 / 40,
	})
	// Without an official account's followers: joiners and buyers, no rate.
	expect(t, w.week("follower_funnel", "2026-W46"), "", map[string]any{
		"followers_new": nil, "oa_joiners": 1.0, "oa_buyers": 1.0, "joiner_buy_rate": 1.0,
		"follower_join_rate": nil, "follower_buy_rate": nil,
	})
}
