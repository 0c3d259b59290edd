-- Actions staff still owe at $at: offences that reached the removal step
-- before $at while the member is still in the group (no removal or leave
-- since the offence), newest first.
WITH offences AS (
    SELECT o.*
    FROM risk_offences o
    WHERE o.ts < $at::TIMESTAMP AND o.step = 'removal'
)
SELECT o.ts, g.group_name, mb.platform, mb.platform_uid AS uid, coalesce(mb.display_name, '') AS member_name,
       o.strike, o.step, v.rule, v.evidence
FROM offences o
JOIN selected_groups($group) g ON g.group_id = o.group_id
JOIN members mb ON mb.member_id = o.member_id
JOIN violations v ON v.violation_id = o.first_violation
WHERE NOT EXISTS (
        SELECT 1 FROM membership_events e
        WHERE e.group_id = o.group_id AND e.member_id = o.member_id
          AND e.kind IN ('removed', 'leave') AND e.ts >= o.ts AND e.ts < $at::TIMESTAMP)
ORDER BY o.ts DESC, g.group_name, uid;
