-- kind: links. Messages with a link whose host is not an allowed domain
-- ($allow: RE2 over the host, '' when every link counts). Evidence is the
-- first such link. Guards as in detect_keywords.sql.
INSERT INTO risk_hits
SELECT $rule, message_id::VARCHAR, group_id, member_id, message_id, ts, link
FROM (
    SELECT m.group_id, m.member_id, m.message_id, m.ts, m.text,
           list_filter(
               regexp_extract_all(m.text, '(?i)(?:https?://|www\.)[^\s<>"''，。、；！？）)\]】]+'),
               lambda u: $allow = '' OR NOT regexp_full_match(regexp_extract(u, '(?i)^(?:https?://)?([^/:?#@]+)', 1), $allow)
           )[1] AS link
    FROM messages m
    WHERE m.ts >= $since::TIMESTAMP AND m.member_id IS NOT NULL AND m.kind NOT IN ('system', 'recall')
      AND (contains(m.text, 'http') OR contains(m.text, 'HTTP') OR contains(m.text, 'www.') OR contains(m.text, 'WWW.'))
)
WHERE link IS NOT NULL
  AND regexp_extract(text, $except) = ''
  AND NOT ($exempt_staff AND is_staff(member_id, group_id));
