-- name: platform_statistics
-- title: Platform statistics (WeCom 群聊数据统计) for groups without their messages
-- unit: members
-- grain: week
-- direction: up
-- value: speaking_rate
-- params: start, end, group
-- columns: group_id, group_name, owner_name, groups_counted, messages_loaded, days, members_end, new_members, messages, speakers_per_day, speaking_rate
-- description: What the platform counted itself, for the groups whose
--   messages were not exported (WeCom archives messages only for the
--   employees a company licenses): the members, new members, members who
--   spoke and messages of its daily group statistics. WeCom never counts
--   per group, but per group owner (every group that owner leads), so a
--   group's row holds the counts of its owner's groups: groups_counted says
--   how many groups they cover (1: the group's own). Members are as WeCom
--   counts them, its employees included. Only daily rows whose day lies in
--   the period count (a count over several days cannot be split into
--   weeks); days is how many days of the period have counts. members_end is
--   the member total of the last such day; new_members and messages are
--   sums; speakers_per_day is the average number of members who sent a
--   message per day, speaking_rate the average share of that day's members
--   who did. messages_loaded says whether the group's own messages were
--   loaded: only then can participation, engagement, retention,
--   responsiveness, health, onboarding and risk be measured for it (those
--   need the chat archive). The all-groups row counts each owner's groups
--   once.
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
per_group AS (
    SELECT sel.group_id, sel.group_name,
           (SELECT string_agg(DISTINCT coalesce(m.display_name, m.platform_uid), ', ')
            FROM members m WHERE list_contains(ch.owner_ids, m.member_id)) AS owner_name,
           ch.groups_counted, sel.group_id IN (SELECT group_id FROM loaded) AS messages_loaded,
           sc.days, sc.members_end, sc.new_members, sc.messages, sc.speakers_per_day, sc.speaking_rate,
           ch.platform, ch.owner_ids
    FROM sel
    LEFT JOIN chosen ch USING (group_id)
    LEFT JOIN scopes sc ON sc.platform = ch.platform AND sc.owner_ids = ch.owner_ids
),
-- All groups: each set of owners once, as the groups shown chose them.
total AS (
    SELECT NULL::BIGINT AS group_id, NULL::VARCHAR AS group_name, NULL::VARCHAR AS owner_name,
           sum(sc.groups_counted)::BIGINT AS groups_counted,
           NULL::BOOLEAN AS messages_loaded,
           max(sc.days)::BIGINT AS days,
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
