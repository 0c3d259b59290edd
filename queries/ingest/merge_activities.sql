-- Merges the scheduled activities of one staged file into the canonical tables (its
-- messages were streamed in by insert_messages.sql); the loader runs it
-- only when the file had such rows. Inserts skip what is already there, so
-- loading the same rows twice adds nothing.

INSERT INTO activities
SELECT s.activity_id, s.group_id, s.ts, s.type, s.title, 'schedule', f.file_id, s.line
FROM (SELECT DISTINCT ON (activity_id) * FROM stage_activities ORDER BY activity_id, line) s
CROSS JOIN stage_file f
WHERE NOT EXISTS (SELECT 1 FROM activities a WHERE a.activity_id = s.activity_id);
