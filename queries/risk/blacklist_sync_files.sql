-- Blacklist entries from files follow the files: new lines are added (now),
-- lines no longer in any file are removed, kept lines keep their date.
-- risk_blacklist_file holds the lines of this scan's files.
DELETE FROM blacklist
WHERE source = 'file'
  AND (kind, platform, key) NOT IN (SELECT (kind, platform, key) FROM risk_blacklist_file);

INSERT OR IGNORE INTO blacklist
SELECT DISTINCT ON (kind, platform, key) kind, platform, key, reason, timezone('UTC', now()), 'file'
FROM risk_blacklist_file
ORDER BY kind, platform, key;
