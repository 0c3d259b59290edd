-- Notices that name a person only by display name (WeChat's "X"邀请"Y",
-- a Telegram service entry's members, QQ notices) are loaded keyed by the
-- name ('name:<name>'). Here each such reference in the events of the
-- groups in rebuild_groups is resolved to the person seen under that name
-- in that group: the only one, or, when several were, the one seen under
-- it nearest the notice's time if one is clearly nearest. Every case with
-- several candidates is recorded in identity_ambiguities, chosen or not.
-- Run again on every load of the group, so a name whose person appears in
-- a later export is resolved then.
CREATE OR REPLACE TEMP TABLE name_refs AS
SELECT e.event_id, e.group_id, e.ts, r.role, p.platform, substr(p.platform_uid, 6) AS name
FROM membership_events e
JOIN rebuild_groups USING (group_id)
CROSS JOIN LATERAL (VALUES ('member', e.member_id), ('inviter', e.inviter_id), ('actor', e.actor_id)) r(role, ref)
JOIN members p ON p.member_id = r.ref
WHERE p.platform_uid LIKE 'name:%';

-- Everyone else seen under each name in the group, with how far (seconds)
-- the notice's time is from when they bore it (0: within that stretch).
CREATE OR REPLACE TEMP TABLE name_candidates AS
SELECT r.event_id, r.role, r.group_id, r.ts, r.name, n.member_id AS candidate,
       min(CASE WHEN r.ts BETWEEN n.first_seen AND coalesce(n.last_seen, n.first_seen) THEN 0
                ELSE least(abs(epoch(r.ts) - epoch(n.first_seen)),
                           abs(epoch(r.ts) - epoch(coalesce(n.last_seen, n.first_seen)))) END) AS distance
FROM name_refs r
JOIN member_names n ON n.group_id = r.group_id AND n.name = r.name
JOIN members c ON c.member_id = n.member_id AND c.platform = r.platform AND c.platform_uid NOT LIKE 'name:%'
GROUP BY ALL;

CREATE OR REPLACE TEMP TABLE name_resolved AS
SELECT event_id, role, group_id, ts, name,
       list(candidate ORDER BY distance, candidate) AS candidates,
       CASE WHEN count(*) = 1 THEN min(candidate)
            -- several: the nearest, when no other is as near
            WHEN count(*) FILTER (WHERE distance = min_distance) = 1 THEN arg_min(candidate, distance)
       END AS chosen
FROM (SELECT *, min(distance) OVER (PARTITION BY event_id, role) AS min_distance FROM name_candidates)
GROUP BY event_id, role, group_id, ts, name;

DELETE FROM identity_ambiguities
WHERE (event_id, role) IN (SELECT event_id, role FROM name_resolved);
INSERT INTO identity_ambiguities
SELECT group_id, event_id, role, name, ts, candidates, chosen
FROM name_resolved
WHERE len(candidates) > 1;

UPDATE membership_events e SET member_id = r.chosen
FROM name_resolved r WHERE r.role = 'member' AND r.event_id = e.event_id AND r.chosen IS NOT NULL;
UPDATE membership_events e SET inviter_id = r.chosen
FROM name_resolved r WHERE r.role = 'inviter' AND r.event_id = e.event_id AND r.chosen IS NOT NULL;
UPDATE membership_events e SET actor_id = r.chosen
FROM name_resolved r WHERE r.role = 'actor' AND r.event_id = e.event_id AND r.chosen IS NOT NULL;
