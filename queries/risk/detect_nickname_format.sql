-- kind: nickname_format. Display names that do not match the group's
-- format ($pattern, e.g. Name | Company | City). Names of the system and
-- of people known only by a bare nick are left out.
INSERT INTO risk_hits
SELECT $rule, n.member_id || '|' || n.group_id || '|' || n.name, n.group_id, n.member_id, NULL, n.first_seen, n.name
FROM member_names n
WHERE n.first_seen >= $since::TIMESTAMP
  AND NOT regexp_full_match(n.name, $pattern)
  AND regexp_extract(n.name, $except) = ''
  AND NOT ($exempt_staff AND is_staff(n.member_id, n.group_id));
