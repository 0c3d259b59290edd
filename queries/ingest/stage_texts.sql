-- The member messages of the file being loaded that match any activity
-- pattern ($any is their alternation), for the per-pattern statements to
-- classify: one regular-expression pass over the file instead of one per
-- pattern, and those passes then run over a handful of rows.
CREATE OR REPLACE TEMP TABLE stage_texts AS
SELECT message_id, group_id, ts, text, source_tz, file_id, line
FROM messages
WHERE file_id = $file_id AND member_id IS NOT NULL AND regexp_matches(text, $any);
