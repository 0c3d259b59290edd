-- One row per violation from $start to $end (NULL: no bound) in the
-- selected groups, with its ladder step, oldest first.
SELECT v.violation_id, v.ts, g.group_name, mb.platform, mb.platform_uid AS uid,
       coalesce(mb.display_name, '') AS member_name,
       v.rule, v.category, v.severity, v.strike, v.step, v.acted, v.evidence,
       coalesce(m.text, '') AS text
FROM violation_ladder v
JOIN selected_groups($group) g ON g.group_id = v.group_id
JOIN members mb ON mb.member_id = v.member_id
LEFT JOIN messages m ON m.message_id = v.message_id AND m.group_id = v.group_id
WHERE ($start::TIMESTAMP IS NULL OR v.ts >= $start::TIMESTAMP) AND ($end::TIMESTAMP IS NULL OR v.ts < $end::TIMESTAMP)
ORDER BY v.ts, g.group_name, v.rule, v.violation_id;
