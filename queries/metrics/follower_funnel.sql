-- ---
-- name: follower_funnel
-- title: {en: "Follower to member to buyer", zh: "粉丝 → 群成员 → 购买"}
-- grain: week
-- params: [start, end, group]
-- value: follower_join_rate
-- description:
--   en: >-
--     The funnel from the official account to the groups to a purchase, for
--     the period's cohort: the account's new followers in the period (all
--     accounts), the members who joined a group from the official account in
--     it (the growth metric's official_account channel), and of those the
--     ones whose first paid order came within 28 days after joining. Join
--     rate = those joiners / new followers: the share of new followers who
--     joined a group (the platforms do not link a follower to a group member,
--     so it compares counts, and earlier followers who join now can take it
--     past 100%). Buy rate = buyers / joiners; followers to buyers = buyers /
--     new followers. A cohort's buyers are known 28 days after its last join:
--     the report shows the cohort of four weeks before its week. New
--     followers are the account's, on the all-groups row only; a group's row
--     has its own joiners and buyers over all the new followers. Staff and
--     bots are not counted.
--   zh: >-
--     本期批次从公众号到群再到购买的漏斗：本期公众号新增关注（所有公众号）、本期从公众号入群的成员
--     （即成员增长中的“公众号”渠道），以及其中入群后 28 天内首次付费下单的人。入群率 = 这些入群成员 / 新增关注：
--     新增粉丝中进入社群的比例（平台不把粉丝与群成员对应起来，这里比较的是人数，早先关注的粉丝本期入群会使其超过 100%）。
--     购买率 = 购买人数 / 入群人数；粉丝到购买 = 购买人数 / 新增关注。批次的购买人数要到最后一人入群 28 天后才完整：
--     报告展示报告周四周前的批次。新增关注属于公众号，只在全部群组一行显示；各群一行是该群的入群与购买人数，
--     分母为全部新增关注。不计工作人员和机器人。
-- table: {order: 16, week: -4, title: {en: "Funnel ({week} cohort)", zh: "粉丝漏斗（{week} 批次）"},
--         note: {en: "Official account followers of {week} → members who joined a group from it → of them, buyers within 28 days.", zh: "{week} 公众号新增关注 → 从公众号入群的成员 → 其中 28 天内购买的人。"}}
-- columns:
--   - {name: followers_new, format: count, good: up, all: total, needs: [followers],
--      label: {en: "New followers", zh: "新增关注"},
--      about: {en: "People who followed the official account in the period.", zh: "本期关注公众号的人数。"}}
--   - {name: oa_joiners, format: count, good: up, all: distinct,
--      label: {en: "Joined from the account", zh: "公众号入群"},
--      about: {en: "Members who joined a group from the official account in the period.", zh: "本期从公众号进入社群的成员。"}}
--   - {name: follower_join_rate, format: percent, good: up, all: pooled, needs: [followers],
--      label: {en: "Followers who joined", zh: "粉丝入群率"},
--      about: {en: "Members who joined from the official account / its new followers.", zh: "从公众号入群的成员 / 公众号新增关注。"}}
--   - {name: oa_buyers, format: count, good: up, all: distinct, needs: [orders],
--      label: {en: "Of them, bought", zh: "其中购买"},
--      about: {en: "Of those joiners, the ones whose first paid order came within 28 days after joining.", zh: "其中入群后 28 天内首次付费下单的人数。"}}
--   - {name: joiner_buy_rate, format: ratio, good: up, all: pooled, needs: [orders],
--      label: {en: "Joiners who bought", zh: "入群购买率"},
--      about: {en: "Buyers / members who joined from the official account.", zh: "购买人数 / 从公众号入群的成员。"}}
--   - {name: follower_buy_rate, format: percent, good: up, all: pooled, needs: [followers, orders],
--      label: {en: "Followers to buyers", zh: "粉丝购买率"},
--      about: {en: "Buyers / new followers of the official account.", zh: "购买人数 / 公众号新增关注。"}}
-- ---
WITH sel AS (
    SELECT * FROM selected_groups($group)
),
follows AS (
    SELECT sum(new_users) AS n
    FROM account_follows
    WHERE source = 'all' AND day >= $start AND day < $end
),
joiners AS (
    SELECT e.group_id, e.member_id, min(e.ts) AS joined_at
    FROM membership_moves($start, $end) e
    WHERE e.move = 'join' AND e.source = 'official_account'
    GROUP BY e.group_id, e.member_id
),
first_order AS (
    SELECT customer_key, min(ts) AS first_at
    FROM paid_orders
    GROUP BY customer_key
),
outcome AS (
    SELECT j.group_id, j.member_id,
           coalesce(fo.first_at >= j.joined_at AND fo.first_at < j.joined_at + INTERVAL 28 DAY, false) AS bought
    FROM joiners j
    JOIN members mb USING (member_id)
    LEFT JOIN first_order fo ON fo.customer_key = mb.customer_key
),
per_group AS (
    SELECT sel.group_id, sel.group_name, o.member_id, coalesce(o.bought, false) AS bought,
           coalesce(b.orders_known, false) AS orders_known
    FROM sel
    LEFT JOIN outcome o USING (group_id)
    LEFT JOIN group_basis b USING (group_id)
)
SELECT group_id,
       group_name,
       CASE WHEN grouping(group_id) = 1 THEN (SELECT n FROM follows) END::BIGINT  AS followers_new,
       count(DISTINCT member_id)::BIGINT                                           AS oa_joiners,
       count(DISTINCT member_id) / nullif((SELECT n FROM follows), 0)               AS follower_join_rate,
       -- buyers are unknown where no member can be matched to orders
       CASE WHEN bool_or(orders_known) THEN count(DISTINCT member_id) FILTER (WHERE bought) END::BIGINT AS oa_buyers,
       CASE WHEN bool_or(orders_known) THEN count(DISTINCT member_id) FILTER (WHERE bought)
            / nullif(count(DISTINCT member_id) FILTER (WHERE orders_known), 0) END AS joiner_buy_rate,
       CASE WHEN bool_or(orders_known) THEN count(DISTINCT member_id) FILTER (WHERE bought)
            / nullif((SELECT n FROM follows), 0) END AS follower_buy_rate
FROM per_group
GROUP BY GROUPING SETS ((group_id, group_name), ())
ORDER BY group_id IS NOT NULL, group_name, group_id;
