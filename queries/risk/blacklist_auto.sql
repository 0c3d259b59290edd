-- A violator (a violation that climbs the ladder) whom staff removed from
-- the group afterwards is blacklisted from the removal on: by platform id,
-- and by customer key when one is known. Existing entries are kept.
INSERT OR IGNORE INTO blacklist
WITH removed AS (
    SELECT v.member_id, e.ts, g.name AS group_name, v.rule,
           row_number() OVER (PARTITION BY v.member_id ORDER BY e.ts, v.ts, v.strikes DESC, v.rule) AS n
    FROM violations v
    JOIN membership_events e ON e.member_id = v.member_id AND e.group_id = v.group_id
     AND e.kind = 'removed' AND e.ts >= v.ts
    JOIN groups g ON g.group_id = e.group_id
    WHERE v.strikes > 0
),
first_removal AS (SELECT * FROM removed WHERE n = 1)
SELECT 'uid', mb.platform, mb.platform_uid, 'removed from ' || r.group_name || ' after ' || r.rule, r.ts, 'auto'
FROM first_removal r JOIN members mb ON mb.member_id = r.member_id
UNION ALL
SELECT 'customer_key', '', mb.customer_key, 'removed from ' || r.group_name || ' after ' || r.rule, r.ts, 'auto'
FROM first_removal r JOIN members mb ON mb.member_id = r.member_id
WHERE mb.customer_key IS NOT NULL AND mb.customer_key <> '';
