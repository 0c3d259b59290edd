-- name: health
-- title: Group health score and ranking
-- unit: score
-- grain: week
-- direction: up
-- value: health_score
-- params: start, end, group
-- columns: group_id, group_name, members_end, size_band, participation_rate, growth_rate, activities_4w, weeks_without_activity, answered_share, median_response_minutes, health_score, rank, needs_attention, attention_reason
-- description: One line per group to find the groups that need attention.
--   size_band: small (under 15 members), sweet (15-20, the most efficient
--   size), large (21-100), oversized (over 100: split it), empty (none).
--   participation_rate and growth_rate as in participation and growth
--   (members who spoke / members of the period; (joins - leaves) / members
--   at its start); activities
--   and weeks without activity over the 4 weeks ending at the period's end;
--   answered_share and median_response_minutes as in responsiveness.
--   health_score (0-100) = 35 participation (full at 50% participation) +
--   15 growth (0 at -10% or worse, full at +10% or better, half when there
--   is no start to compare with) + 20 activity rhythm (share of the last 4
--   weeks with an activity) + 15 responsiveness (answered share x speed:
--   full when answered at once, none at 2 hours or slower; half when no
--   question was asked or no staff is known for the group, whose answers
--   then cannot be told from members') + 15 size (full in the sweet spot, members/15 below
--   it, falling to half at 100 members, a quarter when oversized); an empty
--   group scores 0. rank: 1 = healthiest (ties share a rank).
--   needs_attention when any of: no members, no activity for 2+ weeks,
--   participation below 20%, shrinking (lost over 5% net), slow responses
--   (median over 60 min), unanswered questions (over 20%) (these two only
--   where staff are known), oversized; the
--   reasons are listed in attention_reason. Staff and bots are not counted.
--   The all-groups row holds the averages over groups, no band or rank.
WITH sel AS (
    -- the cast gives $group a type, so the driver binds $start and $end as
    -- TIMESTAMP (see docs/metrics.md, "Parameters")
    SELECT * FROM selected_groups($group::VARCHAR)
),
at_start AS (SELECT group_id, count(*) AS n FROM members_at($start) GROUP BY group_id),
at_end   AS (SELECT group_id, count(*) AS n FROM members_at($end) GROUP BY group_id),
moves AS (
    SELECT group_id,
           count(*) FILTER (WHERE move = 'join')               AS joins,
           count(*) FILTER (WHERE move IN ('leave', 'removed')) AS leaves
    FROM membership_moves($start, $end)
    GROUP BY group_id
),
-- Participation as in participation.sql: of the period's members, those
-- who spoke.
speakers AS (
    SELECT group_id, count(*) FILTER (WHERE messages > 0) AS active, count(*) AS members
    FROM member_messages($start, $end)
    GROUP BY group_id
),
-- Activities of the four weeks ending at the end, weeks numbered 0..3 from
-- the oldest (see activity_frequency).
rhythm AS (
    SELECT a.group_id,
           count(*)                                                                              AS activities,
           count(DISTINCT floor(date_diff('second', $end::TIMESTAMP - INTERVAL 28 DAY, a.ts) / 604800)) AS active_weeks,
           bool_or(a.ts >= $end::TIMESTAMP - INTERVAL 14 DAY)                                    AS active_2w
    FROM activities a
    WHERE a.ts >= $end::TIMESTAMP - INTERVAL 28 DAY AND a.ts < $end
    GROUP BY a.group_id
),
-- Responsiveness as in responsiveness.sql (the shared macro in
-- queries/macros.sql): questions, answered within 24 hours, median minutes.
response AS (
    SELECT group_id, count(*) AS questions, count(minutes) AS answered,
           median(minutes) AS median_minutes
    FROM question_responses($start, $end)
    GROUP BY group_id
),
per_group AS (
    SELECT sel.group_id, sel.group_name,
           coalesce(at_end.n, 0)                                           AS members_end,
           speakers.active / nullif(speakers.members, 0)                   AS participation_rate,
           (coalesce(moves.joins, 0) - coalesce(moves.leaves, 0)) / nullif(coalesce(at_start.n, 0), 0) AS growth_rate,
           coalesce(rhythm.activities, 0)                                  AS activities_4w,
           4 - coalesce(rhythm.active_weeks, 0)                            AS weeks_without_activity,
           coalesce(rhythm.active_2w, false)                               AS active_2w,
           coalesce(response.questions, 0)                                 AS questions,
           response.answered / nullif(response.questions, 0)               AS answered_share,
           response.median_minutes                                         AS median_response_minutes,
           coalesce(b.staff_known, false)                                  AS staff_known
    FROM sel
    LEFT JOIN at_start USING (group_id)
    LEFT JOIN at_end USING (group_id)
    LEFT JOIN moves USING (group_id)
    LEFT JOIN speakers USING (group_id)
    LEFT JOIN rhythm USING (group_id)
    LEFT JOIN response USING (group_id)
    LEFT JOIN group_basis b USING (group_id)
),
-- Each component normalised to 0..1; the weights are in the description.
scored AS (
    SELECT *,
           CASE WHEN members_end = 0 THEN 'empty'
                WHEN members_end < 15 THEN 'small'
                WHEN members_end <= 20 THEN 'sweet'
                WHEN members_end <= 100 THEN 'large'
                ELSE 'oversized' END AS size_band,
           CASE WHEN members_end = 0 THEN 0.0 ELSE round(100 * (
                 0.35 * least(coalesce(participation_rate, 0) / 0.5, 1)
               + 0.15 * CASE WHEN growth_rate IS NULL THEN 0.5
                             ELSE greatest(least((growth_rate + 0.1) / 0.2, 1), 0) END
               + 0.20 * (4 - weeks_without_activity) / 4
               + 0.15 * CASE WHEN questions = 0 OR NOT staff_known THEN 0.5
                             ELSE coalesce(answered_share, 0)
                                  * (1 - least(coalesce(median_response_minutes, 120) / 120, 1)) END
               + 0.15 * CASE WHEN members_end < 15 THEN members_end / 15
                             WHEN members_end <= 20 THEN 1
                             WHEN members_end <= 100 THEN 1 - 0.5 * (members_end - 20) / 80
                             ELSE 0.25 END
           ), 1) END AS health_score
    FROM per_group
),
flagged AS (
    SELECT *,
           rank() OVER (ORDER BY health_score DESC) AS score_rank,
           -- concat_ws skips the NULLs of the reasons that do not apply
           nullif(concat_ws('; ',
               CASE WHEN members_end = 0 THEN 'no members' END,
               CASE WHEN NOT active_2w THEN 'no activity for 2+ weeks' END,
               CASE WHEN participation_rate < 0.2 THEN 'participation below 20%' END,
               CASE WHEN growth_rate < -0.05 THEN 'shrinking' END,
               CASE WHEN staff_known AND median_response_minutes > 60 THEN 'slow responses (>60 min)' END,
               CASE WHEN staff_known AND answered_share < 0.8 THEN 'unanswered questions (>20%)' END,
               CASE WHEN members_end > 100 THEN 'oversized: split into sub-groups' END
           ), '') AS reasons
    FROM scored
)
SELECT group_id,
       group_name,
       avg(members_end)                                                  AS members_end,
       CASE WHEN grouping(group_id) = 0 THEN any_value(size_band) END    AS size_band,
       avg(participation_rate)                                           AS participation_rate,
       avg(growth_rate)                                                  AS growth_rate,
       avg(activities_4w)                                                AS activities_4w,
       avg(weeks_without_activity)                                       AS weeks_without_activity,
       avg(answered_share)                                               AS answered_share,
       avg(median_response_minutes)                                      AS median_response_minutes,
       avg(health_score)                                                 AS health_score,
       CASE WHEN grouping(group_id) = 0 THEN any_value(score_rank) END   AS rank,
       CASE WHEN grouping(group_id) = 0 THEN any_value(reasons) IS NOT NULL END AS needs_attention,
       CASE WHEN grouping(group_id) = 0 THEN any_value(reasons) END      AS attention_reason
FROM flagged
GROUP BY GROUPING SETS ((group_id, group_name), ())
ORDER BY group_id IS NOT NULL, group_name, group_id;
