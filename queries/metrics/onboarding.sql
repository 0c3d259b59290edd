-- name: onboarding
-- title: Onboarding: self-introductions and nickname format
-- unit: ratio
-- grain: week
-- direction: up
-- value: intro_rate
-- params: start, end, group
-- columns: group_id, group_name, newcomers, introduced, intro_rate, members_end, nickname_compliant, nickname_compliance
-- description: Newcomers are the members who joined in the period. One is
--   introduced when their first text message within 3 days of joining
--   (stickers, images and other media before it are skipped) reads like a
--   self-introduction: "大家好…我是", "我是…来自", "来自…从事", "自我介绍",
--   "I'm/I am … from", "based in", "introduce myself" (any case, across
--   lines). intro_rate = introduced / newcomers; newcomers of the period's
--   last days need the 3 days after it loaded. Nickname compliance is the
--   share of members at the period's end whose nickname in the group (the
--   latest name seen there, else their display name) matches the group's
--   name_pattern, by default "Name | Company | City": three non-empty parts
--   split by "|" or "｜", spaces around the bars allowed. Staff and bots are
--   not counted. The all-groups row adds up the groups.
WITH sel AS (
    -- the cast gives $group a type, so the driver binds $start and $end as
    -- TIMESTAMP (see docs/metrics.md, "Parameters")
    SELECT * FROM selected_groups($group::VARCHAR)
),
-- A rejoin seen only from a message (source 'inferred') is a return,
-- not a newcomer to welcome.
newcomers AS (
    SELECT e.group_id, e.member_id, min(e.ts) AS joined_at
    FROM membership_moves($start, $end) e
    WHERE e.move = 'join' AND e.source <> 'inferred'
    GROUP BY e.group_id, e.member_id
),
-- Each newcomer's first text message in their first 3 days. Only the
-- period and the 3 days after it are read, and only newcomers' messages.
first_words AS (
    SELECT n.group_id, n.member_id, arg_min(m.text, m.ts) AS text
    FROM messages m
    JOIN newcomers n ON n.group_id = m.group_id AND n.member_id = m.member_id
    WHERE m.ts >= $start AND m.ts < $end::TIMESTAMP + INTERVAL 3 DAY
      AND m.ts >= n.joined_at AND m.ts < n.joined_at + INTERVAL 3 DAY
      AND m.kind IN ('text', 'link')
    GROUP BY n.group_id, n.member_id
),
intros AS (
    SELECT n.group_id,
           count(*) AS newcomers,
           -- 'i': any case; 's': "." also matches line breaks
           count(*) FILTER (WHERE regexp_matches(f.text,
               '大家好.*我是|我是.*来自|来自.*从事|自我介绍|I''m .* from|I am .* from|based in|introduce myself', 'is')) AS introduced
    FROM newcomers n
    LEFT JOIN first_words f USING (group_id, member_id)
    GROUP BY n.group_id
),
-- The name a member goes by in the group at the end: the latest one seen
-- there before the end, else their display name.
nicknames AS (
    SELECT e.group_id, e.member_id,
           coalesce(nm.name, mb.display_name) AS nickname
    FROM members_at($end) e
    JOIN members mb ON mb.member_id = e.member_id
    LEFT JOIN (
        SELECT n.group_id, n.member_id, arg_max(n.name, n.first_seen) AS name
        FROM member_names n
        WHERE n.first_seen < $end
        GROUP BY n.group_id, n.member_id
    ) nm ON nm.group_id = e.group_id AND nm.member_id = e.member_id
),
compliance AS (
    SELECT k.group_id,
           count(*) AS members_end,
           -- A pattern read from a column is compiled again for every row,
           -- so the default (the common case) is written as a constant.
           count(*) FILTER (WHERE CASE WHEN g.name_pattern IS NULL
               THEN regexp_matches(k.nickname, '^\s*[^|｜\s][^|｜]*[|｜]\s*[^|｜\s][^|｜]*[|｜]\s*[^|｜\s][^|｜]*$')
               ELSE regexp_matches(k.nickname, g.name_pattern) END) AS compliant
    FROM nicknames k
    JOIN groups g USING (group_id)
    GROUP BY k.group_id
),
per_group AS (
    SELECT sel.group_id, sel.group_name,
           coalesce(intros.newcomers, 0)     AS newcomers,
           coalesce(intros.introduced, 0)    AS introduced,
           coalesce(compliance.members_end, 0) AS members_end,
           coalesce(compliance.compliant, 0) AS compliant
    FROM sel
    LEFT JOIN intros USING (group_id)
    LEFT JOIN compliance USING (group_id)
)
SELECT group_id,
       group_name,
       sum(newcomers)::BIGINT                          AS newcomers,
       sum(introduced)::BIGINT                         AS introduced,
       sum(introduced) / nullif(sum(newcomers), 0)     AS intro_rate,
       sum(members_end)::BIGINT                        AS members_end,
       sum(compliant)::BIGINT                          AS nickname_compliant,
       sum(compliant) / nullif(sum(members_end), 0)    AS nickname_compliance
FROM per_group
GROUP BY GROUPING SETS ((group_id, group_name), ())
ORDER BY group_id IS NOT NULL, group_name, group_id;
