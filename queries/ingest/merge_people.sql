-- Merges the groups and people of a load's files into the canonical
-- tables (its messages were streamed in by insert_messages.sql). Inserts
-- skip what is already there, so loading the same rows twice adds nothing.
-- New rows carry the load's first file: its files are logged loaded in one
-- statement, so any of them tells recover.sql whether the load committed.

INSERT INTO groups (group_id, platform, external_id, name, data_first, data_last, file_id)
SELECT group_id, platform, external_id, name, data_first, data_last, (SELECT min(file_id) FROM stage_file) FROM stage_groups
-- A file that does not name a group (a WeCom archive knows only its id)
-- stages the id as its name: a name a file gave is kept.
ON CONFLICT (group_id) DO UPDATE SET
    name = CASE WHEN excluded.name = excluded.external_id AND groups.name <> groups.external_id
                THEN groups.name ELSE excluded.name END,
    data_first = least(groups.data_first, excluded.data_first),
    data_last  = greatest(groups.data_last, excluded.data_last);

-- People seen before take the newer name, a customer key if they had none,
-- and the wider first/last seen; then the new ones are added. (A join
-- update and an anti-join insert: cheaper than ON CONFLICT row by row.)
UPDATE members AS m
SET display_name = CASE WHEN s.last_seen >= m.last_seen OR m.last_seen IS NULL
                        THEN coalesce(s.name, m.display_name)
                        ELSE m.display_name END,
    customer_key = coalesce(s.customer_key, m.customer_key),
    first_seen   = least(m.first_seen, s.first_seen),
    last_seen    = greatest(m.last_seen, s.last_seen)
FROM stage_people s
WHERE m.member_id = s.member_id;

INSERT INTO members
SELECT s.member_id, s.platform, s.uid, s.name, s.customer_key, s.first_seen, s.last_seen, (SELECT min(file_id) FROM stage_file)
FROM stage_people s
WHERE NOT EXISTS (SELECT 1 FROM members m WHERE m.member_id = s.member_id);

-- A name seen earlier in a later file (an older export loaded after a
-- newer one) moves its first sighting back, whatever the order of loads;
-- a later sighting moves its last one on.
UPDATE member_names AS n
SET first_seen = least(n.first_seen, s.first_seen),
    last_seen  = greatest(n.last_seen, s.last_seen)
FROM stage_member_names s
WHERE n.member_id = s.member_id AND n.group_id = s.group_id AND n.name = s.name
  AND (s.first_seen < n.first_seen OR s.last_seen > n.last_seen OR n.last_seen IS NULL);

INSERT INTO member_names
SELECT s.*, (SELECT min(file_id) FROM stage_file) FROM stage_member_names s
WHERE NOT EXISTS (
    SELECT 1 FROM member_names n
    WHERE n.member_id = s.member_id AND n.group_id = s.group_id AND n.name = s.name
);
