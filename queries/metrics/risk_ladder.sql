-- ---
-- name: risk_ladder
-- title: {en: "Handling ladder", zh: "处理阶梯"}
-- grain: week
-- params: [start, end, group]
-- value: pending_removals
-- description:
--   en: >-
--     The warning -> public notice and mute -> removal ladder at the
--     period's end: offences in the period, and members whose latest offence
--     put them on each step (by the group of that offence). removed: members on
--     the removal step whom staff removed from the group afterwards;
--     pending_removals: those still in the group, an action staff owe.
--   zh: >-
--     期末时“私下提醒 -> 群内公示并禁言 -> 移出”的处理阶梯：本期的违规次数，以及最近一次违规使其处于各阶段的成员
--     （按该次违规所在的群）。已移出：处于移出阶段、之后被工作人员移出群的成员；待移出：仍在群内的成员，是工作人员待处理的事项。
-- section: risk
-- table: {order: 20}
-- columns:
--   - {name: offences, format: count, good: down, all: total,
--      label: {en: "Offences", zh: "违规次数"},
--      about: {en: "Offences in the period.", zh: "本期的违规次数。"}}
--   - {name: warning, format: count, good: down, all: total,
--      label: {en: "Warning step", zh: "提醒"},
--      about: {en: "Members whose latest offence put them on the warning step.", zh: "最近一次违规使其处于提醒阶段的成员。"}}
--   - {name: notice_mute, format: count, good: down, all: total,
--      label: {en: "Notice and mute step", zh: "公示禁言"},
--      about: {en: "Members on the public notice and mute step.", zh: "处于群内公示并禁言阶段的成员。"}}
--   - {name: removal, format: count, good: down, all: total,
--      label: {en: "Removal step", zh: "移出"},
--      about: {en: "Members on the removal step.", zh: "处于移出阶段的成员。"}}
--   - {name: removed, format: count, good: none, all: total,
--      label: {en: "Removed", zh: "已移出"},
--      about: {en: "Members on the removal step whom staff removed.", zh: "处于移出阶段且已被工作人员移出的成员。"}}
--   - {name: pending_removals, format: count, good: down, all: total,
--      label: {en: "Pending removals", zh: "待移出"},
--      about: {en: "Members on the removal step still in the group: an action staff owe.", zh: "处于移出阶段但仍在群内的成员：工作人员待处理。"}}
-- ---
WITH sel AS (
    SELECT * FROM selected_groups($group)
),
latest AS (
    SELECT DISTINCT ON (o.member_id, o.ladder_group) o.*
    FROM risk_offences o
    WHERE o.ts < $end
    ORDER BY o.member_id, o.ladder_group, o.ts DESC
),
exits AS (
    SELECT l.member_id, l.ladder_group,
           bool_or(e.kind = 'removed') AS removed,
           bool_or(e.kind IS NOT NULL) AS gone
    FROM latest l
    LEFT JOIN membership_events e ON e.group_id = l.group_id AND e.member_id = l.member_id
     AND e.kind IN ('removed', 'leave') AND e.ts >= l.ts AND e.ts < $end
    GROUP BY l.member_id, l.ladder_group
),
state AS (
    SELECT l.group_id, l.member_id, l.step, x.removed, x.gone
    FROM latest l JOIN exits x USING (member_id, ladder_group)
),
new_offences AS (
    SELECT o.group_id, count(*) AS n
    FROM risk_offences o
    WHERE o.ts >= $start AND o.ts < $end
    GROUP BY o.group_id
),
per_group AS (
    SELECT sel.group_id, sel.group_name,
           coalesce(max(n.n), 0)                                                      AS offences,
           count(s.member_id) FILTER (WHERE s.step = 'warning')                        AS warning,
           count(s.member_id) FILTER (WHERE s.step IN ('public_notice', 'mute', 'public_notice_mute')) AS notice_mute,
           count(s.member_id) FILTER (WHERE s.step = 'removal')                        AS removal,
           count(s.member_id) FILTER (WHERE s.step = 'removal' AND s.removed)          AS removed,
           count(s.member_id) FILTER (WHERE s.step = 'removal' AND NOT s.gone)         AS pending_removals
    FROM sel
    LEFT JOIN state s ON s.group_id = sel.group_id
    LEFT JOIN new_offences n ON n.group_id = sel.group_id
    GROUP BY sel.group_id, sel.group_name
)
SELECT group_id,
       group_name,
       sum(offences)::BIGINT         AS offences,
       sum(warning)::BIGINT          AS warning,
       sum(notice_mute)::BIGINT      AS notice_mute,
       sum(removal)::BIGINT          AS removal,
       sum(removed)::BIGINT          AS removed,
       sum(pending_removals)::BIGINT AS pending_removals
FROM per_group
GROUP BY GROUPING SETS ((group_id, group_name), ())
ORDER BY group_id IS NOT NULL, group_name, group_id;
