-- Streams the messages of a load's files into the canonical table as they
-- are parsed. Messages already there (a re-loaded or overlapping export)
-- are removed again by dedupe_messages.sql before the load commits. {{source}} is the
-- loader's own stream (a table function or an Arrow view), never user text;
-- {{order}} is empty or the loader's ORDER BY on time. The files of a load
-- are all read in one zone: a constant, cheaper than a join per row.
INSERT INTO messages
SELECT s.message_id,
       s.group_id,
       nullif(s.member_id, 0),
       make_timestamp(s.ts_us),
       (SELECT any_value(source_tz) FROM stage_file),
       s.kind,
       s.text,
       CASE WHEN s.mentions = '' THEN NULL ELSE string_split(s.mentions, chr(31)) END,
       nullif(s.reply_to, 0),
       s.file_id,
       s.line
FROM {{source}} s
{{order}};
