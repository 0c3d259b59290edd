-- ---
-- name: engagement
-- title: {en: "Engagement detail (DAU, WAU, MAU, stickiness)", zh: "活跃度（日活、周活、月活、黏性）"}
-- grain: week
-- params: [start, end, group]
-- value: stickiness
-- cost: heavy
-- description:
--   en: >-
--     Participation in detail. A member is active on a day when
--     they send a message (system notices and recalls do not count). DAU is
--     the average number of distinct active members per day of the period,
--     days cut at local midnight (24-hour steps from the period's start),
--     quiet days counting as zero. WAU and MAU count distinct active members
--     in the 7 and 30 days ending at the period's end (MAU: the whole period
--     when it is longer); stickiness = DAU / MAU, never above 1.
--     Messages per active member and the share of messages sent by the top
--     10% of the period's speakers (ceil(10% of speakers), at least one; ties
--     broken by member id) are over the period. Silent members are members at
--     the period's end with no message in the 30 days before it (newcomers
--     who have not spoken yet included); silent_share = silent / members.
--     Staff and bots are not counted. The all-groups row counts memberships:
--     a person active in two groups counts in both; its top10_share is the
--     share of all messages sent by each group's own top 10%.
--   zh: >-
--     参与情况的细节。成员在某天发过消息即为当天活跃（系统通知和撤回不算）。日活（DAU）是本期每天不同活跃成员数的平均值，
--     按当地零点切分日期（从期初起每 24 小时一天），没有发言的日子计为零。周活、月活是截至期末 7 天、30 天内不同的活跃成员数（月活：周期更长时按整个周期）；黏性 = 日活 / 月活，不会超过 1。人均消息数和发言最多的 10% 成员（发言人数的 10% 向上取整，至少一人；并列按成员编号）所发消息占比按本期计算。
--     沉默成员是期末仍在群内、期末前 30 天内没有发言的成员（包括尚未发言的新成员）；沉默占比 = 沉默成员 / 期末成员。
--     不计工作人员和机器人。全部群组一行按成员关系计：同在两个群里活跃的人计两次；其前 10% 占比是各群自己的前 10% 所发消息占全部消息的比例。
-- table: {id: participation}
-- charts:
--   - {id: dau_wau, order: 30, kind: line, format: count,
--      title: {en: "Daily and weekly active members", zh: "日活与周活"}}
-- columns:
--   - {name: members_end, format: count, good: none, all: total, needs: [roster],
--      label: {en: "Members at end", zh: "周末成员"},
--      about: {en: "Members at the end of the period (staff and bots left out).", zh: "期末成员数（不含工作人员和机器人）。"}}
--   - {name: messages, format: count, good: up, all: total, needs: [messages],
--      label: {en: "Messages", zh: "消息数"},
--      about: {en: "Members' messages in the period (system notices and recalls left out).", zh: "本期成员消息数（不含系统通知和撤回）。"}}
--   - {name: active_members, format: count, good: up, all: total, needs: [messages],
--      label: {en: "Active members", zh: "活跃成员"},
--      about: {en: "Members who sent at least one message in the period.", zh: "本期至少发言一次的成员。"}}
--   - {name: dau, format: decimal, good: up, all: total, needs: [messages], trend: {chart: dau_wau},
--      card: {order: 70, label: {en: "DAU", zh: "日活（DAU）"}},
--      label: {en: "DAU", zh: "日活"},
--      about: {en: "Average distinct members who spoke per day of the week.", zh: "本周平均每天发言的不同成员数。"}}
--   - {name: wau, format: count, good: up, all: total, needs: [messages], trend: {chart: dau_wau},
--      card: {order: 80, label: {en: "WAU", zh: "周活（WAU）"}},
--      label: {en: "WAU", zh: "周活"},
--      about: {en: "Distinct members who spoke in the 7 days ending with the week.", zh: "截至周末 7 天内发言的不同成员数。"}}
--   - {name: mau, format: count, good: up, all: total, needs: [messages],
--      label: {en: "MAU", zh: "月活"},
--      about: {en: "Distinct members who spoke in the 30 days ending with the period.", zh: "截至期末 30 天内发言的不同成员数。"}}
--   - {name: stickiness, format: ratio, good: up, all: pooled, needs: [messages],
--      card: {order: 90, label: {en: "Stickiness (DAU/MAU)", zh: "黏性（DAU/MAU）"}},
--      label: {en: "Stickiness", zh: "黏性"},
--      about: {en: "DAU / members who spoke in the 30 days ending with the week.", zh: "日活 / 截至周末 30 天内发言的成员数。"}}
--   - {name: messages_per_active, format: decimal, good: up, all: pooled, needs: [messages],
--      label: {en: "Messages per active member", zh: "人均消息"},
--      about: {en: "Messages / active members.", zh: "消息数 / 活跃成员数。"}}
--   - {name: top10_share, format: ratio, good: down, all: pooled, needs: [messages],
--      label: {en: "Top 10% share", zh: "前 10% 发言占比"},
--      about: {en: "Share of the messages sent by the top 10% of the period's speakers.", zh: "本期发言最多的 10% 成员所发消息的占比。"}}
--   - {name: silent_members, format: count, good: down, all: total, needs: [roster, messages],
--      label: {en: "Silent 30 days", zh: "30 天未发言"},
--      about: {en: "Members with no message in the 30 days before the period's end.", zh: "期末前 30 天内没有发言的成员。"}}
--   - {name: silent_share, format: ratio, good: down, all: pooled, needs: [roster, messages],
--      label: {en: "Silent share", zh: "沉默占比"},
--      about: {en: "Silent members / members at the end.", zh: "沉默成员 / 期末成员数。"}}
-- ---
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
