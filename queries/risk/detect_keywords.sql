-- kind: keywords. Messages whose text matches the rule's pattern ($pattern:
-- its words and regexes as one RE2 pattern, bound so DuckDB compiles it
-- once). Evidence is the matched text. A message that also matches $except
-- ('' for none) is spared: it quotes a rule or reports a violator. Staff
-- and bots are spared when $exempt_staff.
INSERT INTO risk_hits
SELECT $rule, message_id::VARCHAR, group_id, member_id, message_id, ts, hit
FROM (
    SELECT m.group_id, m.member_id, m.message_id, m.ts, m.text,
           regexp_extract(m.text, $pattern) AS hit
    FROM messages m
    WHERE m.ts >= $since::TIMESTAMP AND m.member_id IS NOT NULL AND m.kind NOT IN ('system', 'recall')
)
WHERE hit <> ''
  AND regexp_extract(text, $except) = ''
  AND NOT ($exempt_staff AND is_staff(member_id, group_id));
