-- Deductions: $per_strike points for every strike an offence climbs, in the
-- group of its first violation.
INSERT INTO points_ledger
SELECT member_id, group_id, ts, $per_strike * weight, 'violation', first_violation
FROM risk_offences
WHERE $per_strike <> 0;
