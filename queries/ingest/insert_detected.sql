-- Activities found in the chat of a load's files (staged by the loader,
-- one row each), except those already known: a once-per-day type's id comes
-- from (group, type, local day), so a later file adds no second check-in day.
INSERT INTO activities
SELECT s.activity_id, s.group_id, s.ts, s.type, s.title, 'pattern', s.file_id, s.line
FROM stage_detected s
WHERE NOT EXISTS (SELECT 1 FROM activities a WHERE a.activity_id = s.activity_id);
