package metrics_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/ckpi/ckpi/ingest"
	"github.com/ckpi/ckpi/queries"
)

// A WeCom community end to end (testdata/wecom): customer-group details
// (members, joins with their scene, staff), the chat archive, the customer
// list (external_userid to unionid), and a WeChat mall's orders keyed by
// unionid, with no mapping between them. Week 2026-W47 (Mon 16 Nov to Mon 23
// Nov, Shanghai).
func TestWeComConversionAndRepurchase(t *testing.T) {
	ctx := context.Background()
	db, err := queries.Open(ctx, filepath.Join(t.TempDir(), "ckpi.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	// Details first, then the archive, which knows groups only by id: the
	// names the details gave stay.
	for _, f := range []string{"groupchat.json", "groupchat_shanghai.json", "archive.jsonl", "customers_batch.json",
		"customer_get.json", "orders.csv", "statistic_by_day.json", "statistic_by_owner.json"} {
		r := ingest.LoadFile(ctx, db, "../testdata/wecom/"+f, ingest.Options{TZ: shanghai, MaxRejects: 1})
		if r.Err != nil {
			t.Fatalf("%s: %v", f, r.Err)
		}
	}
	w := &kpiWorld{t: t, db: db}

	// Conversion: the members who joined in the week (details' join_time),
	// converted when their first paid order came after joining.
	//   杭州站: 王芳 (joined Mon 08:30, ordered Wed 12:00: converted, 2 d
	//   3.5 h), 赵磊 (first order on 10 Nov, before joining: not), Kevin
	//   (no unionid in the details; the customer list gives it; ordered Fri
	//   16:30: converted, 2 d 4.5 h).
	//   交流群01: 李强 (his only order refunded), 王芳 (joined Fri, her first
	//   order was Wednesday's: a customer already).
	//   上海站: 吴昊 joined Wed 18:30, no order.
	conv := w.week("conversion", "2026-W47")
	expect(t, conv, "星河用户杭州站", map[string]any{
		"joined": 3.0, "converted": 2.0, "conversion_rate": 2.0 / 3,
		"median_days_to_first_order": (51.5/24 + 52.5/24) / 2,
	})
	expect(t, conv, "星河产品交流群01", map[string]any{
		"joined": 2.0, "converted": 0.0, "conversion_rate": 0.0, "median_days_to_first_order": nil,
	})
	expect(t, conv, "星河用户上海站", map[string]any{"joined": 1.0, "converted": 0.0, "conversion_rate": 0.0})
	expect(t, conv, "", map[string]any{"joined": 6.0, "converted": 2.0, "conversion_rate": 2.0 / 6})

	// Growth: the details' join scenes. 杭州站's week: 王芳 by 张三's QR code,
	// 赵磊 by an invitation link, Kevin invited by 李四: two of three joins
	// brought by someone. 交流群01: 李强 scanned the group's QR code (no one
	// named: not a referral), 王芳 invited by 李四.
	growth := w.week("growth", "2026-W47")
	expect(t, growth, "星河用户杭州站", map[string]any{"joins": 3.0, "joins_qr": 1.0, "joins_link": 1.0, "joins_referral": 1.0, "referral_share": 2.0 / 3})
	expect(t, growth, "星河产品交流群01", map[string]any{"joins": 2.0, "joins_qr": 1.0, "joins_referral": 1.0, "referral_share": 0.5})

	// Health: 上海站's messages were not loaded, so its participation and
	// rhythm count half, not zero, and raise no flag: 35 x 0.5 + 15 growth
	// (1 member at the start, 1 joined: +100%) + 20 x 0.5 + 15 x 0.5 (no
	// question) + 15 x 2/15 (2 members) = 52.
	expect(t, w.week("health", "2026-W47"), "星河用户上海站", map[string]any{
		"members_end": 2.0, "health_score": 52.0, "needs_attention": false, "attention_reason": nil,
	})

	// Repurchase: customers are the members at the week's end (staff and
	// the bot left out) by unionid. 杭州站: 陈晨 (459 this week, 39 on 1
	// Sep), 王芳 (199), 赵磊 (129 this week, 89 on 10 Nov), Kevin (299):
	// four buyers in the week, none twice; in 90 days 陈晨 and 赵磊 twice.
	rep := w.week("repurchase", "2026-W47")
	expect(t, rep, "星河用户杭州站", map[string]any{
		"buyers": 4.0, "repeat_buyers": 0.0, "repurchase_rate": 0.0,
		"buyers_90d": 4.0, "repeat_buyers_90d": 2.0, "repurchase_rate_90d": 0.5,
		"buyers_cumulative": 4.0, "repeat_buyers_cumulative": 2.0,
		"revenue": 1086.0, "members_end": 4.0, "revenue_per_member": 271.5,
	})
	// 交流群01: 孙丽 (99), 王芳 (199); 李强's refunded order never counts.
	expect(t, rep, "星河产品交流群01", map[string]any{
		"buyers": 2.0, "repeat_buyers": 0.0, "buyers_90d": 2.0, "repeat_buyers_90d": 0.0, "repurchase_rate_90d": 0.0,
		"revenue": 298.0, "members_end": 3.0, "revenue_per_member": 298.0 / 3,
	})
	expect(t, rep, "星河用户上海站", map[string]any{
		"buyers": 0.0, "repurchase_rate": nil, "revenue": 0.0, "members_end": 2.0, "revenue_per_member": 0.0,
	})
	// All groups: five customers once each (王芳 is in two groups), eight
	// members.
	expect(t, rep, "", map[string]any{
		"buyers": 5.0, "repeat_buyers_90d": 2.0, "repurchase_rate_90d": 0.4,
		"revenue": 1185.0, "members_end": 8.0, "revenue_per_member": 1185.0 / 8,
	})

	// WeCom's own daily statistics, for the group whose messages were not
	// archived: 王五 leads only 上海站, so its three days of counts are that
	// group's: 3 members on the 18th, 1 new, 4 + 0 + 7 messages, 1, 0 and 2
	// speakers of 2, 2 and 3 members. The per-owner counts of 张三 and 李四
	// cover the whole week at once: they cannot be cut into days.
	stats := w.week("platform_statistics", "2026-W47")
	expect(t, stats, "星河用户上海站", map[string]any{
		"owner_name": "王五|星河客服", "groups_counted": 1.0, "messages_loaded": "not archived", "days": 3.0,
		"members_end": 3.0, "new_members": 1.0, "messages": 11.0, "speakers_per_day": 1.0,
		"speaking_rate": (1.0/2 + 0 + 2.0/3) / 3,
	})
	// 杭州站's owner has no daily counts: nothing to say of it here.
	expect(t, stats, "星河用户杭州站", map[string]any{"messages_loaded": nil, "days": nil, "messages": nil})
	expect(t, stats, "", map[string]any{"groups_counted": 1.0, "members_end": 3.0, "messages": 11.0, "speaking_rate": 1.0 / 3})

	// The group nickname is the member's name in the group, the one the
	// nickname rules read; staff come from the details and the archive.
	var name string
	if err := db.QueryRow(`SELECT n.name FROM member_names n JOIN members m USING (member_id) JOIN groups g USING (group_id)
		WHERE g.name = '星河用户杭州站' AND m.platform_uid = 'wmHZ01sQVwAAa3Rt8WnXsJ4q'`).Scan(&name); err != nil || name != "赵磊|宁波|产品经理" {
		t.Errorf("赵磊's name in 杭州站: %q %v", name, err)
	}
	var roles string
	if err := db.QueryRow(`SELECT string_agg(m.platform_uid || ':' || s.role, ' ' ORDER BY m.platform_uid, s.role)
		FROM staff s JOIN members m USING (member_id) JOIN groups g USING (group_id) WHERE g.name = '星河用户杭州站'`).Scan(&roles); err != nil ||
		roles != "lisi:admin wangwu:admin wbHZ01sQVwAAr0Bo7Tx:bot zhangsan:admin zhangsan:owner" {
		t.Errorf("staff of 杭州站: %q %v", roles, err)
	}
	// The statistics: three days of 王五's groups, a week of 张三's and 李四's.
	var rows, days, messages int64
	var owners string
	if err := db.QueryRow(`SELECT count(*), sum(days), sum(messages), string_agg(DISTINCT m.platform_uid, ' ' ORDER BY m.platform_uid)
		FROM group_statistics s, unnest(s.owner_ids) AS o(id) JOIN members m ON m.member_id = o.id`).Scan(&rows, &days, &messages, &owners); err != nil {
		t.Fatal(err)
	}
	if rows != 5 || days != 3+7+7 || messages != 4+0+7+13+7 || owners != "lisi wangwu zhangsan" {
		t.Errorf("statistics: %d rows, %d days, %d messages, owners %q", rows, days, messages, owners)
	}
}
