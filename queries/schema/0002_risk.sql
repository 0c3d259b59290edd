-- Risk monitoring: rule violations, the handling ladder, blacklists and the
-- points ledger. `ckpi risk scan` fills these tables from the messages and
-- membership events with the rules of a rules file (metrics/risk); nothing
-- here is written by ingest.

-- The rules of the last scan, for reports and metrics to name them.
-- kind: keywords | links | flood | repeat | media_size | nickname |
-- nickname_format | churn. category: abuse | advertising | political |
-- indecent | flooding | media | nickname. strikes: how many steps of the
-- ladder one offence under this rule climbs (0: recorded, not on the ladder).
CREATE TABLE risk_rules (
    rule        VARCHAR PRIMARY KEY,
    kind        VARCHAR NOT NULL,
    category    VARCHAR NOT NULL,
    severity    VARCHAR NOT NULL CHECK (severity IN ('low', 'medium', 'high')),
    strikes     INTEGER NOT NULL,
    description VARCHAR
);

-- One row per rule a message (or, for nickname rules, a display name)
-- broke. violation_id is a stable hash of the rule and the message (or the
-- member, group and name), so a re-scan finds the same ids and adds nothing.
-- message_id is NULL for nickname rules; ts is then when the name was first
-- seen. evidence is what matched: the keyword, the link, "9 messages in 60s".
CREATE TABLE violations (
    violation_id BIGINT PRIMARY KEY,
    group_id     BIGINT NOT NULL,
    member_id    BIGINT NOT NULL,
    message_id   BIGINT,
    ts           TIMESTAMP NOT NULL,
    rule         VARCHAR NOT NULL,
    category     VARCHAR NOT NULL,
    severity     VARCHAR NOT NULL,
    strikes      INTEGER NOT NULL,
    evidence     VARCHAR NOT NULL,
    detected_at  TIMESTAMP NOT NULL
);

-- The ladder of the last scan. scope 'member': one ladder per person across
-- all groups; 'group': one per person and group. Violations of one ladder
-- less than cooldown_s seconds after the previous one are the same offence.
CREATE TABLE risk_settings (
    scope      VARCHAR NOT NULL CHECK (scope IN ('member', 'group')),
    cooldown_s BIGINT NOT NULL
);
INSERT INTO risk_settings VALUES ('member', 3600);

-- What staff do at each strike; a strike past the last row takes the last
-- row's step. step: warning | public_notice | mute | public_notice_mute | removal.
CREATE TABLE risk_ladder_steps (
    strike INTEGER PRIMARY KEY,
    step   VARCHAR NOT NULL
);
INSERT INTO risk_ladder_steps VALUES (1, 'warning'), (2, 'public_notice_mute'), (3, 'removal');

-- People to watch for. kind 'uid': platform and platform_uid of a member;
-- kind 'customer_key': a phone hash or union id, any platform (platform '').
-- source: file (a blacklist file named by the rules), cli (ckpi risk
-- blacklist add), auto (a violator staff removed). For auto entries
-- added_at is the removal; appearances after it raise alerts.
CREATE TABLE blacklist (
    kind      VARCHAR NOT NULL CHECK (kind IN ('uid', 'customer_key')),
    platform  VARCHAR NOT NULL,
    key       VARCHAR NOT NULL,
    reason    VARCHAR,
    added_at  TIMESTAMP NOT NULL,
    source    VARCHAR NOT NULL CHECK (source IN ('file', 'cli', 'auto')),
    PRIMARY KEY (kind, platform, key)
);

-- Alerts: the first appearance (a join or a message) of a blacklisted person
-- in each group, after the entry's added_at for auto entries and at any time
-- for file and cli entries. Rebuilt by every scan.
CREATE TABLE blacklist_hits (
    kind      VARCHAR NOT NULL,
    platform  VARCHAR NOT NULL,
    key       VARCHAR NOT NULL,
    member_id BIGINT NOT NULL,
    group_id  BIGINT NOT NULL,
    ts        TIMESTAMP NOT NULL,
    how       VARCHAR NOT NULL CHECK (how IN ('join', 'message')),
    ref_id    BIGINT
);

-- Points per member and group. reason: checkin | sharing | answer (points
-- earned by a message, ref_id its message_id) | violation (a deduction per
-- offence, ref_id the offence's first violation_id) | quit (leaving forfeits
-- what was earned, ref_id the leave event). A balance is the rules' initial
-- points plus the sum of the rows.
CREATE TABLE points_ledger (
    member_id BIGINT NOT NULL,
    group_id  BIGINT NOT NULL,
    ts        TIMESTAMP NOT NULL,
    points    INTEGER NOT NULL,
    reason    VARCHAR NOT NULL,
    ref_id    BIGINT
);

