-- Moves one staged file into the canonical tables. Every insert skips what
-- is already there, so loading the same rows twice adds nothing.

INSERT INTO groups (group_id, platform, external_id, name)
SELECT group_id, platform, external_id, name FROM stage_groups
ON CONFLICT (group_id) DO UPDATE SET name = excluded.name;

-- Everyone the file mentions: senders, event subjects, inviters, roster rows.
CREATE OR REPLACE TEMP TABLE stage_people AS
SELECT member_id,
       any_value(platform)          AS platform,
       any_value(uid)               AS uid,
       arg_max(name, seen)          AS name,
       max(customer_key)            AS customer_key,
       min(seen)                    AS first_seen,
       max(seen)                    AS last_seen
FROM (
    SELECT m.member_id, g.platform, m.member_uid AS uid, m.member_name AS name,
           NULL AS customer_key, m.ts AS seen
    FROM stage_messages m JOIN stage_groups g USING (group_id)
    WHERE m.member_id IS NOT NULL
    UNION ALL
    SELECT e.member_id, g.platform, e.member_uid, e.member_name, NULL, e.ts
    FROM stage_events e JOIN stage_groups g USING (group_id)
    UNION ALL
    SELECT e.inviter_id, g.platform, e.inviter_uid, e.inviter_name, NULL, e.ts
    FROM stage_events e JOIN stage_groups g USING (group_id)
    WHERE e.inviter_id IS NOT NULL
    UNION ALL
    SELECT member_id, platform, uid, name, customer_key, seen FROM stage_members
)
GROUP BY member_id;

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
SELECT s.member_id, s.group_id, s.name, s.first_seen
FROM (
    SELECT member_id, group_id, member_name AS name, min(ts) AS first_seen
    FROM stage_messages
    WHERE member_id IS NOT NULL AND member_name <> ''
    GROUP BY ALL
) s
WHERE NOT EXISTS (
    SELECT 1 FROM member_names n
    WHERE n.member_id = s.member_id AND n.group_id = s.group_id AND n.name = s.name
);

INSERT INTO messages
SELECT s.message_id, s.group_id, s.member_id, s.ts, f.source_tz, s.kind, s.text,
       s.mentions, NULL, f.file_id, s.line
FROM stage_messages s CROSS JOIN stage_file f
WHERE NOT EXISTS (SELECT 1 FROM messages m WHERE m.message_id = s.message_id);

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
