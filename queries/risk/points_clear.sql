-- A scan rebuilds the ledger from $since: points earned by messages since
-- then, and every deduction and forfeit (they depend on the whole history).
DELETE FROM points_ledger
WHERE (reason IN ('checkin', 'sharing', 'answer') AND ts >= $since::TIMESTAMP)
   OR reason IN ('violation', 'quit');
