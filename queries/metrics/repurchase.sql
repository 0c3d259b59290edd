-- ---
-- name: repurchase
-- title: {en: "Repurchase rate and revenue per member", zh: "复购率与人均收入"}
-- grain: week
-- params: [start, end, group]
-- value: repurchase_rate_90d
-- description:
--   en: >-
--     Customers are the distinct customer keys of the group's
--     members at the period's end (members are linked to orders by
--     customer_key; two member ids with one key are one customer). Buyers
--     placed at least one order in the period, repeat buyers at least two;
--     repurchase_rate = repeat buyers / buyers; in a week few customers order
--     twice, so the headline is the rolling rate: of the customers who ordered
--     in the 90 days ending at the period's end, those with two or more
--     orders in them (repurchase_rate_90d). The cumulative columns count
--     every order before the period's end, including orders placed before the
--     customer joined the group. Revenue is the sum of the period's orders
--     (amounts added as recorded, whatever the currency) and
--     revenue_per_member = revenue / members at the end. Refunded, cancelled
--     and unpaid orders never count. A person in two groups counts in both groups; the all-groups row
--     counts each customer, their revenue and each member once. Staff and
--     bots are not counted.
--   zh: >-
--     客户是期末群成员的不同 customer_key（成员通过 customer_key 与订单关联；两个成员编号共用一个 key 算一个客户）。
--     本期至少下单一次的是下单客户，至少两次的是复购客户；复购率 = 复购客户 / 下单客户。一周内很少有客户下两次单，
--     所以核心指标是滚动复购率：截至期末 90 天内下过单的客户中，在这 90 天内下单两次及以上的比例（repurchase_rate_90d）。
--     累计各列计入期末之前的所有订单，包括客户入群之前的订单。收入是本期订单金额之和（金额按记录相加，不论币种），
--     人均收入 = 收入 / 期末成员数。退款、取消和未支付的订单一律不计。同在两个群的人在两个群里各计一次；
--     全部群组一行每个客户、其收入和每个成员只计一次。不计工作人员和机器人。
-- table: {id: conversion}
-- columns:
--   - {name: buyers, format: count, good: up, all: distinct, needs: [orders],
--      label: {en: "Buyers", zh: "下单客户"},
--      about: {en: "Customers who placed at least one order in the period.", zh: "本期至少下单一次的客户。"}}
--   - {name: repeat_buyers, format: count, good: up, all: distinct, needs: [orders],
--      label: {en: "Repeat buyers", zh: "复购客户"},
--      about: {en: "Customers with two or more orders in the period.", zh: "本期下单两次及以上的客户。"}}
--   - {name: repurchase_rate, format: ratio, good: up, all: distinct, needs: [orders],
--      label: {en: "Repurchase rate (week)", zh: "复购率（本周）"},
--      about: {en: "Of the customers who ordered in the week, the share with two or more orders.", zh: "本周下单的客户中，下单两次及以上的比例。"}}
--   - {name: buyers_90d, format: count, good: up, all: distinct, needs: [orders],
--      label: {en: "Buyers (90 days)", zh: "下单客户（90 天）"},
--      about: {en: "Customers who ordered in the 90 days ending at the period's end.", zh: "截至期末 90 天内下过单的客户。"}}
--   - {name: repeat_buyers_90d, format: count, good: up, all: distinct, needs: [orders],
--      label: {en: "Repeat buyers (90 days)", zh: "复购客户（90 天）"},
--      about: {en: "Of them, those with two or more orders in the 90 days.", zh: "其中 90 天内下单两次及以上的客户。"}}
--   - {name: repurchase_rate_90d, format: ratio, good: up, all: distinct, needs: [orders],
--      card: {order: 140}, trend: {chart: conversion_repurchase},
--      label: {en: "Repurchase rate (90 days)", zh: "复购率（90 天）"},
--      about: {en: "Of the customers who ordered in the last 90 days, the share with two or more orders in them.", zh: "最近 90 天下过单的客户中，90 天内下单两次及以上的比例。"}}
--   - {name: buyers_cumulative, format: count, good: up, all: distinct, needs: [orders],
--      label: {en: "Buyers to date", zh: "累计下单客户"},
--      about: {en: "Customers with an order before the period's end.", zh: "期末之前下过单的客户。"}}
--   - {name: repeat_buyers_cumulative, format: count, good: up, all: distinct, needs: [orders],
--      label: {en: "Repeat buyers to date", zh: "累计复购客户"},
--      about: {en: "Customers with two or more orders before the period's end.", zh: "期末之前下单两次及以上的客户。"}}
--   - {name: repurchase_rate_cumulative, format: ratio, good: up, all: distinct, needs: [orders],
--      trend: {chart: conversion_repurchase},
--      label: {en: "Repurchase rate to date", zh: "累计复购率"},
--      about: {en: "Repeat buyers to date / buyers to date.", zh: "累计复购客户 / 累计下单客户。"}}
--   - {name: revenue, format: currency, good: up, all: distinct, needs: [orders],
--      label: {en: "Revenue", zh: "收入"},
--      about: {en: "Sum of the period's orders, refunds left out.", zh: "本期订单金额之和（不含退款）。"}}
--   - {name: members_end, format: count, good: none, all: distinct, needs: [roster],
--      label: {en: "Members at end", zh: "周末成员"},
--      about: {en: "Members at the end of the period, each person once.", zh: "期末成员数，每人计一次。"}}
--   - {name: revenue_per_member, format: currency, good: up, all: distinct, needs: [orders, roster],
--      label: {en: "Revenue per member", zh: "人均收入"},
--      about: {en: "Revenue / members at the end.", zh: "收入 / 期末成员数。"}}
-- ---
WITH sel AS (
    -- the cast gives $group a type, so the driver binds $start and $end as
    -- TIMESTAMP (see docs/metrics.md, "Parameters")
    SELECT * FROM selected_groups($group::VARCHAR)
),
-- Per customer: orders in the period and before the end, revenue in the period.
customer_orders AS (
    SELECT o.customer_key,
           count(*) FILTER (WHERE o.ts >= $start)       AS orders_period,
           count(*) FILTER (WHERE o.ts >= $end::TIMESTAMP - INTERVAL 90 DAY) AS orders_90d,
           count(*)                                     AS orders_cumulative,
           coalesce(sum(o.amount) FILTER (WHERE o.ts >= $start), 0) AS revenue
    FROM paid_orders o
    WHERE o.ts < $end
    GROUP BY o.customer_key
),
-- Members at the end, and the customers among them (a key shared by two
-- member ids of one group is one customer of that group).
at_end AS (
    SELECT e.group_id, e.member_id, mb.customer_key
    FROM members_at($end) e
    JOIN members mb ON mb.member_id = e.member_id
),
-- Customers of each group who ever ordered before the end. On the
-- all-groups row a customer in two groups must count once, revenue
-- included: only their first group's row carries the revenue there.
customers AS (
    SELECT c.group_id, c.customer_key, co.orders_period, co.orders_90d, co.orders_cumulative, co.revenue,
           row_number() OVER (PARTITION BY c.customer_key ORDER BY c.group_id) = 1 AS first_group
    FROM (SELECT DISTINCT group_id, customer_key FROM at_end WHERE customer_key IS NOT NULL) c
    JOIN customer_orders co USING (customer_key)
    WHERE c.group_id IN (SELECT group_id FROM sel)
),
buying AS (
    SELECT group_id,
           count(DISTINCT customer_key) FILTER (WHERE orders_period >= 1)     AS buyers,
           count(DISTINCT customer_key) FILTER (WHERE orders_period >= 2)     AS repeat_buyers,
           count(DISTINCT customer_key) FILTER (WHERE orders_90d >= 1)        AS buyers_90d,
           count(DISTINCT customer_key) FILTER (WHERE orders_90d >= 2)        AS repeat_buyers_90d,
           count(DISTINCT customer_key) FILTER (WHERE orders_cumulative >= 1) AS buyers_cumulative,
           count(DISTINCT customer_key) FILTER (WHERE orders_cumulative >= 2) AS repeat_buyers_cumulative,
           -- grouping(group_id) is 1 on the all-groups row
           CASE WHEN grouping(group_id) = 1 THEN sum(revenue) FILTER (WHERE first_group)
                ELSE sum(revenue) END                                         AS revenue
    FROM customers
    GROUP BY GROUPING SETS ((group_id), ())
),
membership AS (
    SELECT sel.group_id, sel.group_name, count(DISTINCT a.member_id) AS members_end,
           -- members that orders can be matched to: else nothing is known
           bool_or(coalesce(b.orders_known, false)) AS orders_known
    FROM sel
    LEFT JOIN at_end a USING (group_id)
    LEFT JOIN group_basis b ON b.group_id = sel.group_id
    GROUP BY GROUPING SETS ((sel.group_id, sel.group_name), ())
)
-- A group none of whose members can be matched to orders has buyers and
-- revenue unknown (NULL), not 0.
SELECT m.group_id,
       m.group_name,
       CASE WHEN m.orders_known THEN coalesce(b.buyers, 0) END::BIGINT                   AS buyers,
       CASE WHEN m.orders_known THEN coalesce(b.repeat_buyers, 0) END::BIGINT            AS repeat_buyers,
       b.repeat_buyers / nullif(coalesce(b.buyers, 0), 0)                                  AS repurchase_rate,
       CASE WHEN m.orders_known THEN coalesce(b.buyers_90d, 0) END::BIGINT               AS buyers_90d,
       CASE WHEN m.orders_known THEN coalesce(b.repeat_buyers_90d, 0) END::BIGINT        AS repeat_buyers_90d,
       b.repeat_buyers_90d / nullif(coalesce(b.buyers_90d, 0), 0)                          AS repurchase_rate_90d,
       CASE WHEN m.orders_known THEN coalesce(b.buyers_cumulative, 0) END::BIGINT        AS buyers_cumulative,
       CASE WHEN m.orders_known THEN coalesce(b.repeat_buyers_cumulative, 0) END::BIGINT AS repeat_buyers_cumulative,
       b.repeat_buyers_cumulative / nullif(coalesce(b.buyers_cumulative, 0), 0)            AS repurchase_rate_cumulative,
       -- money as DOUBLE: the report and the CLI read numbers as float64
       CASE WHEN m.orders_known THEN coalesce(b.revenue, 0) END::DOUBLE                  AS revenue,
       m.members_end::BIGINT                                                               AS members_end,
       CASE WHEN m.orders_known THEN coalesce(b.revenue, 0) END::DOUBLE / nullif(m.members_end, 0) AS revenue_per_member
FROM membership m
LEFT JOIN buying b ON b.group_id IS NOT DISTINCT FROM m.group_id
ORDER BY m.group_id IS NOT NULL, m.group_name, m.group_id;
