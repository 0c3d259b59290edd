-- kind: churn. The pattern of ad accounts: a member joins, posts a link or
-- contact details ($pattern) and leaves or is removed, all within $within
-- seconds of joining. Links to allowed domains ($allowed_links, '' for
-- none) are taken out of the text first: sharing your own site's manual is
-- not an ad. The violation is the first such post.
INSERT INTO risk_hits
WITH joins AS (
    SELECT group_id, member_id, ts AS joined
    FROM membership_events
    WHERE kind = 'join' AND ts >= $since::TIMESTAMP - to_seconds($within)
),
posts AS (
    SELECT j.group_id, j.member_id, j.joined, m.message_id, m.ts, regexp_extract(CASE WHEN $allowed_links = '' THEN m.text ELSE regexp_replace(m.text, $allowed_links, '', 'g') END, $pattern) AS hit
    FROM joins j
    JOIN messages m ON m.group_id = j.group_id AND m.member_id = j.member_id
     AND m.ts >= j.joined AND m.ts <= j.joined + to_seconds($within)
    WHERE m.ts >= $since::TIMESTAMP AND m.kind NOT IN ('system', 'recall')
),
runs AS (
    SELECT p.*, e.ts AS exited, e.kind AS exit_kind
    FROM posts p
    JOIN membership_events e ON e.group_id = p.group_id AND e.member_id = p.member_id
     AND e.kind IN ('leave', 'removed') AND e.ts >= p.ts AND e.ts <= p.joined + to_seconds($within)
    WHERE p.hit <> ''
)
SELECT DISTINCT ON (group_id, member_id, joined)
       $rule, message_id::VARCHAR, group_id, member_id, message_id, ts,
       hit || ': posted ' || date_diff('second', joined, ts) // 60 || ' min after joining, '
           || CASE exit_kind WHEN 'leave' THEN 'left' ELSE 'removed' END || ' '
           || date_diff('second', joined, exited) // 60 || ' min after joining'
FROM runs
WHERE NOT ($exempt_staff AND is_staff(member_id, group_id))
ORDER BY group_id, member_id, joined, ts, exited;
