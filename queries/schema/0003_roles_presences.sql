-- What exports state beyond messages and events: roles (a QQ 【管理员】
-- title, Slack's is_admin/is_owner/is_bot, Discord's isBot), member-list
-- snapshots, and who performed a removal.

-- The admin who removed someone, or who added them, when the export says.
ALTER TABLE membership_events ADD COLUMN actor_id BIGINT;

-- origin: config (ckpi.yaml, replaced whole on every run that has one) or
-- export (stated by a loaded file, kept). A config row with role 'member'
-- overrides what an export states: that person is counted as a member.
ALTER TABLE staff ADD COLUMN origin VARCHAR DEFAULT 'config';

-- A person listed in a group's member list taken at as_of (a member-list
-- snapshot, Slack channels.json members): evidence of membership at that
-- moment, whatever the chat shows.
CREATE TABLE presences (
    group_id  BIGINT NOT NULL,
    member_id BIGINT NOT NULL,
    as_of     TIMESTAMP NOT NULL,
    file_id   INTEGER,
    line      BIGINT
);
