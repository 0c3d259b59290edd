-- The member messages of the file being loaded that match any activity
-- pattern ($any is their alternation): one regular-expression pass over the
-- file in DuckDB; the loader then tells the few candidates' types apart.
SELECT message_id, group_id, ts, text, source_tz, line
FROM messages
WHERE file_id = $file_id AND member_id IS NOT NULL AND regexp_matches(text, $any)
ORDER BY ts, message_id;
