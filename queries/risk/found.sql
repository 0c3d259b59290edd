-- What this scan found, with stable ids: a hash of the rule and the
-- finding, so the same finding has the same id in every scan.
CREATE OR REPLACE TEMP TABLE risk_found AS
SELECT DISTINCT ON (violation_id) *
FROM (
    SELECT (md5_number(h.rule || '|' || h.vkey) >> 65)::BIGINT AS violation_id, h.*
    FROM risk_hits h
)
ORDER BY violation_id, ts;
