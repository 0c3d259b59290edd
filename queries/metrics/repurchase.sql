-- name: repurchase
-- title: Repurchase rate and revenue per member
-- unit: ratio
-- grain: week
-- direction: up
-- value: repurchase_rate_90d
-- params: start, end, group
-- columns: group_id, group_name, buyers, repeat_buyers, repurchase_rate, buyers_90d, repeat_buyers_90d, repurchase_rate_90d, buyers_cumulative, repeat_buyers_cumulative, repurchase_rate_cumulative, revenue, members_end, revenue_per_member
-- description: Customers are the distinct customer keys of the group's
--   members at the period's end (members are linked to orders by
--   customer_key; two member ids with one key are one customer). Buyers
--   placed at least one order in the period, repeat buyers at least two;
--   repurchase_rate = repeat buyers / buyers; in a week few customers order
--   twice, so the headline is the rolling rate: of the customers who ordered
--   in the 90 days ending at the period's end, those with two or more
--   orders in them (repurchase_rate_90d). The cumulative columns count
--   every order before the period's end, including orders placed before the
--   customer joined the group. Revenue is the sum of the period's orders
--   (amounts added as recorded, whatever the currency) and
--   revenue_per_member = revenue / members at the end. Refunded, cancelled
--   and unpaid orders never count. A person in two groups counts in both groups; the all-groups row
--   counts each customer, their revenue and each member once. Staff and
--   bots are not counted.
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
    SELECT sel.group_id, sel.group_name, count(DISTINCT a.member_id) AS members_end
    FROM sel
    LEFT JOIN at_end a USING (group_id)
    GROUP BY GROUPING SETS ((sel.group_id, sel.group_name), ())
)
SELECT m.group_id,
       m.group_name,
       coalesce(b.buyers, 0)::BIGINT                                       AS buyers,
       coalesce(b.repeat_buyers, 0)::BIGINT                                AS repeat_buyers,
       b.repeat_buyers / nullif(coalesce(b.buyers, 0), 0)                  AS repurchase_rate,
       coalesce(b.buyers_90d, 0)::BIGINT                                   AS buyers_90d,
       coalesce(b.repeat_buyers_90d, 0)::BIGINT                            AS repeat_buyers_90d,
       b.repeat_buyers_90d / nullif(coalesce(b.buyers_90d, 0), 0)          AS repurchase_rate_90d,
       coalesce(b.buyers_cumulative, 0)::BIGINT                            AS buyers_cumulative,
       coalesce(b.repeat_buyers_cumulative, 0)::BIGINT                     AS repeat_buyers_cumulative,
       b.repeat_buyers_cumulative / nullif(coalesce(b.buyers_cumulative, 0), 0) AS repurchase_rate_cumulative,
       -- money as DOUBLE: the report and the CLI read numbers as float64
       coalesce(b.revenue, 0)::DOUBLE                                      AS revenue,
       m.members_end::BIGINT                                               AS members_end,
       coalesce(b.revenue, 0)::DOUBLE / nullif(m.members_end, 0)           AS revenue_per_member
FROM membership m
-- the all-groups rows (group_id NULL) of both sides meet too
LEFT JOIN buying b ON b.group_id IS NOT DISTINCT FROM m.group_id
ORDER BY m.group_id IS NOT NULL, m.group_name, m.group_id;
