-- Activities held in chat: messages of the file being loaded that match one
-- configured pattern (check-ins, 【活动】 announcements...). Run once per row
-- of activity_patterns with the pattern bound as a constant, so DuckDB
-- compiles the regular expression once, over stage_texts (the file's member
-- messages, copied once by the loader). A once-per-day type counts one
-- activity per group and local day, however many members take part: its id
-- comes from (group, type, day), so a later file adds no second one.
INSERT INTO activities
WITH held AS (
    SELECT m.message_id, m.group_id, m.ts, m.text, m.file_id, m.line,
           CASE WHEN $once_per_day
                THEN (hash(m.group_id, $type, timezone(m.source_tz, timezone('UTC', m.ts))::DATE) >> 1)::BIGINT
                ELSE m.message_id END AS activity_id
    FROM stage_texts m
    WHERE regexp_matches(m.text, $pattern)
    QUALIFY row_number() OVER (PARTITION BY activity_id ORDER BY m.ts, m.message_id) = 1
)
SELECT h.activity_id, h.group_id, h.ts, $type, left(h.text, 120), 'pattern', h.file_id, h.line
FROM held h
WHERE NOT EXISTS (SELECT 1 FROM activities a WHERE a.activity_id = h.activity_id);
