-- ---
-- name: platform_statistics
-- title: {en: "Platform statistics (WeCom)", zh: "平台统计（企业微信）"}
-- grain: week
-- params: [start, end, group]
-- value: speaking_rate
-- description:
--   en: >-
--     What the platform counted itself, for the groups whose messages were
--     not exported (WeCom archives messages only for the employees a
--     company licenses): the members, new members, members who spoke and
--     messages of its daily group statistics (群聊数据统计). WeCom never
--     counts per group but per group owner (every group that owner leads),
--     so a group's row holds the counts of its owner's groups: "Groups
--     counted" says how many (1: the group's own). Members are as WeCom
--     counts them, its employees included. Only daily counts of days in the
--     period are used (counts over several days cannot be cut into weeks).
--     Participation, engagement, retention, responsiveness, onboarding,
--     health and risk need the group's messages: for a group whose
--     messages were not loaded they are marked. The all-groups row counts
--     each owner's groups once.
--   zh: >-
--     平台自己统计的数据，用于消息未导出的群（企业微信只为购买了许可的员工存档消息）：群聊数据统计中的成员数、
--     新增成员、发过消息的成员和消息数。企业微信从不按群统计，而是按群主统计（该群主的所有群），所以一个群的行是
--     其群主所有群的合计：“统计群数”说明涵盖几个群（1 即本群）。成员数按企业微信的口径，含员工。只用本期内各天的
--     按天统计（跨多天的统计无法拆分到周）。参与、活跃、留存、响应、新人引导、健康度和风险需要群消息：未导入消息的
--     群的这些数字会被标注。全部群组一行每位群主的群只计一次。
-- table:
--   order: 80
--   title: {en: "Platform statistics (WeCom groups)", zh: "平台统计（企业微信群）"}
--   note:
--     en: "For groups whose messages were not archived: WeCom's own daily counts, per group owner."
--     zh: "用于消息未存档的群：企业微信按群主的每日统计。"
-- columns:
--   - {name: owner_name, format: text, all: none,
--      label: {en: "Owner", zh: "群主"},
--      about: {en: "The group's owner, whose groups WeCom counts together.", zh: "群主：企业微信把其所有群合在一起统计。"}}
--   - {name: groups_counted, format: count, good: none, all: total,
--      label: {en: "Groups counted", zh: "统计群数"},
--      about: {en: "How many groups the counts of this row cover: the owner's groups (1: this group alone).", zh: "本行统计涵盖的群数：该群主的群（1 即仅本群）。"}}
--   - name: messages_loaded
--     format: text
--     all: none
--     label: {en: "Messages loaded", zh: "已导入消息"}
--     about: {en: "Whether the group's own messages were loaded (a WeCom archive): only then can its message KPIs be measured.", zh: "是否导入了本群的消息（企业微信会话存档）：导入后才能计算基于消息的指标。"}
--     values:
--       archived: {en: "yes", zh: "是"}
--       not archived: {en: "no: needs the archive", zh: "否：需要会话存档"}
--   - {name: days, format: count, good: none, all: none,
--      label: {en: "Days counted", zh: "统计天数"},
--      about: {en: "Days of the period with daily counts.", zh: "本期内有按天统计的天数。"}}
--   - {name: members_end, format: count, good: up, all: total,
--      label: {en: "Members (WeCom)", zh: "成员数（企业微信）"},
--      about: {en: "Members of the owner's groups on the last day counted, employees included.", zh: "最后统计日该群主各群的成员数，含员工。"}}
--   - {name: new_members, format: count, good: up, all: total,
--      label: {en: "New members", zh: "新增成员"},
--      about: {en: "Members who joined the owner's groups in the period.", zh: "本期加入该群主各群的成员数。"}}
--   - {name: messages, format: count, good: up, all: total,
--      label: {en: "Messages (WeCom)", zh: "消息数（企业微信）"},
--      about: {en: "Messages sent in the owner's groups in the period.", zh: "本期该群主各群的消息数。"}}
--   - {name: speakers_per_day, format: decimal, good: up, all: total,
--      label: {en: "Speakers per day", zh: "日均发言人数"},
--      about: {en: "Members who sent a message, per day on average.", zh: "平均每天发过消息的成员数。"}}
--   - {name: speaking_rate, format: ratio, good: up, all: pooled,
--      label: {en: "Daily speaking rate", zh: "日发言率"},
--      about: {en: "Average share of a day's members who sent a message that day.", zh: "每天发过消息的成员占当天成员的平均比例。"}}
-- ---
WITH sel AS (
    -- the cast gives $group a type, so the driver binds $start and $end as
    -- TIMESTAMP (see docs/metrics.md, "Parameters")
    SELECT * FROM selected_groups($group::VARCHAR)
),
-- Daily counts of the period, per set of owners (empty: every group of
-- the account).
days AS (
    SELECT platform, owner_ids, ts, new_members, members_total, members_with_messages, messages
    FROM group_statistics
    WHERE days = 1 AND ts >= $start AND ts < $end
),
scopes AS (
    SELECT platform, owner_ids,
           count(*)                                            AS days,
           arg_max(members_total, ts)                          AS members_end,
           sum(new_members)                                    AS new_members,
           sum(messages)                                       AS messages,
           avg(members_with_messages)                          AS speakers_per_day,
           avg(members_with_messages / nullif(members_total, 0)) AS speaking_rate
    FROM days
    GROUP BY platform, owner_ids
),
-- The groups each set of owners leads, as the groups' details state
-- their owners.
owned AS (
    SELECT s.platform, s.owner_ids, g.group_id
    FROM scopes s
    JOIN groups g ON g.platform = s.platform
    WHERE len(s.owner_ids) = 0
       OR EXISTS (SELECT 1 FROM staff f
                  WHERE f.group_id = g.group_id AND f.role = 'owner' AND list_contains(s.owner_ids, f.member_id))
),
counted AS (
    SELECT platform, owner_ids, count(*) AS groups_counted FROM owned GROUP BY platform, owner_ids
),
-- Each group's narrowest set of owners with counts.
chosen AS (
    SELECT o.group_id, o.platform, o.owner_ids, c.groups_counted
    FROM owned o
    JOIN counted c USING (platform, owner_ids)
    QUALIFY row_number() OVER (PARTITION BY o.group_id ORDER BY c.groups_counted, len(o.owner_ids), o.owner_ids::VARCHAR) = 1
),
loaded AS (
    SELECT DISTINCT group_id FROM messages
),
-- The owners' names, once per scope: as a subquery beside every group it
-- cost 0.3 s a week on 1,000 groups, with or without statistics.
owner_names AS (
    SELECT s.platform, s.owner_ids, string_agg(DISTINCT coalesce(m.display_name, m.platform_uid), ', ') AS owner_name
    FROM scopes s
    JOIN members m ON list_contains(s.owner_ids, m.member_id)
    GROUP BY s.platform, s.owner_ids
),
per_group AS (
    SELECT sel.group_id, sel.group_name,
           o.owner_name,
           ch.groups_counted,
           -- said only beside counts: a group no statistics cover has no row to speak of
           CASE WHEN ch.owner_ids IS NULL THEN NULL
                WHEN sel.group_id IN (SELECT group_id FROM loaded) THEN 'archived' ELSE 'not archived' END AS messages_loaded,
           sc.days, sc.members_end, sc.new_members, sc.messages, sc.speakers_per_day, sc.speaking_rate,
           ch.platform, ch.owner_ids
    FROM sel
    LEFT JOIN chosen ch USING (group_id)
    LEFT JOIN scopes sc ON sc.platform = ch.platform AND sc.owner_ids = ch.owner_ids
    LEFT JOIN owner_names o ON o.platform = ch.platform AND o.owner_ids = ch.owner_ids
),
-- All groups: each set of owners once, as the groups shown chose them.
total AS (
    SELECT NULL::BIGINT AS group_id, NULL::VARCHAR AS group_name, NULL::VARCHAR AS owner_name,
           sum(sc.groups_counted)::BIGINT AS groups_counted,
           NULL::VARCHAR AS messages_loaded,
           NULL::BIGINT AS days,
           sum(sc.members_end)::BIGINT AS members_end,
           sum(sc.new_members)::BIGINT AS new_members,
           sum(sc.messages)::BIGINT AS messages,
           sum(sc.speakers_per_day) AS speakers_per_day,
           sum(sc.speakers_per_day) / nullif(sum(sc.members_end), 0) AS speaking_rate
    FROM (
        SELECT DISTINCT p.platform, p.owner_ids, c.groups_counted, s.days, s.members_end, s.new_members, s.messages, s.speakers_per_day
        FROM per_group p
        JOIN counted c USING (platform, owner_ids)
        JOIN scopes s USING (platform, owner_ids)
    ) sc
)
SELECT *
FROM (
    SELECT * FROM total
    UNION ALL
    SELECT group_id, group_name, owner_name, groups_counted::BIGINT, messages_loaded, days::BIGINT, members_end::BIGINT,
           new_members::BIGINT, messages::BIGINT, speakers_per_day, speaking_rate
    FROM per_group
)
ORDER BY group_id IS NOT NULL, group_name, group_id;
