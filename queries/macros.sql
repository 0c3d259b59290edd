-- Helpers the metric files share. They are not data: every open re-creates
-- them (CREATE OR REPLACE), over the database's tables or over the views of
-- a Parquet lake, so a newer ckpi brings its helpers to an older file.

-- Staff and bots are not members for KPIs; a staff row without a group
-- applies to every group. The view renames staff's columns so that a macro
-- argument such as an unqualified member_id binds to the caller's table,
-- not to staff's own column.
-- Staff as the KPIs see them: configured and export-stated roles, less
-- those a configured "member" row overrides (in its group, or everywhere
-- when it names none).
CREATE OR REPLACE VIEW staff_effective AS
    SELECT DISTINCT s.member_id, s.group_id, s.role
    FROM staff s
    WHERE s.role <> 'member'
      AND NOT (s.origin = 'export' AND EXISTS (
          SELECT 1 FROM staff o
          WHERE o.role = 'member' AND o.member_id = s.member_id
            AND (o.group_id IS NULL OR o.group_id IS NOT DISTINCT FROM s.group_id)));

CREATE OR REPLACE VIEW staff_scope AS
    SELECT member_id AS staff_member, group_id AS staff_group FROM staff_effective;

CREATE OR REPLACE MACRO is_staff(m, g) AS
    EXISTS (SELECT 1 FROM staff_scope WHERE staff_member = m AND (staff_group IS NULL OR staff_group = g));

-- Who is in each group at moment t: the membership stretches (see
-- schema/0004_memberships.sql) begun before t, or before the group's data
-- began, and not ended before t. An event at t itself counts from the next
-- instant, so members at e = members at s + joins - leaves of [s, e).
CREATE OR REPLACE MACRO members_at(t) AS TABLE
    SELECT DISTINCT group_id, member_id
    FROM memberships
    WHERE (start_ts IS NULL OR start_ts < t) AND (end_ts IS NULL OR end_ts >= t)
      AND NOT is_staff(member_id, group_id);

-- Who was a member at some moment of [s, e): the population every rate of
-- a period is taken over, so its numerator (those of them who spoke,
-- bought...) can never exceed it.
CREATE OR REPLACE MACRO members_during(s, e) AS TABLE
    SELECT DISTINCT group_id, member_id
    FROM memberships
    WHERE (start_ts IS NULL OR start_ts < e) AND (end_ts IS NULL OR end_ts >= s)
      AND NOT is_staff(member_id, group_id);

-- The joins and leaves of [s, e): membership stretches that start (joins,
-- with their source; a rejoin seen only from a message is 'inferred') or
-- end (leave or removed) in it. Members since before the data began are
-- no join.
CREATE OR REPLACE MACRO membership_moves(s, e) AS TABLE
    SELECT group_id, member_id, 'join' AS move, coalesce(source, 'unknown') AS source, inviter_id, start_ts AS ts
    FROM memberships
    WHERE start_ts >= s AND start_ts < e AND NOT is_staff(member_id, group_id)
    UNION ALL
    SELECT group_id, member_id, end_kind AS move, NULL AS source, NULL AS inviter_id, end_ts AS ts
    FROM memberships
    WHERE end_ts >= s AND end_ts < e AND NOT is_staff(member_id, group_id);

-- Every member of [s, e) with the messages they sent in it (system
-- notices and recalls left out; 0 for the silent).
CREATE OR REPLACE MACRO member_messages(s, e) AS TABLE
    SELECT p.group_id, p.member_id, coalesce(c.n, 0) AS messages
    FROM members_during(s, e) p
    LEFT JOIN (
        SELECT group_id, member_id, count(*) AS n
        FROM messages
        WHERE ts >= s AND ts < e AND member_id IS NOT NULL AND kind NOT IN ('system', 'recall')
        GROUP BY group_id, member_id
    ) c USING (group_id, member_id);

-- Orders that earned money: refunded, cancelled, closed and unpaid ones
-- never count (rosters and shops name these statuses; the orders parser
-- maps their words to these).
CREATE OR REPLACE VIEW paid_orders AS
    SELECT * FROM orders
    WHERE status NOT IN ('refunded', 'cancelled', 'closed', 'unpaid', 'pending');

-- Whether any order was loaded: without, conversion and revenue are
-- unknown (NULL), not zero.
CREATE OR REPLACE VIEW orders_loaded AS
    SELECT EXISTS (SELECT 1 FROM orders) AS orders_known;

-- The groups a metric covers: all, or those whose id, external id or name
-- equals the filter.
CREATE OR REPLACE MACRO selected_groups(filter) AS TABLE
    SELECT group_id, name AS group_name
    FROM groups
    WHERE filter IS NULL OR name = filter OR external_id = filter OR group_id::VARCHAR = filter;

