-- Points for messages matching $pattern (check-ins, sharing) and not
-- $except ('' for none), at most $cap a day (0: no cap) per member and
-- group, days cut in $tz. Staff earn none; nor does a message that broke a
-- rule.
INSERT INTO points_ledger
SELECT member_id, group_id, ts, $points, $reason, message_id
FROM (
    SELECT m.member_id, m.group_id, m.ts, m.message_id,
           row_number() OVER (
               PARTITION BY m.group_id, m.member_id, timezone($tz, timezone('UTC', m.ts))::DATE
               ORDER BY m.ts, m.message_id) AS n
    FROM messages m
    WHERE m.ts >= $since::TIMESTAMP AND m.member_id IS NOT NULL AND m.kind NOT IN ('system', 'recall')
      AND regexp_extract(m.text, $pattern) <> ''
      AND regexp_extract(m.text, $except) = ''
      AND NOT is_staff(m.member_id, m.group_id)
      AND m.message_id NOT IN (SELECT message_id FROM violations WHERE message_id IS NOT NULL)
)
WHERE $cap = 0 OR n <= $cap;