-- One row per scan.
CREATE SEQUENCE risk_scan_seq START 1;
CREATE TABLE risk_scans (
    scan_id        INTEGER PRIMARY KEY,
    started_at     TIMESTAMP NOT NULL,
    finished_at    TIMESTAMP NOT NULL,
    since          TIMESTAMP,
    rules_file     VARCHAR NOT NULL,
    rules_checksum VARCHAR NOT NULL,
    found          BIGINT NOT NULL,
    added          BIGINT NOT NULL,
    dropped        BIGINT NOT NULL,
    blacklist_hits BIGINT NOT NULL
);

-- The ladder. Violations whose rule climbs the ladder (strikes > 0) are
-- grouped into offences: per ladder (member, or member and group), a
-- violation more than cooldown_s after the previous one starts a new
-- offence. An offence climbs by its heaviest rule's strikes; its strike is
-- the running total, and its step the ladder row of that strike.
CREATE VIEW risk_offences AS
WITH settings AS (
    SELECT coalesce(max(scope), 'member') AS scope, coalesce(max(cooldown_s), 3600) AS cooldown_s FROM risk_settings
),
v AS (
    SELECT v.violation_id, v.member_id, v.group_id, v.ts, v.strikes,
           CASE WHEN s.scope = 'group' THEN v.group_id ELSE 0 END AS ladder_group,
           s.cooldown_s
    FROM violations v CROSS JOIN settings s
    WHERE v.strikes > 0
),
starts AS (
    SELECT *,
           CASE WHEN lag(ts) OVER w IS NULL OR epoch(ts) - epoch(lag(ts) OVER w) > cooldown_s THEN 1 ELSE 0 END AS new_offence
    FROM v
    WINDOW w AS (PARTITION BY member_id, ladder_group ORDER BY ts, violation_id)
),
numbered AS (
    SELECT *,
           sum(new_offence) OVER (PARTITION BY member_id, ladder_group ORDER BY ts, violation_id ROWS UNBOUNDED PRECEDING) AS offence_no
    FROM starts
),
offences AS (
    SELECT member_id, ladder_group, offence_no,
           min(ts)                    AS ts,
           arg_min(group_id, ts)      AS group_id,
           min(violation_id) FILTER (WHERE new_offence = 1) AS first_violation,
           max(strikes)               AS weight,
           count(*)                   AS violations
    FROM numbered
    GROUP BY member_id, ladder_group, offence_no
),
climbed AS (
    SELECT *,
           sum(weight) OVER (PARTITION BY member_id, ladder_group ORDER BY offence_no ROWS UNBOUNDED PRECEDING)::INTEGER AS strike
    FROM offences
),
last_step AS (SELECT max(strike) AS n FROM risk_ladder_steps)
SELECT c.member_id, c.ladder_group, c.offence_no, c.ts, c.group_id, c.first_violation,
       c.weight, c.violations, c.strike,
       coalesce(st.step, 'warning') AS step
FROM climbed c
CROSS JOIN last_step
LEFT JOIN risk_ladder_steps st ON st.strike = least(c.strike, last_step.n);

-- Every violation with its offence, strike and step, and whether staff were
-- seen to act: for a removal step, a 'removed' event of the member in the
-- violation's group at or after the offence (warnings and mutes leave no
-- trace in exports: acted is NULL for them). Violations of rules that do not
-- climb the ladder have no strike.
CREATE VIEW violation_ladder AS
WITH settings AS (
    SELECT coalesce(max(scope), 'member') AS scope, coalesce(max(cooldown_s), 3600) AS cooldown_s FROM risk_settings
),
v AS (
    SELECT v.*, CASE WHEN s.scope = 'group' THEN v.group_id ELSE 0 END AS ladder_group, s.cooldown_s
    FROM violations v CROSS JOIN settings s
),
matched AS (
    -- Each violation belongs to the latest offence of its ladder that began
    -- at or before it.
    SELECT v.*, o.offence_no, o.ts AS offence_ts, o.strike, o.step
    FROM v
    ASOF LEFT JOIN risk_offences o
      ON o.member_id = v.member_id AND o.ladder_group = v.ladder_group AND v.ts >= o.ts
)
SELECT m.violation_id, m.group_id, m.member_id, m.message_id, m.ts, m.rule, m.category,
       m.severity, m.strikes, m.evidence, m.detected_at,
       CASE WHEN m.strikes > 0 THEN m.offence_no END AS offence_no,
       CASE WHEN m.strikes > 0 THEN m.offence_ts END AS offence_ts,
       CASE WHEN m.strikes > 0 THEN m.strike END     AS strike,
       CASE WHEN m.strikes > 0 THEN m.step END       AS step,
       CASE WHEN m.strikes > 0 AND m.step = 'removal' THEN EXISTS (
           SELECT 1 FROM membership_events e
           WHERE e.member_id = m.member_id AND e.group_id = m.group_id
             AND e.kind = 'removed' AND e.ts >= m.offence_ts
       ) END AS acted
FROM matched m;
