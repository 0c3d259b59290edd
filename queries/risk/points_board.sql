-- Balances at $at of the members in each group (staff left out): the
-- initial points plus the ledger, with the last message and the days since
-- it (since joining, for someone who never spoke). Ranked within the group.
WITH present AS (
    SELECT p.group_id, p.member_id FROM members_at($at::TIMESTAMP) p
),
balances AS (
    SELECT l.group_id, l.member_id, sum(l.points) AS points
    FROM points_ledger l
    WHERE l.ts < $at::TIMESTAMP
    GROUP BY ALL
),
spoke AS (
    SELECT m.group_id, m.member_id, max(m.ts) AS last_message
    FROM messages m
    WHERE m.ts < $at::TIMESTAMP AND m.kind NOT IN ('system', 'recall')
    GROUP BY ALL
),
joined AS (
    SELECT e.group_id, e.member_id, max(e.ts) AS joined
    FROM membership_events e
    WHERE e.ts < $at::TIMESTAMP AND e.kind = 'join'
    GROUP BY ALL
)
SELECT g.group_name, mb.platform, mb.platform_uid AS uid, coalesce(mb.display_name, '') AS member_name,
       ($initial + coalesce(b.points, 0))::BIGINT AS balance,
       s.last_message,
       date_diff('second', coalesce(s.last_message, j.joined), $at::TIMESTAMP) // 86400 AS days_silent,
       rank() OVER (PARTITION BY p.group_id ORDER BY $initial + coalesce(b.points, 0) DESC) AS rank
FROM present p
JOIN selected_groups($group) g ON g.group_id = p.group_id
JOIN members mb ON mb.member_id = p.member_id
LEFT JOIN balances b ON b.group_id = p.group_id AND b.member_id = p.member_id
LEFT JOIN spoke s ON s.group_id = p.group_id AND s.member_id = p.member_id
LEFT JOIN joined j ON j.group_id = p.group_id AND j.member_id = p.member_id
ORDER BY g.group_name, rank, uid;
