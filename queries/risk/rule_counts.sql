-- Per rule of the scan: findings, and those not stored before.
SELECT r.rule,
       count(f.violation_id)                                   AS found,
       count(f.violation_id) FILTER (WHERE v.violation_id IS NULL) AS added
FROM risk_rules r
LEFT JOIN risk_found f ON f.rule = r.rule
LEFT JOIN violations v ON v.violation_id = f.violation_id
GROUP BY r.rule
ORDER BY r.rule;
