-- Merges the staged scheduled activities of a load into the canonical
-- tables; the loader runs it only when the files had such rows. Inserts skip what is already there, so
-- loading the same rows twice adds nothing.

INSERT INTO activities
SELECT s.activity_id, s.group_id, s.ts, s.type, s.title, 'schedule', s.file_id, s.line
FROM (SELECT DISTINCT ON (activity_id) * FROM stage_activities ORDER BY activity_id, file_id, line) s
WHERE NOT EXISTS (SELECT 1 FROM activities a WHERE a.activity_id = s.activity_id);
