-- ---
-- name: onboarding
-- title: {en: "Onboarding: self-introductions and nickname format", zh: "新人引导：自我介绍与昵称格式"}
-- grain: week
-- params: [start, end, group]
-- value: intro_rate
-- description:
--   en: >-
--     Newcomers are the members who joined in the period. One is
--     introduced when their first text message within 3 days of joining
--     (stickers, images and other media before it are skipped) reads like a
--     self-introduction: "大家好…我是", "我是…来自", "来自…从事", "自我介绍",
--     "I'm/I am … from", "based in", "introduce myself" (any case, across
--     lines). intro_rate = introduced / newcomers; newcomers of the period's
--     last days need the 3 days after it loaded. Nickname compliance is the
--     share of members at the period's end whose nickname in the group (the
--     latest name seen there, else their display name) matches the group's
--     name_pattern, by default "Name | Company | City": three non-empty parts
--     split by "|" or "｜", spaces around the bars allowed. Staff and bots are
--     not counted. The all-groups row adds up the groups.
--   zh: >-
--     新成员是本期入群的成员。新成员入群 3 天内的第一条文字消息（之前的表情、图片等跳过）读起来像自我介绍即为已自我介绍：
--     “大家好…我是”“我是…来自”“来自…从事”“自我介绍”“I'm/I am … from”“based in”“introduce myself”（不分大小写，可跨行）。
--     自我介绍率 = 已自我介绍 / 新成员；期末最后几天入群的新成员需要导入之后 3 天的数据。昵称合规率是期末成员中群昵称
--     （在该群最后一次出现的名字，否则为显示名）符合该群 name_pattern 的比例，默认为“姓名 | 公司 | 城市”：以“|”或“｜”
--     分成三段非空内容，竖线两侧可有空格。不计工作人员和机器人。全部群组一行把各群相加。
-- table: {id: responsiveness}
-- columns:
--   - {name: newcomers, format: count, good: up, all: total,
--      label: {en: "Newcomers", zh: "新成员"},
--      about: {en: "Members who joined in the period.", zh: "本期入群的成员。"}}
--   - {name: introduced, format: count, good: up, all: total, needs: [messages],
--      label: {en: "Introduced themselves", zh: "已自我介绍"},
--      about: {en: "Newcomers whose first text within 3 days of joining introduced themselves.", zh: "入群 3 天内第一条文字消息是自我介绍的新成员。"}}
--   - {name: intro_rate, format: ratio, good: up, all: pooled, needs: [messages],
--      label: {en: "Introduction rate", zh: "自我介绍率"},
--      about: {en: "Introduced / newcomers.", zh: "已自我介绍 / 新成员。"}}
--   - {name: members_end, format: count, good: none, all: total, needs: [roster],
--      label: {en: "Members at end", zh: "周末成员"},
--      about: {en: "Members at the end of the period (staff and bots left out).", zh: "期末成员数（不含工作人员和机器人）。"}}
--   - {name: nickname_compliant, format: count, good: up, all: total, needs: [roster],
--      label: {en: "Nicknames in format", zh: "昵称合规"},
--      about: {en: "Members at the end whose nickname follows the group's format.", zh: "期末昵称符合本群格式的成员。"}}
--   - {name: nickname_compliance, format: ratio, good: up, all: pooled, needs: [roster],
--      label: {en: "Nickname compliance", zh: "昵称合规率"},
--      about: {en: "Nicknames in format / members at the end.", zh: "昵称合规 / 期末成员数。"}}
-- ---
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
