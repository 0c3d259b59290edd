-- Merges the staged platform statistics of a load; the loader runs it only
-- when the files had such rows. The counts of the same owners and days
-- from a later file (a later fetch) replace the earlier ones.
INSERT INTO group_statistics
SELECT s.statistic_id, s.platform,
       CASE WHEN s.owner_ids = '' THEN []::BIGINT[]
            ELSE list_transform(string_split(s.owner_ids, ','), x -> x::BIGINT) END,
       s.day::DATE, s.ts, s.days::INTEGER,
       s.new_groups, s.groups_total, s.groups_with_messages,
       s.new_members, s.members_total, s.members_with_messages, s.messages,
       s.file_id, s.line
FROM (SELECT DISTINCT ON (statistic_id) * FROM stage_statistics ORDER BY statistic_id, file_id DESC, line DESC) s
ON CONFLICT (statistic_id) DO UPDATE SET
    new_groups = excluded.new_groups, groups_total = excluded.groups_total,
    groups_with_messages = excluded.groups_with_messages, new_members = excluded.new_members,
    members_total = excluded.members_total, members_with_messages = excluded.members_with_messages,
    messages = excluded.messages, file_id = excluded.file_id, line = excluded.line;
