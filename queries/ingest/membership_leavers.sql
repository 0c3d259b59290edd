-- Leaves and removals of the groups in rebuild_groups that no join of the
-- same person follows, yet whose person was seen under some name in the
-- group afterwards: a rejoin the export did not announce. Their first
-- message after the leave is looked up by membership_returns.sql, which
-- the loader runs only when there are any (commonly none): a join with
-- messages reads the whole table even when this side is empty.
CREATE OR REPLACE TEMP TABLE rebuild_later AS
SELECT c.group_id, c.member_id, c.ts
FROM membership_events c
JOIN rebuild_groups USING (group_id)
WHERE c.kind IN ('leave', 'removed')
  AND EXISTS (SELECT 1 FROM member_names n
              WHERE n.group_id = c.group_id AND n.member_id = c.member_id AND n.last_seen > c.ts)
  AND NOT EXISTS (SELECT 1 FROM membership_events j
                  WHERE j.group_id = c.group_id AND j.member_id = c.member_id AND j.kind = 'join' AND j.ts >= c.ts);

CREATE OR REPLACE TEMP TABLE rebuild_returns (group_id BIGINT, member_id BIGINT, ts TIMESTAMP);
