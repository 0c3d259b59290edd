-- Run on every open for writing, before anything else writes: removes the
-- rows of loads that never committed. DuckDB rolls a torn transaction back
-- when it replays its write-ahead log, except for the row groups a big
-- INSERT wrote ahead of the commit, which it keeps: those rows carry the
-- file_id of a file that ingest_log does not record as loaded (the file's
-- log row is written in the same transaction and rolled back with it).
-- Rows without a file (config rows, rows from before schema 0006) stay.
-- Each statement scans one integer column: ~20 ms on 3M messages.
DELETE FROM messages WHERE file_id NOT IN (SELECT file_id FROM ingest_log WHERE status = 'loaded');
DELETE FROM membership_events WHERE file_id NOT IN (SELECT file_id FROM ingest_log WHERE status = 'loaded');
DELETE FROM orders WHERE file_id NOT IN (SELECT file_id FROM ingest_log WHERE status = 'loaded');
DELETE FROM activities WHERE file_id NOT IN (SELECT file_id FROM ingest_log WHERE status = 'loaded');
DELETE FROM presences WHERE file_id NOT IN (SELECT file_id FROM ingest_log WHERE status = 'loaded');
DELETE FROM groups WHERE file_id NOT IN (SELECT file_id FROM ingest_log WHERE status = 'loaded');
DELETE FROM members WHERE file_id NOT IN (SELECT file_id FROM ingest_log WHERE status = 'loaded');
DELETE FROM member_names WHERE file_id NOT IN (SELECT file_id FROM ingest_log WHERE status = 'loaded');
DELETE FROM staff WHERE file_id NOT IN (SELECT file_id FROM ingest_log WHERE status = 'loaded');
DELETE FROM group_statistics WHERE file_id NOT IN (SELECT file_id FROM ingest_log WHERE status = 'loaded');
-- Name ambiguities of events that went with their load.
DELETE FROM identity_ambiguities WHERE event_id NOT IN (SELECT event_id FROM membership_events);
-- A refused file keeps its rejects under its 'failed' row.
DELETE FROM rejects WHERE file_id NOT IN (SELECT file_id FROM ingest_log);
