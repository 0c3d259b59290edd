-- Canonical tables of a ckpi database.
-- Timestamps are stored as TIMESTAMP holding UTC wall time; the zone the
-- export was written in is kept beside messages so nothing is lost.
-- Ids of groups, members, messages and events are 63-bit hashes of their
-- natural keys, so re-ingesting the same export produces the same ids.

CREATE TABLE groups (
    group_id     BIGINT PRIMARY KEY,
    platform     VARCHAR NOT NULL,
    external_id  VARCHAR NOT NULL,
    name         VARCHAR NOT NULL,
    city         VARCHAR,
    product_line VARCHAR,
    owner        VARCHAR,
    name_pattern VARCHAR
);

CREATE TABLE members (
    member_id    BIGINT PRIMARY KEY,
    platform     VARCHAR NOT NULL,
    platform_uid VARCHAR NOT NULL,
    display_name VARCHAR,
    customer_key VARCHAR,
    first_seen   TIMESTAMP,
    last_seen    TIMESTAMP
);

-- Every name a member was seen under, per group, with when it was first seen.
CREATE TABLE member_names (
    member_id  BIGINT NOT NULL,
    group_id   BIGINT NOT NULL,
    name       VARCHAR NOT NULL,
    first_seen TIMESTAMP NOT NULL
);

-- kind: join | leave | removed.
-- source (joins only): referral | qr | link | website | official_account |
-- weibo | offline | sms | import | unknown. inviter_id is set for referral and qr.
CREATE TABLE membership_events (
    event_id   BIGINT NOT NULL,
    group_id   BIGINT NOT NULL,
    member_id  BIGINT NOT NULL,
    ts         TIMESTAMP NOT NULL,
    kind       VARCHAR NOT NULL CHECK (kind IN ('join', 'leave', 'removed')),
    source     VARCHAR,
    inviter_id BIGINT,
    file_id    INTEGER,
    line       BIGINT
);

-- kind: text | image | sticker | voice | video | file | link | system | recall.
CREATE TABLE messages (
    message_id BIGINT NOT NULL,
    group_id   BIGINT NOT NULL,
    member_id  BIGINT,
    ts         TIMESTAMP NOT NULL,
    source_tz  VARCHAR NOT NULL,
    kind       VARCHAR NOT NULL,
    text       VARCHAR,
    mentions   VARCHAR[],
    reply_to   BIGINT,
    file_id    INTEGER,
    line       BIGINT
);

CREATE TABLE orders (
    order_id     VARCHAR PRIMARY KEY,
    customer_key VARCHAR NOT NULL,
    ts           TIMESTAMP NOT NULL,
    amount       DECIMAL(18, 2) NOT NULL,
    currency     VARCHAR NOT NULL,
    product      VARCHAR,
    status       VARCHAR NOT NULL,
    file_id      INTEGER,
    line         BIGINT
);

-- type: checkin | sharing | vote | event | talent_show | discussion | other.
CREATE TABLE activities (
    activity_id BIGINT NOT NULL,
    group_id    BIGINT NOT NULL,
    ts          TIMESTAMP NOT NULL,
    type        VARCHAR NOT NULL,
    title       VARCHAR,
    origin      VARCHAR NOT NULL,
    file_id     INTEGER,
    line        BIGINT
);

-- Message patterns that mean an activity was held, e.g. '#打卡' (check-in,
-- counted once a day per group) or '【活动】' (an announced event). The
-- config may replace them; lower priority wins when several match.
CREATE TABLE activity_patterns (
    type         VARCHAR NOT NULL,
    pattern      VARCHAR NOT NULL,
    once_per_day BOOLEAN NOT NULL,
    priority     INTEGER NOT NULL
);

INSERT INTO activity_patterns VALUES
    ('checkin',     '#打卡|^打卡|#每日打卡|#check-?in\b',         true,  1),
    ('sharing',     '【分享会】|#分享会|sharing session',            false, 2),
    ('vote',        '【投票】|#投票|发起了投票|\[poll\]',           false, 3),
    ('talent_show', '【才艺秀】|才艺展示|talent show',               false, 4),
    ('discussion',  '【讨论】|#讨论|#话题|group discussion',        false, 5),
    ('event',       '【活动】|#活动|\[event\]',                    false, 6);

-- role: owner | admin | service | bot. group_id NULL means every group.
CREATE TABLE staff (
    member_id BIGINT NOT NULL,
    group_id  BIGINT,
    role      VARCHAR NOT NULL
);

CREATE SEQUENCE file_id_seq START 1;

-- status: loaded | failed | skipped (same checksum already loaded).
CREATE TABLE ingest_log (
    file_id       INTEGER PRIMARY KEY,
    path          VARCHAR NOT NULL,
    checksum      VARCHAR NOT NULL,
    format        VARCHAR NOT NULL,
    size_bytes    BIGINT NOT NULL,
    rows_loaded   BIGINT NOT NULL,
    rows_rejected BIGINT NOT NULL,
    status        VARCHAR NOT NULL,
    message       VARCHAR,
    started_at    TIMESTAMP NOT NULL,
    finished_at   TIMESTAMP NOT NULL
);

CREATE TABLE rejects (
    file_id INTEGER NOT NULL,
    path    VARCHAR NOT NULL,
    line    BIGINT NOT NULL,
    reason  VARCHAR NOT NULL,
    raw     VARCHAR
);
