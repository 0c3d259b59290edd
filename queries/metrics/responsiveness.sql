-- name: responsiveness
-- title: Responsiveness to member questions
-- unit: minutes
-- grain: week
-- direction: down
-- value: median_minutes_to_response
-- params: start, end, group
-- columns: group_id, group_name, questions, answered, unanswered, answered_share, median_minutes_to_response
-- description: A question is a member's message in the period whose text
--   contains "?" or "？", or that mentions a staff member of the group (by
--   their current display name, or its first part before "|" as in
--   "Name | Company | City"). Its response is the first message by a staff
--   member of that group (owner, admin or customer service; bots do not
--   answer) at or after the question and at most 24 hours later, whether or
--   not it is a reply to that question. median_minutes_to_response is over
--   answered questions; answered_share = answered / questions; unanswered
--   questions got no staff message within 24 hours (questions near the
--   period's end need the next day loaded). System notices and recalls are
--   neither questions nor answers. The all-groups row pools all questions.
WITH sel AS (
    -- the cast gives $group a type, so the driver binds $start and $end as
    -- TIMESTAMP (see docs/metrics.md, "Parameters")
    SELECT * FROM selected_groups($group::VARCHAR)
),
-- The names members @ staff by: the display name and its first part.
staff_names AS (
    SELECT DISTINCT r.group_id AS staff_group, n.name
    FROM staff r
    JOIN members mb USING (member_id)
    CROSS JOIN LATERAL (
        SELECT mb.display_name AS name
        UNION ALL
        SELECT trim(regexp_extract(mb.display_name, '^[^|｜]+'))
    ) n
    WHERE r.role <> 'bot' AND n.name IS NOT NULL AND n.name <> ''
),
-- Messages of the period and the day after it (for late answers) that can
-- matter: possible questions (a "?" or an @) and messages by people listed
-- as staff. The text is tested here, in the scan, and not carried further.
msgs AS (
    SELECT *
    FROM (
        SELECT m.group_id, m.member_id, m.message_id, m.ts, m.mentions,
               contains(m.text, '?') OR contains(m.text, '？')                  AS question_mark,
               m.member_id IN (SELECT member_id FROM staff WHERE role <> 'bot') AS listed_staff
        FROM messages m
        WHERE m.ts >= $start AND m.ts < $end::TIMESTAMP + INTERVAL 24 HOUR
          AND m.member_id IS NOT NULL
          AND m.kind NOT IN ('system', 'recall')
    )
    WHERE listed_staff OR (ts < $end AND (question_mark OR len(mentions) > 0))
),
-- Senders marked as staff of the group once each, not once per message.
senders AS (
    SELECT s.group_id, s.member_id, is_staff(s.member_id, s.group_id) AS staff
    FROM (SELECT DISTINCT group_id, member_id FROM msgs) s
),
member_msgs AS (
    SELECT m.*
    FROM msgs m
    JOIN senders s ON s.group_id = m.group_id AND s.member_id = m.member_id
    WHERE NOT s.staff AND m.ts < $end
),
-- Members' messages that @ a staff member of their group.
mentions_staff AS (
    SELECT DISTINCT q.group_id, q.message_id
    FROM (
        SELECT group_id, message_id, unnest(mentions) AS name
        FROM member_msgs
        WHERE len(mentions) > 0
    ) q
    JOIN staff_names sn ON sn.name = q.name AND (sn.staff_group IS NULL OR sn.staff_group = q.group_id)
),
questions AS (
    SELECT m.group_id, m.ts
    FROM member_msgs m
    LEFT JOIN mentions_staff ms ON ms.group_id = m.group_id AND ms.message_id = m.message_id
    WHERE m.question_mark OR ms.message_id IS NOT NULL
),
-- Staff answers: listed_staff leaves bots out, senders the staff of other groups.
answers AS (
    SELECT m.group_id, m.ts
    FROM msgs m
    JOIN senders s ON s.group_id = m.group_id AND s.member_id = m.member_id
    WHERE m.listed_staff AND s.staff
),
-- The first staff message at or after each question, per group: an ASOF
-- join finds it by sorting both sides once, not by a lookup per question.
timed AS (
    SELECT q.group_id,
           CASE WHEN a.ts <= q.ts + INTERVAL 24 HOUR
                THEN date_diff('second', q.ts, a.ts) / 60.0 END AS minutes
    FROM questions q
    ASOF LEFT JOIN answers a ON a.group_id = q.group_id AND a.ts >= q.ts
),
per_question AS (
    SELECT sel.group_id, sel.group_name, t.minutes, t.group_id IS NOT NULL AS asked
    FROM sel
    LEFT JOIN timed t USING (group_id)
)
SELECT group_id,
       group_name,
       count(*) FILTER (WHERE asked)::BIGINT                                  AS questions,
       count(minutes)::BIGINT                                                 AS answered,
       (count(*) FILTER (WHERE asked) - count(minutes))::BIGINT               AS unanswered,
       count(minutes) / nullif(count(*) FILTER (WHERE asked), 0)              AS answered_share,
       median(minutes)                                                        AS median_minutes_to_response
FROM per_question
GROUP BY GROUPING SETS ((group_id, group_name), ())
ORDER BY group_id IS NOT NULL, group_name, group_id;
