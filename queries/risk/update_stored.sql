-- Findings already stored keep their id and detection time; their rule's
-- category, severity and strikes follow the current rules.
UPDATE violations AS v
SET category = r.category, severity = r.severity, strikes = r.strikes, evidence = f.evidence
FROM risk_found f
JOIN risk_rules r ON r.rule = f.rule
WHERE v.violation_id = f.violation_id
  AND (v.category <> r.category OR v.severity <> r.severity OR v.strikes <> r.strikes OR v.evidence <> f.evidence);
