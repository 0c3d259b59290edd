-- ---
-- name: activity_frequency
-- title: {en: "Frequency of group activities", zh: "群活动频率"}
-- grain: week
-- params: [start, end, group]
-- value: activities_per_week
-- description:
--   en: >-
--     Activities held in the period (check-ins, sharing sessions,
--     votes, events; talent shows, discussions and the rest are counted in
--     other_activities) and activities per week (period length in weeks =
--     days / 7). The rhythm looks back four weeks from the period's end:
--     weeks_without_activity counts the weeks among the last four with no
--     activity at all, and a group with at least one such week has a broken
--     rhythm. The all-groups row adds up activities, gives activities per
--     group per week (so it does not grow with the number of groups), the
--     average weeks without activity, and the number of groups whose rhythm
--     broke. Activities are not people, so there is no staff exclusion.
--   zh: >-
--     本期举办的活动（打卡、分享会、投票、活动；才艺展示、讨论等计入其他活动）以及每周活动数（周数 = 天数 / 7）。
--     活动节奏从期末往回看 4 周：无活动周数是最近 4 周中完全没有活动的周数，有至少一个这样的周即为节奏中断。
--     全部群组一行把活动数相加，给出每群每周的活动数（不随群数增长）、无活动周数的平均值和节奏中断的群数。
--     活动不是人，所以不排除工作人员。
-- table: {order: 30, title: {en: "Activities", zh: "活动"}}
-- charts:
--   - {id: activity_types, order: 50, kind: stacked, fallback: activities,
--      title: {en: "Activities held per week, by type", zh: "每周活动次数（按类型）"}}
-- heatmaps:
--   - id: rhythm
--     kind: groups
--     order: 10
--     column: activities
--     title: {en: "Activity rhythm per group", zh: "各群活动节奏"}
--     short: {en: "Activity rhythm", zh: "活动节奏"}
--     note: {en: "Activities held per group and week; a pale row is a group without a rhythm. Lowest health score at the top.",
--            zh: "每个群每周举办的活动次数；浅色的行表示该群缺少活动节奏。健康分最低的群在最上方。"}
-- columns:
--   - {name: activities, format: count, good: up, all: total, needs: [messages], groups: {order: 100},
--      label: {en: "Activities", zh: "活动数"},
--      about: {en: "Activities held in the period: check-ins, sharing sessions, votes, events and others.", zh: "本期举办的活动：打卡、分享会、投票、活动等。"}}
--   - {name: activities_per_week, format: decimal, good: up, all: average, needs: [messages],
--      card: {order: 110, label: {en: "Activities per group", zh: "群均活动数"}},
--      label: {en: "Activities per week", zh: "每周活动"},
--      about: {en: "Activities held in the week (check-ins, sharing sessions, votes, events…) per group.", zh: "本周每个群平均举办的活动（打卡、分享会、投票、活动等）。"}}
--   - {name: checkins, format: count, good: up, all: total, trend: {chart: activity_types},
--      label: {en: "Check-ins", zh: "打卡"},
--      about: {en: "Check-in days (one per group and day).", zh: "打卡（每群每天计一次）。"}}
--   - {name: sharing, format: count, good: up, all: total, trend: {chart: activity_types},
--      label: {en: "Sharing sessions", zh: "分享会"},
--      about: {en: "Sharing sessions held.", zh: "举办的分享会。"}}
--   - {name: votes, format: count, good: up, all: total, trend: {chart: activity_types},
--      label: {en: "Votes", zh: "投票"},
--      about: {en: "Votes held.", zh: "发起的投票。"}}
--   - {name: events, format: count, good: up, all: total, trend: {chart: activity_types},
--      label: {en: "Events", zh: "活动"},
--      about: {en: "Events held.", zh: "举办的活动。"}}
--   - {name: other_activities, format: count, good: up, all: total, trend: {chart: activity_types},
--      label: {en: "Other", zh: "其他"},
--      about: {en: "Talent shows, discussions and other activities.", zh: "才艺展示、讨论等其他活动。"}}
--   - {name: weeks_without_activity, format: count, good: down, all: average, needs: [messages],
--      label: {en: "Weeks without activity (of 4)", zh: "近 4 周无活动周数"},
--      about: {en: "Weeks among the last four with no activity at all.", zh: "最近 4 周中完全没有活动的周数。"}}
--   - {name: groups_broken_rhythm, format: count, good: down, all: total,
--      label: {en: "Groups with a broken rhythm", zh: "节奏中断的群"},
--      about: {en: "Groups with at least one week without activity among the last four.", zh: "最近 4 周中至少有一周没有活动的群。"}}
-- ---
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
