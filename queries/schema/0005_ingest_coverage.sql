-- What each loaded file became (the coverage report of issue 13) and how
-- it was read. Counts are of the rows the parser reported, before dedupe;
-- ingest.Coverage defines each. NULL in rows logged before this version.
ALTER TABLE ingest_log ADD COLUMN messages BIGINT;        -- member messages, system lines not included
ALTER TABLE ingest_log ADD COLUMN notices BIGINT;         -- notices understood: membership events + system messages
ALTER TABLE ingest_log ADD COLUMN unknown_notices BIGINT; -- notices not understood (in rejects, reason 'notice not understood')
ALTER TABLE ingest_log ADD COLUMN events BIGINT;          -- membership events: join, leave, removed
ALTER TABLE ingest_log ADD COLUMN people BIGINT;          -- distinct people the file names
-- Text lines, and those in the spans of rejected rows (from a rejected
-- row's line to the next row's): NULL when unknown (a folder export, a
-- workbook, rows out of line order).
ALTER TABLE ingest_log ADD COLUMN lines BIGINT;
ALTER TABLE ingest_log ADD COLUMN lines_neither BIGINT;
-- The zone local times were read in: the load's (--tz, the config's
-- timezone), or per group when the config gives groups their own.
ALTER TABLE ingest_log ADD COLUMN source_tz VARCHAR;
ALTER TABLE ingest_log ADD COLUMN lang VARCHAR;           -- the forced notice language (--lang); NULL: detected
