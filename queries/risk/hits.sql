-- Blacklist alerts from $start to $end (NULL: no bound) in the selected
-- groups, newest first.
SELECT h.kind, h.platform, h.key, g.group_name, mb.platform, mb.platform_uid,
       coalesce(mb.display_name, ''), h.ts, h.how, coalesce(b.reason, '')
FROM blacklist_hits h
JOIN selected_groups($group) g ON g.group_id = h.group_id
JOIN members mb ON mb.member_id = h.member_id
LEFT JOIN blacklist b ON b.kind = h.kind AND b.platform = h.platform AND b.key = h.key
WHERE ($start::TIMESTAMP IS NULL OR h.ts >= $start::TIMESTAMP) AND ($end::TIMESTAMP IS NULL OR h.ts < $end::TIMESTAMP)
ORDER BY h.ts DESC, g.group_name, mb.platform_uid;
