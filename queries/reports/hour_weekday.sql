-- Report query (not a KPI): members' messages of the report period by local
-- weekday and hour, for the hour x weekday heatmap of the weekly report.
-- Parameters, bound by name with their types:
--   $start, $end  TIMESTAMP  the period as UTC instants (as in the metrics)
--   $tz           VARCHAR    the IANA zone the report is cut in
-- Columns: weekday (1 = Monday .. 7 = Sunday), hour (0..23), messages.
-- ts holds UTC wall time: timezone('UTC', ts) makes it an instant and
-- timezone($tz, …) the local wall time there, daylight saving included.
-- Staff and bots are left out, like every KPI that counts messages; the
-- staff test runs once per sender and hour, not once per message.
WITH counts AS (
    SELECT m.group_id,
           m.member_id,
           isodow(timezone($tz, timezone('UTC', m.ts))) AS weekday,
           hour(timezone($tz, timezone('UTC', m.ts)))   AS hour,
           count(*)                                     AS n
    FROM messages m
    WHERE m.ts >= $start AND m.ts < $end
      AND m.member_id IS NOT NULL
      AND m.kind NOT IN ('system', 'recall')
    GROUP BY ALL
),
senders AS (
    SELECT s.group_id, s.member_id, is_staff(s.member_id, s.group_id) AS staff
    FROM (SELECT DISTINCT group_id, member_id FROM counts) s
)
SELECT c.weekday::BIGINT AS weekday,
       c.hour::BIGINT    AS hour,
       sum(c.n)::BIGINT  AS messages
FROM counts c
JOIN senders s ON s.group_id = c.group_id AND s.member_id = c.member_id
WHERE NOT s.staff
GROUP BY c.weekday, c.hour
ORDER BY c.weekday, c.hour;
