-- kind: repeat. The same text ($min_length characters or more) posted
-- $count times by one member in one group within $within seconds. One
-- violation per burst, as in detect_flood.sql.
INSERT INTO risk_hits
SELECT $rule, message_id::VARCHAR, group_id, member_id, message_id, ts,
       '"' || CASE WHEN length(text) > 40 THEN left(text, 40) || '…' ELSE text END || '" ×' || $count
           || ' in ' || date_diff('second', first_ts, ts) || 's'
FROM (
    SELECT m.group_id, m.member_id, m.message_id, m.ts, m.text,
           lag(m.ts, $count - 1) OVER w AS first_ts,
           lag(m.ts, 1) OVER w          AS prev_ts,
           lag(m.ts, $count) OVER w     AS prev_first_ts
    FROM messages m
    WHERE m.ts >= $since::TIMESTAMP - to_seconds(2 * $within) AND m.member_id IS NOT NULL
      AND m.kind IN ('text', 'link') AND length(m.text) >= $min_length
    -- Partitioned by a hash of the text, not the text: sorting 64-bit keys
    -- is much cheaper than sorting strings.
    WINDOW w AS (PARTITION BY m.group_id, m.member_id, hash(m.text) ORDER BY m.ts, m.message_id)
)
WHERE ts >= $since::TIMESTAMP
  AND first_ts IS NOT NULL AND date_diff('second', first_ts, ts) <= $within
  AND NOT (prev_first_ts IS NOT NULL AND date_diff('second', prev_first_ts, prev_ts) <= $within)
  AND NOT ($exempt_staff AND is_staff(member_id, group_id));
