-- ---
-- name: risk_blacklist
-- title: {en: "Blacklist alerts", zh: "黑名单预警"}
-- grain: week
-- params: [start, end, group]
-- value: hits
-- description:
--   en: >-
--     Blacklisted people (from blacklist files, `ckpi risk
--     blacklist add`, or removed violators) who appeared in a group in the
--     period: the first join or message of each person in each group after
--     they were listed. joins: appearances that were joins.
--   zh: >-
--     本期在群中出现的黑名单人员（来自黑名单文件、`ckpi risk blacklist add` 或被移出的违规者）：每人在每个群被列入黑名单后的
--     第一次入群或发言。入群：以入群方式出现的次数。
-- section: risk
-- table: {order: 30}
-- columns:
--   - {name: hits, format: count, good: down, all: total,
--      label: {en: "Blacklist alerts", zh: "黑名单预警"},
--      about: {en: "Blacklisted people who appeared in a group in the period.", zh: "本期在群中出现的黑名单人员。"}}
--   - {name: people, format: count, good: down, all: distinct,
--      label: {en: "People", zh: "人数"},
--      about: {en: "Distinct blacklisted people seen.", zh: "出现的不同黑名单人员。"}}
--   - {name: joins, format: count, good: down, all: total,
--      label: {en: "Joins", zh: "入群"},
--      about: {en: "Appearances that were joins.", zh: "以入群方式出现的次数。"}}
-- ---
WITH sel AS (
    SELECT * FROM selected_groups($group)
),
h AS (
    SELECT DISTINCT ON (h.group_id, h.member_id) h.group_id, h.member_id, h.how
    FROM blacklist_hits h
    WHERE h.ts >= $start AND h.ts < $end
    ORDER BY h.group_id, h.member_id, h.ts
)
SELECT sel.group_id,
       sel.group_name,
       count(h.member_id)::BIGINT                               AS hits,
       count(DISTINCT h.member_id)::BIGINT                      AS people,
       count(h.member_id) FILTER (WHERE h.how = 'join')::BIGINT AS joins
FROM sel
LEFT JOIN h ON h.group_id = sel.group_id
GROUP BY GROUPING SETS ((sel.group_id, sel.group_name), ())
ORDER BY sel.group_id IS NOT NULL, sel.group_name, sel.group_id;
