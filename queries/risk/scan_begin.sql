-- The working table of one scan: what every detector found. Detectors
-- insert into it; merge.sql turns it into violations. vkey identifies the
-- finding within its rule (a message id, or member|group|name for names).
CREATE OR REPLACE TEMP TABLE risk_hits (
    rule       VARCHAR NOT NULL,
    vkey       VARCHAR NOT NULL,
    group_id   BIGINT NOT NULL,
    member_id  BIGINT NOT NULL,
    message_id BIGINT,
    ts         TIMESTAMP NOT NULL,
    evidence   VARCHAR NOT NULL
);

-- The lines of the blacklist files the rules name.
CREATE OR REPLACE TEMP TABLE risk_blacklist_file (
    kind     VARCHAR NOT NULL,
    platform VARCHAR NOT NULL,
    key      VARCHAR NOT NULL,
    reason   VARCHAR
);
