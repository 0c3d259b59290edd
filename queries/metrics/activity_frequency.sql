-- name: activity_frequency
-- title: Frequency of group activities
-- unit: activities/week
-- grain: week
-- direction: up
-- value: activities_per_week
-- params: start, end, group
-- columns: group_id, group_name, activities, activities_per_week, checkins, sharing, votes, events, other_activities, weeks_without_activity, groups_broken_rhythm
-- description: Activities held in the period (check-ins, sharing sessions,
--   votes, events; talent shows, discussions and the rest are counted in
--   other_activities) and activities per week (period length in weeks =
--   days / 7). The rhythm looks back four weeks from the period's end:
--   weeks_without_activity counts the weeks among the last four with no
--   activity at all, and a group with at least one such week has a broken
--   rhythm. The all-groups row adds up activities, gives activities per
--   group per week (so it does not grow with the number of groups), the
--   average weeks without activity, and the number of groups whose rhythm
--   broke. Activities are not people, so there is no staff exclusion.
WITH sel AS (
    -- the cast gives $group a type, so the driver binds $start and $end as
    -- TIMESTAMP (see docs/metrics.md, "Parameters")
    SELECT * FROM selected_groups($group::VARCHAR)
),
held AS (
    SELECT a.group_id,
           count(*)                                                       AS activities,
           count(*) FILTER (WHERE a.type = 'checkin')                     AS checkins,
           count(*) FILTER (WHERE a.type = 'sharing')                     AS sharing,
           count(*) FILTER (WHERE a.type = 'vote')                        AS votes,
           count(*) FILTER (WHERE a.type = 'event')                       AS events,
           count(*) FILTER (WHERE a.type NOT IN ('checkin', 'sharing', 'vote', 'event')) AS other_activities
    FROM activities a
    WHERE a.ts >= $start AND a.ts < $end
    GROUP BY a.group_id
),
-- The four weeks ending at $end, numbered 0..3 from the oldest. Counting
-- from the window's start (not back from $end) keeps each week half-open:
-- an activity at exactly $end - 7 days belongs to the last week.
rhythm AS (
    SELECT a.group_id,
           count(DISTINCT floor(date_diff('second', $end::TIMESTAMP - INTERVAL 28 DAY, a.ts) / 604800)) AS active_weeks
    FROM activities a
    WHERE a.ts >= $end::TIMESTAMP - INTERVAL 28 DAY AND a.ts < $end
    GROUP BY a.group_id
),
per_group AS (
    SELECT sel.group_id, sel.group_name,
           coalesce(held.activities, 0)       AS activities,
           coalesce(held.checkins, 0)         AS checkins,
           coalesce(held.sharing, 0)          AS sharing,
           coalesce(held.votes, 0)            AS votes,
           coalesce(held.events, 0)           AS events,
           coalesce(held.other_activities, 0) AS other_activities,
           4 - coalesce(rhythm.active_weeks, 0) AS weeks_without_activity
    FROM sel
    LEFT JOIN held USING (group_id)
    LEFT JOIN rhythm USING (group_id)
)
SELECT group_id,
       group_name,
       sum(activities)::BIGINT                                   AS activities,
       -- per group per week: count(*) is 1 on a group row, the number of
       -- groups on the all-groups row; a zero-length period gives NULL.
       sum(activities) / nullif(count(*) * (date_diff('day', $start::TIMESTAMP, $end::TIMESTAMP) / 7), 0) AS activities_per_week,
       sum(checkins)::BIGINT                                     AS checkins,
       sum(sharing)::BIGINT                                      AS sharing,
       sum(votes)::BIGINT                                        AS votes,
       sum(events)::BIGINT                                       AS events,
       sum(other_activities)::BIGINT                             AS other_activities,
       avg(weeks_without_activity)                               AS weeks_without_activity,
       count(*) FILTER (WHERE weeks_without_activity > 0)::BIGINT AS groups_broken_rhythm
FROM per_group
GROUP BY GROUPING SETS ((group_id, group_name), ())
ORDER BY group_id IS NOT NULL, group_name, group_id;
