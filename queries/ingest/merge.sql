-- Moves one staged file into the canonical tables (its messages were
-- streamed in by insert_messages.sql). Every insert skips what is already
-- there, so loading the same rows twice adds nothing.

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

-- A join seen in chat ("joined") and in a roster export ("via weibo") is one
-- event: the roster's more specific source wins.
UPDATE membership_events AS e
SET source = s.source, inviter_id = coalesce(s.inviter_id, e.inviter_id)
FROM stage_events s
WHERE e.event_id = s.event_id AND e.source = 'unknown' AND s.source <> 'unknown';

INSERT INTO membership_events
SELECT s.event_id, s.group_id, s.member_id, s.ts, s.kind, s.source, s.inviter_id, f.file_id, s.line
FROM (
    SELECT DISTINCT ON (event_id) *
    FROM stage_events
    ORDER BY event_id, (source = 'unknown'), line
) s CROSS JOIN stage_file f
WHERE NOT EXISTS (SELECT 1 FROM membership_events e WHERE e.event_id = s.event_id);

-- A later export of the same order (e.g. refunded) updates its status.
INSERT INTO orders
SELECT s.order_id, s.customer_key, s.ts, s.amount::DECIMAL(18, 2), s.currency, s.product, s.status, f.file_id, s.line
FROM (SELECT DISTINCT ON (order_id) * FROM stage_orders ORDER BY order_id, line DESC) s
CROSS JOIN stage_file f
ON CONFLICT (order_id) DO UPDATE SET status = excluded.status;

INSERT INTO activities
SELECT s.activity_id, s.group_id, s.ts, s.type, s.title, 'schedule', f.file_id, s.line
FROM (SELECT DISTINCT ON (activity_id) * FROM stage_activities ORDER BY activity_id, line) s
CROSS JOIN stage_file f
WHERE NOT EXISTS (SELECT 1 FROM activities a WHERE a.activity_id = s.activity_id);
