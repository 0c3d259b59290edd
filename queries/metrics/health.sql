-- ---
-- name: health
-- title: {en: "Group health score and ranking", zh: "群健康分与排名"}
-- grain: week
-- params: [start, end, group]
-- value: health_score
-- cost: heavy
-- description:
--   en: >-
--     One line per group to find the groups that need attention.
--     size_band: small (under 15 members), sweet (15-20, the most efficient
--     size), large (21-100), oversized (over 100: split it), empty (none).
--     participation_rate and growth_rate as in participation and growth
--     (members who spoke / members of the period; (joins - leaves) / members
--     at its start); activities
--     and weeks without activity over the 4 weeks ending at the period's end;
--     answered_share and median_response_minutes as in responsiveness.
--     health_score (0-100) = 35 participation (full at 50% participation;
--     half when the group's messages were not loaded: a WeCom group not
--     archived) +
--     15 growth (0 at -10% or worse, full at +10% or better, half when there
--     is no start to compare with) + 20 activity rhythm (share of the last 4
--     weeks with an activity; half when neither messages nor activities were
--     loaded) + 15 responsiveness (answered share x speed:
--     full when answered at once, none at 2 hours or slower; half when no
--     question was asked or no staff is known for the group, whose answers
--     then cannot be told from members') + 15 size (full in the sweet spot, members/15 below
--     it, falling to half at 100 members, a quarter when oversized); an empty
--     group scores 0. rank: 1 = healthiest (ties share a rank).
--     needs_attention when any of: no members, no activity for 2+ weeks,
--     participation below 20%, shrinking (lost over 5% net), slow responses
--     (median over 60 min), unanswered questions (over 20%) (these two only
--     where staff are known; the first two only where messages or
--     activities were loaded), oversized; the
--     reasons are listed in attention_reason. Staff and bots are not counted.
--     The all-groups row holds the averages over groups, no band or rank.
--   zh: >-
--     每个群一行，用来找出需要关注的群。规模：偏小（不足 15 人）、最佳（15–20 人，效率最高）、较大（21–100 人）、
--     过大（超过 100 人：应拆分）、空群（没有成员）。参与率和增长率同“活动参与”和“成员增长”（发言成员 / 本期成员；（入群 - 退群）/ 期初成员）；
--     活动数和无活动周数按截至期末的 4 周计算；回复率和响应时长中位数同“提问响应”。健康分（0–100）= 35 参与（参与率 50% 得满分；未导入该群消息（企业微信未存档）时得一半）
--     + 15 增长（-10% 及以下为 0，+10% 及以上满分，无期初成员可比时得一半）+ 20 活动节奏（最近 4 周中有活动的周的比例；既未导入消息也未导入活动时得一半）
--     + 15 响应（回复率 × 速度：立即回复满分，2 小时及以上为零；没有人提问或该群未知工作人员（其回复无法与成员区分）时得一半）+ 15 规模（最佳区间满分，以下按成员数/15，
--     100 人时降到一半，过大为四分之一）；空群为 0 分。排名：1 = 最健康（同分同名次）。出现以下任一情况即需关注：没有成员、
--     连续 2 周以上没有活动、参与率低于 20%、成员流失（净减少超过 5%）、响应慢（中位数超过 60 分钟）、超过 20% 的提问无人回复（这两项仅在已知工作人员的群；前两项仅在导入了消息或活动的群）、规模过大；
--     原因列在 attention_reason 中。不计工作人员和机器人。全部群组一行是各群的平均值，没有规模和排名。
-- table: {order: 70, title: {en: "Health", zh: "健康度"}}
-- columns:
--   - {name: members_end, format: count, good: none, all: average, needs: [roster],
--      label: {en: "Members at end", zh: "周末成员"},
--      about: {en: "Members at the end of the period (staff and bots left out).", zh: "期末成员数（不含工作人员和机器人）。"}}
--   - name: size_band
--     format: text
--     label: {en: "Size", zh: "规模"}
--     about: {en: "Small under 15 members, sweet spot 15-20, large 21-100, oversized over 100.", zh: "15 人以下偏小，15–20 最佳，21–100 较大，100 以上过大。"}
--     values:
--       empty: {en: "empty", zh: "空群"}
--       small: {en: "small (<15)", zh: "偏小（<15）"}
--       sweet: {en: "sweet spot (15–20)", zh: "最佳（15–20）"}
--       large: {en: "large (21–100)", zh: "较大（21–100）"}
--       oversized: {en: "oversized (>100)", zh: "过大（>100）"}
--   - {name: participation_rate, format: ratio, good: up, all: average, needs: [roster, messages],
--      label: {en: "Participation", zh: "参与率"},
--      about: {en: "Members who spoke / members at the end.", zh: "发言成员 / 期末成员数。"}}
--   - {name: growth_rate, format: percent, good: up, all: average, needs: [roster],
--      label: {en: "Growth rate", zh: "增长率"},
--      about: {en: "Net growth / members at the start.", zh: "净增长 / 期初成员数。"}}
--   - {name: activities_4w, format: count, good: up, all: average, needs: [messages],
--      label: {en: "Activities (4 weeks)", zh: "近 4 周活动"},
--      about: {en: "Activities held in the 4 weeks ending with the period.", zh: "截至期末 4 周内举办的活动。"}}
--   - {name: weeks_without_activity, format: count, good: down, all: average, needs: [messages],
--      label: {en: "Weeks without activity (of 4)", zh: "近 4 周无活动周数"},
--      about: {en: "Weeks among the last four with no activity at all.", zh: "最近 4 周中完全没有活动的周数。"}}
--   - {name: answered_share, format: ratio, good: up, all: average, needs: [staff, messages],
--      label: {en: "Answered share", zh: "回复率"},
--      about: {en: "Questions answered by staff within 24 hours / questions.", zh: "24 小时内有工作人员回复的提问 / 提问数。"}}
--   - {name: median_response_minutes, format: minutes, good: down, all: average, needs: [staff, messages],
--      label: {en: "Median response", zh: "响应时长中位数"},
--      about: {en: "Median minutes from a question to the first staff message.", zh: "提问到工作人员首次发言的时长中位数（分钟）。"}}
--   - {name: health_score, format: score, good: up, all: average, needs: [roster, staff, messages], role: need,
--      card: {order: 150, label: {en: "Average health score", zh: "平均健康分"},
--             about: {en: "Average over groups of the 0–100 health score (participation, growth, rhythm, responsiveness, size).",
--                     zh: "各群健康分（0–100：参与、增长、活动节奏、响应、规模）的平均值。"}},
--      groups: {order: 130, scale: true},
--      label: {en: "Health score", zh: "健康分"},
--      about: {en: "0–100: participation, growth, activity rhythm, responsiveness and size.", zh: "0–100：参与、增长、活动节奏、响应和规模。"}}
--   - {name: rank, format: count, good: none, all: none, role: rank,
--      groups: {order: 10},
--      label: {en: "Rank", zh: "排名"},
--      about: {en: "1 = the healthiest group; ties share a rank.", zh: "1 = 最健康的群；同分同名次。"}}
--   - {name: needs_attention, format: text,
--      label: {en: "Needs attention", zh: "需关注"},
--      about: {en: "Whether any of the reasons below applies.", zh: "是否符合任一需关注的原因。"}}
--   - name: attention_reason
--     format: text
--     role: flags
--     label: {en: "Why", zh: "原因"}
--     about: {en: "Why the group needs attention.", zh: "需要关注的原因。"}
--     values:
--       no members: {en: "No members", zh: "没有成员"}
--       no activity for 2+ weeks: {en: "No activity for 2 weeks", zh: "连续 2 周没有活动"}
--       participation below 20%: {en: "Participation below 20%", zh: "参与率低于 20%"}
--       shrinking: {en: "Shrinking: lost over 5% net", zh: "成员流失：净减少超过 5%"}
--       slow responses (>60 min): {en: "Slow responses: median over 60 min", zh: "响应慢：中位数超过 60 分钟"}
--       unanswered questions (>20%): {en: "Over 20% of questions unanswered", zh: "超过 20% 的问题无人回复"}
--       "oversized: split into sub-groups": {en: "Oversized: split into sub-groups", zh: "规模过大：建议拆分子群"}
-- ---
WITH sel AS (
    -- the cast gives $group a type, so the driver binds $start and $end as
    -- TIMESTAMP (see docs/metrics.md, "Parameters")
    SELECT * FROM selected_groups($group::VARCHAR)
),
at_start AS (SELECT group_id, count(*) AS n FROM members_at($start) GROUP BY group_id),
at_end   AS (SELECT group_id, count(*) AS n FROM members_at($end) GROUP BY group_id),
moves AS (
    SELECT group_id,
           count(*) FILTER (WHERE move = 'join')               AS joins,
           count(*) FILTER (WHERE move IN ('leave', 'removed')) AS leaves
    FROM membership_moves($start, $end)
    GROUP BY group_id
),
-- Participation as in participation.sql: of the period's members, those
-- who spoke.
speakers AS (
    SELECT group_id, count(*) FILTER (WHERE messages > 0) AS active, count(*) AS members
    FROM member_messages($start, $end)
    GROUP BY group_id
),
-- Activities of the four weeks ending at the end, weeks numbered 0..3 from
-- the oldest (see activity_frequency).
rhythm AS (
    SELECT a.group_id,
           count(*)                                                                              AS activities,
           count(DISTINCT floor(date_diff('second', $end::TIMESTAMP - INTERVAL 28 DAY, a.ts) / 604800)) AS active_weeks,
           bool_or(a.ts >= $end::TIMESTAMP - INTERVAL 14 DAY)                                    AS active_2w
    FROM activities a
    WHERE a.ts >= $end::TIMESTAMP - INTERVAL 28 DAY AND a.ts < $end
    GROUP BY a.group_id
),
-- Responsiveness as in responsiveness.sql (the shared macro in
-- queries/macros.sql): questions, answered within 24 hours, median minutes.
response AS (
    SELECT group_id, count(*) AS questions, count(minutes) AS answered,
           median(minutes) AS median_minutes
    FROM question_responses($start, $end)
    GROUP BY group_id
),
per_group AS (
    SELECT sel.group_id, sel.group_name,
           coalesce(at_end.n, 0)                                           AS members_end,
           speakers.active / nullif(speakers.members, 0)                   AS participation_rate,
           (coalesce(moves.joins, 0) - coalesce(moves.leaves, 0)) / nullif(coalesce(at_start.n, 0), 0) AS growth_rate,
           coalesce(rhythm.activities, 0)                                  AS activities_4w,
           4 - coalesce(rhythm.active_weeks, 0)                            AS weeks_without_activity,
           coalesce(rhythm.active_2w, false)                               AS active_2w,
           coalesce(response.questions, 0)                                 AS questions,
           response.answered / nullif(response.questions, 0)               AS answered_share,
           response.median_minutes                                         AS median_response_minutes,
           coalesce(b.staff_known, false)                                  AS staff_known,
           coalesce(b.messages_known, false)                               AS messages_known
    FROM sel
    LEFT JOIN at_start USING (group_id)
    LEFT JOIN at_end USING (group_id)
    LEFT JOIN moves USING (group_id)
    LEFT JOIN speakers USING (group_id)
    LEFT JOIN rhythm USING (group_id)
    LEFT JOIN response USING (group_id)
    LEFT JOIN group_basis b USING (group_id)
),
-- Each component normalised to 0..1; the weights are in the description.
scored AS (
    SELECT *,
           CASE WHEN members_end = 0 THEN 'empty'
                WHEN members_end < 15 THEN 'small'
                WHEN members_end <= 20 THEN 'sweet'
                WHEN members_end <= 100 THEN 'large'
                ELSE 'oversized' END AS size_band,
           CASE WHEN members_end = 0 THEN 0.0 ELSE round(100 * (
                 0.35 * CASE WHEN NOT messages_known THEN 0.5
                             ELSE least(coalesce(participation_rate, 0) / 0.5, 1) END
               + 0.15 * CASE WHEN growth_rate IS NULL THEN 0.5
                             ELSE greatest(least((growth_rate + 0.1) / 0.2, 1), 0) END
               + 0.20 * CASE WHEN NOT messages_known AND activities_4w = 0 THEN 0.5
                             ELSE (4 - weeks_without_activity) / 4 END
               + 0.15 * CASE WHEN questions = 0 OR NOT staff_known THEN 0.5
                             ELSE coalesce(answered_share, 0)
                                  * (1 - least(coalesce(median_response_minutes, 120) / 120, 1)) END
               + 0.15 * CASE WHEN members_end < 15 THEN members_end / 15
                             WHEN members_end <= 20 THEN 1
                             WHEN members_end <= 100 THEN 1 - 0.5 * (members_end - 20) / 80
                             ELSE 0.25 END
           ), 1) END AS health_score
    FROM per_group
),
flagged AS (
    SELECT *,
           rank() OVER (ORDER BY health_score DESC) AS score_rank,
           -- concat_ws skips the NULLs of the reasons that do not apply
           nullif(concat_ws('; ',
               CASE WHEN members_end = 0 THEN 'no members' END,
               CASE WHEN NOT active_2w AND (messages_known OR activities_4w > 0) THEN 'no activity for 2+ weeks' END,
               CASE WHEN messages_known AND participation_rate < 0.2 THEN 'participation below 20%' END,
               CASE WHEN growth_rate < -0.05 THEN 'shrinking' END,
               CASE WHEN staff_known AND median_response_minutes > 60 THEN 'slow responses (>60 min)' END,
               CASE WHEN staff_known AND answered_share < 0.8 THEN 'unanswered questions (>20%)' END,
               CASE WHEN members_end > 100 THEN 'oversized: split into sub-groups' END
           ), '') AS reasons
    FROM scored
)
SELECT group_id,
       group_name,
       avg(members_end)                                                  AS members_end,
       CASE WHEN grouping(group_id) = 0 THEN any_value(size_band) END    AS size_band,
       avg(participation_rate)                                           AS participation_rate,
       avg(growth_rate)                                                  AS growth_rate,
       avg(activities_4w)                                                AS activities_4w,
       avg(weeks_without_activity)                                       AS weeks_without_activity,
       avg(answered_share)                                               AS answered_share,
       avg(median_response_minutes)                                      AS median_response_minutes,
       avg(health_score)                                                 AS health_score,
       CASE WHEN grouping(group_id) = 0 THEN any_value(score_rank) END   AS rank,
       CASE WHEN grouping(group_id) = 0 THEN any_value(reasons) IS NOT NULL END AS needs_attention,
       CASE WHEN grouping(group_id) = 0 THEN any_value(reasons) END      AS attention_reason
FROM flagged
GROUP BY GROUPING SETS ((group_id, group_name), ())
ORDER BY group_id IS NOT NULL, group_name, group_id;
