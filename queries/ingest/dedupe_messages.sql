-- Takes back the messages of the file being loaded that an earlier file
-- already brought (same id), for one group and the file's time span in it.
-- Group and span are bound as constants so DuckDB skips, by its min/max
-- statistics, every row group of other groups and other times: the cost
-- follows the size of the file, not of the database.
DELETE FROM messages
WHERE file_id = $file_id
  AND group_id = $group_id
  AND message_id IN (
      SELECT message_id FROM messages
      WHERE group_id = $group_id
        AND ts BETWEEN $first AND $last
        AND file_id < $file_id
  );
