-- Findings not stored before become violations, stamped with the scan time.
INSERT INTO violations
SELECT f.violation_id, f.group_id, f.member_id, f.message_id, f.ts, f.rule,
       r.category, r.severity, r.strikes, f.evidence, $now::TIMESTAMP
FROM risk_found f
JOIN risk_rules r ON r.rule = f.rule
WHERE f.violation_id NOT IN (SELECT violation_id FROM violations);
