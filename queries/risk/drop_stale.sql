-- Violations in the scanned period that the rules no longer find (a rule
-- was changed, turned off or removed) are dropped: the rules file is the
-- truth.
DELETE FROM violations
WHERE ts >= $since::TIMESTAMP
  AND violation_id NOT IN (SELECT violation_id FROM risk_found);
