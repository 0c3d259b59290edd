-- Rebuilds the membership stretches (the memberships table, see
-- schema/0004_memberships.sql) of the groups in rebuild_groups from every
-- piece of evidence: joins (J), leaves and removals (L), and signs of
-- presence (S: the first message in the group, the first message after
-- each leave, a member-list snapshot).
--
-- Per person and group, the evidence in time order (at one instant: J,
-- then S, then L) is cut into segments at each L: segment k holds what
-- follows the k-th L up to and including the next one. In each segment the
-- first J or S opens a stretch and its L closes it. A stretch of segment 0
-- opened by S, or a first L with nothing before it, is a membership from
-- before the group's data began (start_ts NULL, no join counted); an L in
-- a later segment with nothing before it is a repeated leave and ignored;
-- a later stretch opened by S is a rejoin no notice recorded (source
-- 'inferred', starting at that message).

CREATE OR REPLACE TEMP TABLE rebuild_evidence AS
SELECT group_id, member_id, ts,
       CASE kind WHEN 'join' THEN 'J' ELSE 'L' END AS ev,
       kind, source, inviter_id, actor_id
FROM membership_events
JOIN rebuild_groups USING (group_id)
UNION ALL
SELECT n.group_id, n.member_id, min(n.first_seen), 'S', NULL, NULL, NULL, NULL
FROM member_names n
JOIN rebuild_groups USING (group_id)
GROUP BY n.group_id, n.member_id
UNION ALL
SELECT group_id, member_id, ts, 'S', NULL, NULL, NULL, NULL FROM rebuild_returns
UNION ALL
SELECT p.group_id, p.member_id, p.as_of, 'S', NULL, NULL, NULL, NULL
FROM presences p
JOIN rebuild_groups USING (group_id);

DELETE FROM memberships WHERE group_id IN (SELECT group_id FROM rebuild_groups);

INSERT INTO memberships
WITH ordered AS (
    SELECT *,
           -- the segment: how many leaves came before this row
           count(*) FILTER (WHERE ev = 'L') OVER w - CASE WHEN ev = 'L' THEN 1 ELSE 0 END AS seg,
           row_number() OVER w AS rn
    FROM rebuild_evidence
    WINDOW w AS (PARTITION BY group_id, member_id
                 ORDER BY ts, CASE ev WHEN 'J' THEN 0 WHEN 'S' THEN 1 ELSE 2 END, kind, source
                 ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
),
segments AS (
    SELECT group_id, member_id, seg,
           arg_min(ev, rn) FILTER (WHERE ev <> 'L')         AS opened_by,
           arg_min(ts, rn) FILTER (WHERE ev <> 'L')         AS opened_at,
           arg_min(source, rn) FILTER (WHERE ev <> 'L')     AS opened_source,
           arg_min(inviter_id, rn) FILTER (WHERE ev <> 'L') AS opened_inviter,
           max(ts) FILTER (WHERE ev = 'L')                  AS closed_at,
           arg_max(kind, rn) FILTER (WHERE ev = 'L')        AS closed_kind,
           arg_max(actor_id, rn) FILTER (WHERE ev = 'L')    AS closed_actor
    FROM ordered
    GROUP BY group_id, member_id, seg
)
SELECT group_id, member_id,
       CASE WHEN opened_by = 'J' OR (opened_by = 'S' AND seg > 0) THEN opened_at END AS start_ts,
       CASE WHEN opened_by = 'J' THEN coalesce(opened_source, 'unknown')
            WHEN opened_by = 'S' AND seg > 0 THEN 'inferred' END              AS source,
       CASE WHEN opened_by = 'J' THEN opened_inviter END                     AS inviter_id,
       closed_at, closed_kind, closed_actor
FROM segments
WHERE opened_by IS NOT NULL OR seg = 0;
