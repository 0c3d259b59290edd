-- ---
-- name: conversion
-- title: {en: "Conversion of new members", zh: "新成员转化"}
-- grain: week
-- params: [start, end, group]
-- value: conversion_rate
-- description:
--   en: >-
--     Of the members who joined in the period (the cohort), the share
--     whose first ever paid order came after they joined and before the period's
--     end, and the median days from joining to that order. A member already a
--     customer before joining is in the cohort but not converted. Members are
--     linked to orders by customer_key; refunded, cancelled and unpaid orders
--     never count. A group none of whose members carries a customer key
--     (a chat export without a roster) has no conversion, not 0, and its
--     joiners are left out of the all-groups rate. Staff and bots are not
--     counted.
--   zh: >-
--     本期入群的成员（该批次）中，首次付费订单在入群之后、期末之前的比例，以及从入群到该订单的天数中位数。
--     入群前已是客户的成员计入批次但不算转化。成员通过 customer_key 与订单关联；退款、取消和未支付的订单一律不计。
--     成员都没有 customer_key 的群（例如没有成员名单的聊天导出）没有转化率（不是 0），其入群成员也不计入全部群组的比率。
--     不计工作人员和机器人。
-- table: {order: 50, title: {en: "Conversion & repurchase", zh: "转化与复购"}}
-- charts:
--   - {id: conversion_repurchase, order: 40, kind: line,
--      title: {en: "Conversion and repurchase", zh: "转化率与复购率"}}
-- columns:
--   - {name: joined, format: count, good: up, all: total,
--      label: {en: "Joined", zh: "新成员"},
--      about: {en: "Members who joined in the period: the cohort.", zh: "本期入群的成员：即该批次。"}}
--   - {name: converted, format: count, good: up, all: total, needs: [orders],
--      label: {en: "Converted", zh: "已转化"},
--      about: {en: "Of them, those whose first paid order came after joining.", zh: "其中入群后首次付费下单的人数。"}}
--   - {name: conversion_rate, format: ratio, good: up, all: pooled, needs: [orders],
--      card: {order: 130}, groups: {order: 110, excel_only: true}, trend: {chart: conversion_repurchase},
--      label: {en: "Conversion", zh: "转化率"},
--      about: {en: "Of the week's joiners, the share whose first paid order came after joining.", zh: "本周入群成员中，入群后首次付费下单的比例。"}}
--   - {name: median_days_to_first_order, format: decimal, good: down, all: pooled, needs: [orders],
--      label: {en: "Median days to first order", zh: "首单天数中位数"},
--      about: {en: "Median days from joining to the first paid order.", zh: "从入群到首次付费下单的天数中位数。"}}
-- ---
WITH sel AS (
    SELECT * FROM selected_groups($group)
),
cohort AS (
    SELECT e.group_id, e.member_id, min(e.ts) AS joined_at
    FROM membership_moves($start, $end) e
    WHERE e.move = 'join'
    GROUP BY e.group_id, e.member_id
),
first_order AS (
    SELECT customer_key, min(ts) AS first_at
    FROM paid_orders
    GROUP BY customer_key
),
outcome AS (
    SELECT c.group_id, c.member_id,
           fo.first_at >= c.joined_at AND fo.first_at < $end AS converted,
           date_diff('second', c.joined_at, fo.first_at) / 86400.0 AS days
    FROM cohort c
    JOIN members mb USING (member_id)
    LEFT JOIN first_order fo ON fo.customer_key = mb.customer_key
),
per_group AS (
    SELECT sel.group_id, sel.group_name, o.member_id, coalesce(o.converted, false) AS converted,
           CASE WHEN o.converted THEN o.days END AS days,
           coalesce(b.orders_known, false) AS orders_known
    FROM sel
    LEFT JOIN outcome o USING (group_id)
    LEFT JOIN group_basis b USING (group_id)
)
-- A group whose members cannot be matched to orders (none loaded, or no
-- member carries a customer key) has no conversion, and its joiners are
-- left out of the all-groups rate rather than counted as not converted.
SELECT group_id,
       group_name,
       count(member_id)::BIGINT                                   AS joined,
       CASE WHEN bool_or(orders_known)
            THEN count(member_id) FILTER (WHERE converted AND orders_known) END::BIGINT AS converted,
       CASE WHEN bool_or(orders_known)
            THEN count(member_id) FILTER (WHERE converted AND orders_known)
                 / nullif(count(member_id) FILTER (WHERE orders_known), 0) END AS conversion_rate,
       median(days)                                               AS median_days_to_first_order
FROM per_group
GROUP BY GROUPING SETS ((group_id, group_name), ())
ORDER BY group_id IS NOT NULL, group_name, group_id;
