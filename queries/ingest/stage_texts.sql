-- The member messages of the file being loaded, for the activity patterns
-- to scan: one pass over the file's rows instead of one per pattern.
CREATE OR REPLACE TEMP TABLE stage_texts AS
SELECT message_id, group_id, ts, text, source_tz, file_id, line
FROM messages
WHERE file_id = $file_id AND member_id IS NOT NULL AND text <> '';
