-- Membership that holds without a roster (issue #12): who is in which group
-- when, from every kind of evidence, and the identities notices name.

-- The stretch of time each group's loaded data covers: its first and last
-- message, event or member-list snapshot.
ALTER TABLE groups ADD COLUMN data_first TIMESTAMP;
ALTER TABLE groups ADD COLUMN data_last TIMESTAMP;

-- When a person was last seen under a name in a group (first_seen is the
-- first): a notice naming someone is resolved to the person seen under
-- that name nearest its time.
ALTER TABLE member_names ADD COLUMN last_seen TIMESTAMP;
UPDATE member_names SET last_seen = first_seen;

-- One row per stretch of membership of a person in a group, rebuilt by
-- every load for the groups it touched (ingest/memberships.go):
--   a stretch opens at a join, or, with no join recorded, at the first
--   sign of the person in the group (a message, a member-list snapshot);
--   it closes at a leave or removal. A person seen with no join recorded
--   before was a member before the group's data began: start_ts is NULL
--   ("since before the data") and no join is counted for them. A leave of
--   someone never seen joining closes such a stretch too.
-- source: the opening join's source; 'inferred' for a rejoin seen only
-- from a message after a leave; NULL for stretches since before the data.
-- So, for any period [s, e): members at e = members at s + stretches
-- starting in [s, e) - stretches ending in [s, e), exactly.
CREATE TABLE memberships (
    group_id   BIGINT NOT NULL,
    member_id  BIGINT NOT NULL,
    start_ts   TIMESTAMP,
    source     VARCHAR,
    inviter_id BIGINT,
    end_ts     TIMESTAMP,
    end_kind   VARCHAR CHECK (end_kind IN ('leave', 'removed')),
    actor_id   BIGINT
);

-- A notice named a person by a display name that several people in the
-- group were seen under: recorded, not guessed silently. chosen is the one
-- seen under it nearest the notice's time when one is clearly nearest,
-- else NULL (the event keeps a person keyed by the name).
CREATE TABLE identity_ambiguities (
    group_id   BIGINT NOT NULL,
    event_id   BIGINT NOT NULL,
    role       VARCHAR NOT NULL, -- member | inviter | actor
    name       VARCHAR NOT NULL,
    ts         TIMESTAMP NOT NULL,
    candidates BIGINT[] NOT NULL,
    chosen     BIGINT
);

-- Groups an older ckpi loaded: their span from their messages and events.
UPDATE groups AS g SET data_first = x.first_ts, data_last = x.last_ts
FROM (
    SELECT group_id, min(ts) AS first_ts, max(ts) AS last_ts
    FROM (SELECT group_id, ts FROM messages UNION ALL SELECT group_id, ts FROM membership_events)
    GROUP BY group_id
) x
WHERE g.group_id = x.group_id;
