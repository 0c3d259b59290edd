-- kind: flood. $count messages of one member in one group within $within
-- seconds. One violation per burst: the message that completes the first
-- window, not every message after it while the burst goes on.
INSERT INTO risk_hits
SELECT $rule, message_id::VARCHAR, group_id, member_id, message_id, ts,
       $count || ' messages in ' || date_diff('second', first_ts, ts) || 's'
FROM (
    SELECT m.group_id, m.member_id, m.message_id, m.ts,
           lag(m.ts, $count - 1) OVER w AS first_ts, -- the window ending here
           lag(m.ts, 1) OVER w          AS prev_ts,  -- the window ending at the previous message
           lag(m.ts, $count) OVER w     AS prev_first_ts
    FROM messages m
    WHERE m.ts >= $since::TIMESTAMP - to_seconds(2 * $within) AND m.member_id IS NOT NULL AND m.kind NOT IN ('system', 'recall')
    WINDOW w AS (PARTITION BY m.group_id, m.member_id ORDER BY m.ts, m.message_id)
)
WHERE ts >= $since::TIMESTAMP
  AND first_ts IS NOT NULL AND date_diff('second', first_ts, ts) <= $within
  AND NOT (prev_first_ts IS NOT NULL AND date_diff('second', prev_first_ts, prev_ts) <= $within)
  AND NOT ($exempt_staff AND is_staff(member_id, group_id));
