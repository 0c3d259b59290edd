-- name: engagement
-- title: Engagement detail (DAU, WAU, MAU, stickiness)
-- unit: ratio
-- grain: week
-- direction: up
-- value: stickiness
-- params: start, end, group
-- columns: group_id, group_name, members_end, messages, active_members, dau, wau, mau, stickiness, messages_per_active, top10_share, silent_members, silent_share
-- description: Participation in detail. A member is active on a day when
--   they send a message (system notices and recalls do not count). DAU is
--   the average number of distinct active members per day of the period,
--   days cut at local midnight (24-hour steps from the period's start),
--   quiet days counting as zero. WAU and MAU count distinct active members
--   in the 7 and 30 days ending at the period's end (MAU: the whole period
--   when it is longer); stickiness = DAU / MAU, never above 1.
--   Messages per active member and the share of messages sent by the top
--   10% of the period's speakers (ceil(10% of speakers), at least one; ties
--   broken by member id) are over the period. Silent members are members at
--   the period's end with no message in the 30 days before it (newcomers
--   who have not spoken yet included); silent_share = silent / members.
--   Staff and bots are not counted. The all-groups row counts memberships:
--   a person active in two groups counts in both; its top10_share is the
--   share of all messages sent by each group's own top 10%.
WITH sel AS (
    -- the cast gives $group a type, so the driver binds $start and $end as
    -- TIMESTAMP (see docs/metrics.md, "Parameters")
    SELECT * FROM selected_groups($group::VARCHAR)
),
-- Local days: $start is local midnight as a UTC instant, so 24-hour steps
-- from it are the local days (not UTC dates). After a daylight-saving
-- change the steps are an hour off local midnight and the period has 167
-- or 169 hours: round() keeps the count of days, the last day takes the
-- spare hour.
days AS (
    SELECT greatest(round(date_diff('second', $start::TIMESTAMP, $end::TIMESTAMP) / 86400), 1)::BIGINT AS n
),
-- One scan of messages covers both the period and the 30 days before its
-- end (a month-long period starts before those 30 days do), summed per
-- member: messages and distinct local days in the period, and the last
-- message. The staff test then runs on these few rows rather than on
-- every message.
member_stats AS (
    SELECT s.*
    FROM (
        SELECT m.group_id, m.member_id,
               count(*) FILTER (WHERE m.ts >= $start) AS messages,
               count(DISTINCT least(floor(date_diff('second', $start::TIMESTAMP, m.ts) / 86400), days.n - 1))
                   FILTER (WHERE m.ts >= $start)      AS active_days,
               max(m.ts)                              AS last_ts
        FROM messages m, days
        WHERE m.ts >= least($start::TIMESTAMP, $end::TIMESTAMP - INTERVAL 30 DAY) AND m.ts < $end
          AND m.member_id IS NOT NULL
          AND m.kind NOT IN ('system', 'recall')
        GROUP BY m.group_id, m.member_id
    ) s
    WHERE NOT is_staff(s.member_id, s.group_id)
),
speakers AS (
    SELECT group_id, member_id, messages, active_days
    FROM member_stats
    WHERE messages > 0
),
-- Rank each group's speakers by messages; the top ceil(10%) of them.
top_speakers AS (
    SELECT group_id,
           sum(messages) FILTER (WHERE rn <= greatest(ceil(speakers / 10.0), 1)) AS top_messages
    FROM (
        SELECT group_id, messages,
               row_number() OVER (PARTITION BY group_id ORDER BY messages DESC, member_id) AS rn,
               count(*) OVER (PARTITION BY group_id) AS speakers
        FROM speakers
    )
    GROUP BY group_id
),
-- A member counts once on each day they spoke, so the sum of their active
-- days is the sum of the daily active counts.
period AS (
    SELECT group_id, sum(messages) AS messages, count(*) AS active, sum(active_days) AS member_days
    FROM speakers
    GROUP BY group_id
),
recent AS (
    SELECT group_id, member_id, last_ts
    FROM member_stats
    WHERE last_ts >= $end::TIMESTAMP - INTERVAL 30 DAY
),
-- MAU's window is the 30 days ending at the end, or the whole period when
-- it is longer (a 31-day month): every day's active members are then
-- among MAU, so DAU / MAU cannot exceed 1.
active_recent AS (
    SELECT group_id,
           count(*) FILTER (WHERE last_ts >= $end::TIMESTAMP - INTERVAL 7 DAY) AS wau,
           count(*)                                                           AS mau
    FROM member_stats
    GROUP BY group_id
),
-- Members at the end who are not among the last 30 days' speakers.
silent AS (
    SELECT e.group_id,
           count(*)                                   AS members_end,
           count(*) FILTER (WHERE r.member_id IS NULL) AS silent
    FROM members_at($end) e
    LEFT JOIN recent r ON r.group_id = e.group_id AND r.member_id = e.member_id
    GROUP BY e.group_id
),
per_group AS (
    SELECT sel.group_id, sel.group_name,
           coalesce(silent.members_end, 0) AS members_end,
           coalesce(period.messages, 0)    AS messages,
           coalesce(period.active, 0)      AS active_members,
           coalesce(period.member_days, 0) / (SELECT n FROM days) AS dau,
           coalesce(active_recent.wau, 0)         AS wau,
           coalesce(active_recent.mau, 0)         AS mau,
           coalesce(top_speakers.top_messages, 0) AS top_messages,
           coalesce(silent.silent, 0)      AS silent_members
    FROM sel
    LEFT JOIN period USING (group_id)
    LEFT JOIN top_speakers USING (group_id)
    LEFT JOIN active_recent USING (group_id)
    LEFT JOIN silent USING (group_id)
)
SELECT group_id,
       group_name,
       sum(members_end)::BIGINT                          AS members_end,
       sum(messages)::BIGINT                             AS messages,
       sum(active_members)::BIGINT                       AS active_members,
       sum(dau)::DOUBLE                                  AS dau,
       sum(wau)::BIGINT                                  AS wau,
       sum(mau)::BIGINT                                  AS mau,
       sum(dau) / nullif(sum(mau), 0)                    AS stickiness,
       sum(messages) / nullif(sum(active_members), 0)    AS messages_per_active,
       sum(top_messages) / nullif(sum(messages), 0)      AS top10_share,
       sum(silent_members)::BIGINT                       AS silent_members,
       sum(silent_members) / nullif(sum(members_end), 0) AS silent_share
FROM per_group
GROUP BY GROUPING SETS ((group_id, group_name), ())
ORDER BY group_id IS NOT NULL, group_name, group_id;
