-- Points for answering another member: a message that @-mentions (by a
-- name they used in the group) a member who asked a question (? or ？)
-- within $within seconds before. At most $cap a day, as points_messages.sql.
INSERT INTO points_ledger
WITH questions AS (
    SELECT group_id, member_id, ts
    FROM messages
    WHERE ts >= $since::TIMESTAMP - to_seconds($within) AND member_id IS NOT NULL AND kind = 'text'
      AND (contains(text, '?') OR contains(text, '？'))
),
mentions AS (
    SELECT m.message_id, m.group_id, m.member_id, m.ts, unnest(m.mentions) AS name
    FROM messages m
    WHERE m.ts >= $since::TIMESTAMP AND m.member_id IS NOT NULL AND len(m.mentions) > 0
      AND m.kind NOT IN ('system', 'recall')
),
answers AS (
    SELECT DISTINCT a.message_id, a.group_id, a.member_id, a.ts
    FROM mentions a
    JOIN member_names n ON n.group_id = a.group_id AND n.name = a.name AND n.member_id <> a.member_id
    JOIN questions q ON q.group_id = a.group_id AND q.member_id = n.member_id
     AND q.ts < a.ts AND q.ts >= a.ts - to_seconds($within)
    WHERE NOT is_staff(a.member_id, a.group_id)
      AND a.message_id NOT IN (SELECT message_id FROM violations WHERE message_id IS NOT NULL)
)
SELECT member_id, group_id, ts, $points, 'answer', message_id
FROM (
    SELECT *, row_number() OVER (
               PARTITION BY group_id, member_id, timezone($tz, timezone('UTC', ts))::DATE
               ORDER BY ts, message_id) AS n
    FROM answers
)
WHERE $cap = 0 OR n <= $cap;
