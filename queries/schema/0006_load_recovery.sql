-- Loads that can be told apart after a crash. DuckDB's write-ahead log
-- replays a torn transaction's row groups that were written ahead of the
-- commit (a big INSERT's "optimistic" writes) even though it rolls back the
-- rest: killed while the commit wrote the log, a load came back as its
-- messages without their groups, members or ingest_log row. Every table a
-- load appends to now names the file that brought each row, so that on
-- every open for writing the rows of files not recorded as loaded are found
-- and removed (queries/ingest/recover.sql). NULL: a row from before this
-- version, or written by the config.
ALTER TABLE groups ADD COLUMN file_id INTEGER;
ALTER TABLE members ADD COLUMN file_id INTEGER;
ALTER TABLE member_names ADD COLUMN file_id INTEGER;
ALTER TABLE staff ADD COLUMN file_id INTEGER;

-- A database that met the crash above and was loaded again holds each
-- message twice: the orphans first go (as recover.sql does), then any
-- message_id still repeated in its group keeps its first copy.
DELETE FROM messages WHERE file_id NOT IN (SELECT file_id FROM ingest_log WHERE status = 'loaded');
DELETE FROM messages WHERE rowid IN (
    SELECT rowid FROM (
        SELECT rowid, row_number() OVER (PARTITION BY group_id, message_id ORDER BY file_id, line) AS copy
        FROM messages)
    WHERE copy > 1);