-- Members' questions in [period_start, period_end) and the minutes to the
-- first staff answer (not a bot's) within 24 hours, NULL when none. A
-- question is a member's message with "?"/"？" or an @ of a staff member of
-- the group (by display name, or its part before "|"). Shared by the
-- responsiveness and health metrics.
CREATE OR REPLACE MACRO question_responses(period_start, period_end) AS TABLE
-- The names members @ staff by: the display name and its first part.
WITH staff_names AS (
    SELECT DISTINCT r.group_id AS staff_group, n.name
    FROM staff_effective r
    JOIN members mb USING (member_id)
    CROSS JOIN LATERAL (
        SELECT mb.display_name AS name
        UNION ALL
        SELECT trim(regexp_extract(mb.display_name, '^[^|｜]+'))
    ) n
    WHERE r.role <> 'bot' AND n.name IS NOT NULL AND n.name <> ''
),
-- Messages of the period and the day after it (for late answers) that can
-- matter: possible questions (a "?" or an @) and messages by people listed
-- as staff. The text is tested here, in the scan, and not carried further.
msgs AS (
    SELECT *
    FROM (
        SELECT m.group_id, m.member_id, m.message_id, m.ts, m.mentions,
               contains(m.text, '?') OR contains(m.text, '？')                  AS question_mark,
               m.member_id IN (SELECT member_id FROM staff_effective WHERE role <> 'bot') AS listed_staff
        FROM messages m
        WHERE m.ts >= period_start AND m.ts < period_end + INTERVAL 24 HOUR
          AND m.member_id IS NOT NULL
          AND m.kind NOT IN ('system', 'recall')
    )
    WHERE listed_staff OR (ts < period_end AND (question_mark OR len(mentions) > 0))
),
-- Senders marked as staff of the group once each, not once per message.
senders AS (
    SELECT s.group_id, s.member_id, is_staff(s.member_id, s.group_id) AS staff
    FROM (SELECT DISTINCT group_id, member_id FROM msgs) s
),
member_msgs AS (
    SELECT m.*
    FROM msgs m
    JOIN senders s ON s.group_id = m.group_id AND s.member_id = m.member_id
    WHERE NOT s.staff AND m.ts < period_end
),
-- Members' messages that @ a staff member of their group.
mentions_staff AS (
    SELECT DISTINCT q.group_id, q.message_id
    FROM (
        SELECT group_id, message_id, unnest(mentions) AS name
        FROM member_msgs
        WHERE len(mentions) > 0
    ) q
    JOIN staff_names sn ON sn.name = q.name AND (sn.staff_group IS NULL OR sn.staff_group = q.group_id)
),
questions AS (
    SELECT m.group_id, m.ts
    FROM member_msgs m
    LEFT JOIN mentions_staff ms ON ms.group_id = m.group_id AND ms.message_id = m.message_id
    WHERE m.question_mark OR ms.message_id IS NOT NULL
),
-- Staff answers: listed_staff leaves bots out, senders the staff of other groups.
answers AS (
    SELECT m.group_id, m.ts
    FROM msgs m
    JOIN senders s ON s.group_id = m.group_id AND s.member_id = m.member_id
    WHERE m.listed_staff AND s.staff
),
-- The first staff message at or after each question, per group: an ASOF
-- join finds it by sorting both sides once, not by a lookup per question.
timed AS (
    SELECT q.group_id, q.ts,
           CASE WHEN a.ts <= q.ts + INTERVAL 24 HOUR
                THEN date_diff('second', q.ts, a.ts) / 60.0 END AS minutes
    FROM questions q
    ASOF LEFT JOIN answers a ON a.group_id = q.group_id AND a.ts >= q.ts
)
SELECT group_id, ts, minutes FROM timed;

-- What the data can support for each group, so a report can qualify the
-- KPIs that need more than chat:
--   membership_basis: roster (a roster file listed its members), snapshot
--     (a member list was imported), events (the chat's join and leave
--     notices), activity (no list, no notices: members are inferred from
--     who spoke);
--   staff_known: staff or admins are known for it (configured or stated
--     by an export), so responsiveness can be measured;
--   orders_known: orders were loaded and, if the group has members, at
--     least one of them carries a customer key (a phone, a union id) that
--     orders can be matched by: without, its conversion and repurchase are
--     unknown, not zero;
--   messages_known: the group's messages were loaded (a chat export or a
--     WeCom archive). A group known from a member list alone (a roster, a
--     snapshot: a WeCom group whose messages are not archived is known from
--     its details and statistics only) with no message has none loaded; a
--     group known from its chat's notices, or from nothing else, had a chat
--     export loaded, empty or not.
CREATE OR REPLACE VIEW group_basis AS
SELECT group_id, membership_basis, staff_known, orders_known,
       has_messages OR membership_basis IN ('events', 'activity') AS messages_known,
       -- an official account's daily followers: the funnel's first step
       EXISTS (SELECT 1 FROM account_follows) AS followers_known
FROM (
    SELECT g.group_id,
           CASE WHEN EXISTS (SELECT 1 FROM membership_events e JOIN ingest_log l USING (file_id)
                             WHERE e.group_id = g.group_id AND l.format = 'members-csv') THEN 'roster'
                WHEN EXISTS (SELECT 1 FROM presences p WHERE p.group_id = g.group_id) THEN 'snapshot'
                WHEN EXISTS (SELECT 1 FROM membership_events e WHERE e.group_id = g.group_id) THEN 'events'
                ELSE 'activity' END AS membership_basis,
           EXISTS (SELECT 1 FROM staff_effective s
                   WHERE (s.group_id IS NULL OR s.group_id = g.group_id) AND s.role <> 'bot') AS staff_known,
           (SELECT orders_known FROM orders_loaded)
             -- a group with no member at all has, truly, no buyer
             AND (NOT EXISTS (SELECT 1 FROM memberships ms WHERE ms.group_id = g.group_id)
                  OR EXISTS (SELECT 1 FROM memberships ms JOIN members mb USING (member_id)
                             WHERE ms.group_id = g.group_id AND mb.customer_key IS NOT NULL)) AS orders_known,
           g.group_id IN (SELECT DISTINCT group_id FROM messages) AS has_messages
    FROM groups g
);
