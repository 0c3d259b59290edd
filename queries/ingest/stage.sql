-- Staging tables for the files of one load, created inside its
-- transaction. The parser's rows other than messages land here first, with
-- their file; the merge_*.sql files move what is new into the canonical
-- tables, so a rolled-back load leaves nothing behind.
CREATE OR REPLACE TEMP TABLE stage_file (
    file_id   INTEGER,
    path      VARCHAR,
    source_tz VARCHAR
);
-- The ingest_log rows of the files, written once they are loaded.
CREATE OR REPLACE TEMP TABLE stage_log AS SELECT * FROM ingest_log LIMIT 0;
CREATE OR REPLACE TEMP TABLE stage_groups (
    group_id    BIGINT,
    platform    VARCHAR,
    external_id VARCHAR,
    name        VARCHAR,
    data_first  TIMESTAMP,
    data_last   TIMESTAMP
);
CREATE OR REPLACE TEMP TABLE stage_events (
    event_id   BIGINT,
    group_id   BIGINT,
    member_id  BIGINT,
    ts         TIMESTAMP,
    kind       VARCHAR,
    source     VARCHAR,
    inviter_id BIGINT,
    actor_id   BIGINT,
    file_id    INTEGER,
    line       BIGINT
);
-- Roles the files state, once per person, group and role.
CREATE OR REPLACE TEMP TABLE stage_roles (
    group_id  BIGINT,
    member_id BIGINT,
    role      VARCHAR,
    ts        TIMESTAMP,
    file_id   INTEGER,
    line      BIGINT
);
CREATE OR REPLACE TEMP TABLE stage_presences (
    group_id  BIGINT,
    member_id BIGINT,
    as_of     TIMESTAMP,
    file_id   INTEGER,
    line      BIGINT
);
-- A platform's own counts (WeCom's group statistics); owner_ids are the
-- member ids of the owners whose groups are counted, comma-separated,
-- empty for every group of the account.
CREATE OR REPLACE TEMP TABLE stage_statistics (
    statistic_id          BIGINT,
    platform              VARCHAR,
    owner_ids             VARCHAR,
    day                   VARCHAR,
    ts                    TIMESTAMP,
    days                  BIGINT,
    new_groups            BIGINT,
    groups_total          BIGINT,
    groups_with_messages  BIGINT,
    new_members           BIGINT,
    members_total         BIGINT,
    members_with_messages BIGINT,
    messages              BIGINT,
    file_id               INTEGER,
    line                  BIGINT
);
CREATE OR REPLACE TEMP TABLE stage_activities (
    activity_id BIGINT,
    group_id    BIGINT,
    ts          TIMESTAMP,
    type        VARCHAR,
    title       VARCHAR,
    file_id     INTEGER,
    line        BIGINT
);
-- Activities found in the files' chat by the activity patterns.
CREATE OR REPLACE TEMP TABLE stage_detected (
    activity_id BIGINT,
    group_id    BIGINT,
    ts          TIMESTAMP,
    type        VARCHAR,
    title       VARCHAR,
    file_id     INTEGER,
    line        BIGINT
);
-- Everyone the files mention (senders, event subjects, inviters, roster
-- rows), summed up by the parser side: one row per person.
CREATE OR REPLACE TEMP TABLE stage_people (
    member_id    BIGINT,
    platform     VARCHAR,
    uid          VARCHAR,
    name         VARCHAR,
    customer_key VARCHAR,
    first_seen   TIMESTAMP,
    last_seen    TIMESTAMP
);
CREATE OR REPLACE TEMP TABLE stage_member_names (
    member_id  BIGINT,
    group_id   BIGINT,
    name       VARCHAR,
    first_seen TIMESTAMP,
    last_seen  TIMESTAMP
);
CREATE OR REPLACE TEMP TABLE stage_orders (
    order_id     VARCHAR,
    customer_key VARCHAR,
    ts           TIMESTAMP,
    amount       VARCHAR,
    currency     VARCHAR,
    product      VARCHAR,
    status       VARCHAR,
    file_id      INTEGER,
    line         BIGINT
);
-- Carriers that are not groups (official accounts): their accounts, days
-- of followers and days of articles.
CREATE OR REPLACE TEMP TABLE stage_accounts (
    account_id  BIGINT,
    platform    VARCHAR,
    external_id VARCHAR,
    name        VARCHAR,
    file_id     INTEGER
);
CREATE OR REPLACE TEMP TABLE stage_follows (
    account_id     BIGINT,
    day            TIMESTAMP,
    source         VARCHAR,
    new_users      BIGINT,
    cancel_users   BIGINT,
    cumulate_users BIGINT,
    file_id        INTEGER,
    line           BIGINT
);
CREATE OR REPLACE TEMP TABLE stage_content (
    account_id          BIGINT,
    article_id          VARCHAR,
    title               VARCHAR,
    published           TIMESTAMP,
    day                 TIMESTAMP,
    channel             VARCHAR,
    read_users          BIGINT,
    reads               BIGINT,
    original_read_users BIGINT,
    original_reads      BIGINT,
    share_users         BIGINT,
    shares              BIGINT,
    fav_users           BIGINT,
    favs                BIGINT,
    file_id             INTEGER,
    line                BIGINT
);
