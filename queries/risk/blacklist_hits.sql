-- Alerts, rebuilt by every scan: the first appearance of a blacklisted
-- person in each group (a join, or a message), after the removal that put
-- an automatic entry on the list, at any time for entries from files and
-- the command line.
DELETE FROM blacklist_hits;

INSERT INTO blacklist_hits
WITH who AS (
    SELECT b.kind, b.platform, b.key, b.source, b.added_at, m.member_id
    FROM blacklist b JOIN members m ON m.platform = b.platform AND m.platform_uid = b.key
    WHERE b.kind = 'uid'
    UNION ALL
    SELECT b.kind, b.platform, b.key, b.source, b.added_at, m.member_id
    FROM blacklist b JOIN members m ON m.customer_key = b.key
    WHERE b.kind = 'customer_key'
),
seen AS (
    SELECT w.kind, w.platform, w.key, w.member_id, e.group_id, e.ts, 'join' AS how, e.event_id AS ref_id
    FROM who w JOIN membership_events e ON e.member_id = w.member_id AND e.kind = 'join'
    WHERE w.source <> 'auto' OR e.ts > w.added_at
    UNION ALL
    SELECT w.kind, w.platform, w.key, w.member_id, m.group_id, m.ts, 'message', m.message_id
    FROM who w JOIN messages m ON m.member_id = w.member_id
    WHERE (w.source <> 'auto' OR m.ts > w.added_at) AND m.kind NOT IN ('system', 'recall')
)
SELECT DISTINCT ON (kind, platform, key, member_id, group_id) *
FROM seen
ORDER BY kind, platform, key, member_id, group_id, ts, how;
