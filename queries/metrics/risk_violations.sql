-- ---
-- name: risk_violations
-- title: {en: "Rule violations", zh: "违规情况"}
-- grain: week
-- params: [start, end, group]
-- value: violations
-- description:
--   en: >-
--     Offending messages found by `ckpi risk scan` in the period:
--     a message that broke several rules (an ad with a link from a member who
--     joined and left) is one violation, as on the handling ladder; a nickname
--     offence counts once per member and name. rule_hits counts every rule
--     broken. By category (abuse and insults, advertising incl. links, contact
--     details and hit-and-run ad accounts, political and sensitive talk,
--     indecent content, flooding, oversized media, nicknames): offences with
--     at least one hit in it, so categories can add up to more than the
--     total. violators: the members who committed them. Staff are exempt
--     from the rules that say so. Zero until a scan has run.
--   zh: >-
--     `ckpi risk scan` 在本期发现的违规消息：一条消息违反多条规则（入群又退群的成员发的带链接的广告）只算一次违规，
--     与处理阶梯一致；昵称违规按成员和名字各计一次。rule_hits 统计违反的每一条规则。按类别（辱骂攻击、广告（含链接、联系方式和
--     打一枪就跑的广告号）、政治与敏感话题、低俗内容、刷屏、超大图片/文件、昵称）统计至少命中一次该类别的违规，所以各类别之和
--     可能大于总数。违规人数：违规的成员。规则注明豁免工作人员的，不计工作人员。尚未扫描时为零。
-- section: risk
-- table: {order: 10}
-- charts:
--   - {id: violations, order: 100, kind: stacked, fallback: violations,
--      title: {en: "Rule violations per week, by category", zh: "每周违规次数（按类别）"}}
-- columns:
--   - {name: violations, format: count, good: down, all: total, needs: [messages], groups: {order: 120},
--      alert: {above: 3, text: {en: "{value} messages with violations this week", zh: "本周违规消息 {value} 条"}},
--      label: {en: "Messages with violations", zh: "违规消息"},
--      about: {en: "Messages found breaking a rule by `ckpi risk scan` in the period.", zh: "本期 `ckpi risk scan` 发现的违规消息。"}}
--   - {name: rule_hits, format: count, good: down, all: total, needs: [messages],
--      label: {en: "Rules broken", zh: "违反规则次数"},
--      about: {en: "Every rule broken: a message that broke three rules counts three.", zh: "违反的每一条规则：一条消息违反三条规则计三次。"}}
--   - {name: violators, format: count, good: down, all: distinct, needs: [messages],
--      label: {en: "Violators", zh: "违规人数"},
--      about: {en: "Members who broke a rule in the period.", zh: "本期违规的成员。"}}
--   - {name: abuse, format: count, good: down, all: total, needs: [messages], trend: {chart: violations},
--      label: {en: "Abuse and insults", zh: "辱骂攻击"},
--      about: {en: "Offences breaking an abuse or insult rule.", zh: "违反辱骂攻击规则的违规。"}}
--   - {name: advertising, format: count, good: down, all: total, needs: [messages], trend: {chart: violations},
--      label: {en: "Advertising", zh: "广告"},
--      about: {en: "Advertising, links, contact details and hit-and-run ad accounts.", zh: "广告、链接、联系方式和打一枪就跑的广告号。"}}
--   - {name: political, format: count, good: down, all: total, needs: [messages], trend: {chart: violations},
--      label: {en: "Political, sensitive", zh: "政治敏感"},
--      about: {en: "Political and sensitive talk.", zh: "政治与敏感话题。"}}
--   - {name: indecent, format: count, good: down, all: total, needs: [messages], trend: {chart: violations},
--      label: {en: "Indecent", zh: "低俗色情"},
--      about: {en: "Indecent content.", zh: "低俗色情内容。"}}
--   - {name: flooding, format: count, good: down, all: total, needs: [messages], trend: {chart: violations},
--      label: {en: "Flooding", zh: "刷屏"},
--      about: {en: "Flooding the group.", zh: "刷屏。"}}
--   - {name: media, format: count, good: down, all: total, needs: [messages], trend: {chart: violations},
--      label: {en: "Oversized media", zh: "超大图片/文件"},
--      about: {en: "Oversized images and files.", zh: "超大的图片和文件。"}}
--   - {name: nickname, format: count, good: down, all: total, trend: {chart: violations},
--      label: {en: "Nicknames", zh: "昵称违规"},
--      about: {en: "Nicknames that break a rule.", zh: "违规的昵称。"}}
-- ---
WITH sel AS (
    SELECT * FROM selected_groups($group)
),
-- One row per offence: a message, or a member's nickname in a group.
v AS (
    SELECT v.group_id, v.member_id,
           coalesce(v.message_id::VARCHAR, 'name:' || v.member_id || ':' || v.evidence) AS offence,
           list(DISTINCT v.category) AS categories,
           count(*) AS hits
    FROM violations v
    WHERE v.ts >= $start AND v.ts < $end
    GROUP BY ALL
)
SELECT sel.group_id,
       sel.group_name,
       count(v.offence)::BIGINT                                                 AS violations,
       coalesce(sum(v.hits), 0)::BIGINT                                         AS rule_hits,
       count(DISTINCT v.member_id)::BIGINT                                      AS violators,
       count(v.offence) FILTER (WHERE list_contains(v.categories, 'abuse'))::BIGINT       AS abuse,
       count(v.offence) FILTER (WHERE list_contains(v.categories, 'advertising'))::BIGINT AS advertising,
       count(v.offence) FILTER (WHERE list_contains(v.categories, 'political'))::BIGINT   AS political,
       count(v.offence) FILTER (WHERE list_contains(v.categories, 'indecent'))::BIGINT    AS indecent,
       count(v.offence) FILTER (WHERE list_contains(v.categories, 'flooding'))::BIGINT    AS flooding,
       count(v.offence) FILTER (WHERE list_contains(v.categories, 'media'))::BIGINT       AS media,
       count(v.offence) FILTER (WHERE list_contains(v.categories, 'nickname'))::BIGINT    AS nickname
FROM sel
LEFT JOIN v ON v.group_id = sel.group_id
GROUP BY GROUPING SETS ((sel.group_id, sel.group_name), ())
ORDER BY sel.group_id IS NOT NULL, sel.group_name, sel.group_id;
