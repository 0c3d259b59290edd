-- Report query (not a KPI): what the weekly report shows about each group
-- beside its numbers. No parameters.
-- Columns: group_id, platform, external_id, name.
SELECT g.group_id, g.platform, g.external_id, g.name
FROM groups g
ORDER BY g.group_id;
