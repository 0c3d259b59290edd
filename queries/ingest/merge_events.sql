-- Merges the staged membership events of a load into the canonical tables
-- (its messages were streamed in by insert_messages.sql); the loader runs
-- it only when the files had such rows. Inserts skip what is already there,
-- so loading the same rows twice adds nothing.

-- An event enters as its first file (in load order) has it...
INSERT INTO membership_events
SELECT s.event_id, s.group_id, s.member_id, s.ts, s.kind, s.source, s.inviter_id, s.file_id, s.line, s.actor_id
FROM (SELECT DISTINCT ON (event_id) * FROM stage_events ORDER BY event_id, file_id, line) s
WHERE NOT EXISTS (SELECT 1 FROM membership_events e WHERE e.event_id = s.event_id);

-- ...and a join seen in chat ("joined") and in a roster export ("via
-- weibo") is one event: the roster's more specific source wins, whichever
-- file came first.
UPDATE membership_events AS e
SET source = s.source, inviter_id = coalesce(s.inviter_id, e.inviter_id), actor_id = coalesce(e.actor_id, s.actor_id)
FROM (
    SELECT DISTINCT ON (event_id) *
    FROM stage_events
    WHERE source <> 'unknown'
    ORDER BY event_id, file_id, line
) s
WHERE e.event_id = s.event_id AND e.source = 'unknown';
