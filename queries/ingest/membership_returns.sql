-- The first message (not a system notice) after each leave of
-- rebuild_later: when the person came back (see membership_leavers.sql).
INSERT INTO rebuild_returns
SELECT l.group_id, l.member_id, min(m.ts)
FROM rebuild_later l
JOIN messages m ON m.group_id = l.group_id AND m.member_id = l.member_id AND m.ts > l.ts
WHERE m.kind <> 'system'
GROUP BY l.group_id, l.member_id, l.ts;
