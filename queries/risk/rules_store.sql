-- The rules, ladder and settings of this scan replace the previous ones
-- (risk_rules, risk_settings, risk_ladder_steps are refilled from Go, row
-- by row, after this).
DELETE FROM risk_rules;
DELETE FROM risk_settings;
DELETE FROM risk_ladder_steps;
