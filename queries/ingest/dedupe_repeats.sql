-- Takes back the messages a file itself repeats (the same id twice in one
-- group: a platform id the export lists twice, or identical messages of
-- one second that an export out of time order split apart), keeping the
-- first by line. Run only for the groups where the loader found a repeat.
DELETE FROM messages
WHERE file_id = $file_id
  AND group_id = $group_id
  AND rowid IN (
      SELECT rowid FROM (
          SELECT rowid, row_number() OVER (PARTITION BY message_id ORDER BY line, rowid) AS copy
          FROM messages
          WHERE group_id = $group_id
            AND ts BETWEEN $first AND $last
            AND file_id = $file_id)
      WHERE copy > 1
  );
