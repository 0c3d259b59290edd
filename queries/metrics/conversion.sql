-- name: conversion
-- title: Conversion of new members
-- unit: ratio
-- grain: week
-- direction: up
-- value: conversion_rate
-- params: start, end, group
-- columns: group_id, group_name, joined, converted, conversion_rate, median_days_to_first_order
-- description: Of the members who joined in the period (the cohort), the share
--   whose first ever paid order came after they joined and before the period's
--   end, and the median days from joining to that order. A member already a
--   customer before joining is in the cohort but not converted. Members are
--   linked to orders by customer_key; refunded, cancelled and unpaid orders
--   never count. Staff and bots are not counted.
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
           CASE WHEN o.converted THEN o.days END AS days
    FROM sel LEFT JOIN outcome o USING (group_id)
)
SELECT group_id,
       group_name,
       count(member_id)::BIGINT                                   AS joined,
       count(member_id) FILTER (WHERE converted)::BIGINT          AS converted,
       count(member_id) FILTER (WHERE converted) / nullif(count(member_id), 0) AS conversion_rate,
       median(days)                                               AS median_days_to_first_order
FROM per_group
GROUP BY GROUPING SETS ((group_id, group_name), ())
ORDER BY group_id IS NOT NULL, group_name, group_id;
