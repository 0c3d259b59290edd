-- Roles a load's files state become staff rows of origin 'export', once
-- each; a role already known (from an earlier file, or configured) is not
-- added again. The config's rows are replaced on every run that has one,
-- these are kept.
INSERT INTO staff (member_id, group_id, role, origin, file_id)
SELECT s.member_id, s.group_id, s.role, 'export', min(s.file_id)
FROM stage_roles s
WHERE NOT EXISTS (
    SELECT 1 FROM staff f
    WHERE f.member_id = s.member_id AND f.group_id IS NOT DISTINCT FROM s.group_id AND f.role = s.role AND f.origin = 'export'
)
GROUP BY s.member_id, s.group_id, s.role;
