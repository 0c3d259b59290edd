-- Merges the groups and people of one staged file into the canonical tables (its
-- messages were streamed in by insert_messages.sql); the loader runs it
-- only when the file had such rows. Inserts skip what is already there, so
-- loading the same rows twice adds nothing.

INSERT INTO groups (group_id, platform, external_id, name)
SELECT group_id, platform, external_id, name FROM stage_groups
ON CONFLICT (group_id) DO UPDATE SET name = excluded.name;

INSERT INTO members
SELECT member_id, platform, uid, name, customer_key, first_seen, last_seen FROM stage_people
ON CONFLICT (member_id) DO UPDATE SET
    display_name = CASE WHEN excluded.last_seen >= members.last_seen OR members.last_seen IS NULL
                        THEN coalesce(excluded.display_name, members.display_name)
                        ELSE members.display_name END,
    customer_key = coalesce(excluded.customer_key, members.customer_key),
    first_seen   = least(members.first_seen, excluded.first_seen),
    last_seen    = greatest(members.last_seen, excluded.last_seen);

INSERT INTO member_names
SELECT * FROM stage_member_names s
WHERE NOT EXISTS (
    SELECT 1 FROM member_names n
    WHERE n.member_id = s.member_id AND n.group_id = s.group_id AND n.name = s.name
);
