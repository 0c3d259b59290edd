-- Member-list snapshots of a load: one row per person, group and moment.
INSERT INTO presences
SELECT s.group_id, s.member_id, s.as_of, min(s.file_id), min(s.line)
FROM stage_presences s
WHERE NOT EXISTS (
    SELECT 1 FROM presences p
    WHERE p.group_id = s.group_id AND p.member_id = s.member_id AND p.as_of = s.as_of
)
GROUP BY s.group_id, s.member_id, s.as_of;
