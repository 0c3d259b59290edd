-- Leaving a group forfeits the points earned in it since the previous
-- leave (when they add up to more than nothing); removals are not quits.
INSERT INTO points_ledger
WITH leaves AS (
    SELECT event_id, group_id, member_id, ts
    FROM membership_events
    WHERE kind = 'leave' AND NOT is_staff(member_id, group_id)
),
earned AS (
    SELECT l.event_id, l.group_id, l.member_id, l.ts, sum(p.points) AS points
    FROM points_ledger p
    ASOF JOIN leaves l ON l.group_id = p.group_id AND l.member_id = p.member_id AND p.ts <= l.ts
    GROUP BY l.event_id, l.group_id, l.member_id, l.ts
)
SELECT member_id, group_id, ts, -points, 'quit', event_id
FROM earned
WHERE points > 0;
