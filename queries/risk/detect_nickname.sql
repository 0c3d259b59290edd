-- kind: nickname. Display names (every name a member used in a group) that
-- match the rule's banned words and regexes. A name is not a message: the
-- violation has no message_id and its time is when the name was first seen.
-- Evidence: the banned word, then the name.
INSERT INTO risk_hits
SELECT $rule, member_id || '|' || group_id || '|' || name, group_id, member_id, NULL, first_seen, hit || ': ' || name
FROM (
    SELECT n.group_id, n.member_id, n.name, n.first_seen, regexp_extract(n.name, $pattern) AS hit
    FROM member_names n
    WHERE n.first_seen >= $since::TIMESTAMP
)
WHERE hit <> ''
  AND regexp_extract(name, $except) = ''
  AND NOT ($exempt_staff AND is_staff(member_id, group_id));
