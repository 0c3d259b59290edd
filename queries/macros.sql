-- Helpers the metric files share. They are not data: every open re-creates
-- them (CREATE OR REPLACE), over the database's tables or over the views of
-- a Parquet lake, so a newer ckpi brings its helpers to an older file.

-- Staff and bots are not members for KPIs; a staff row without a group
-- applies to every group. The view renames staff's columns so that a macro
-- argument such as an unqualified member_id binds to the caller's table,
-- not to staff's own column.
CREATE OR REPLACE VIEW staff_scope AS
    SELECT member_id AS staff_member, group_id AS staff_group FROM staff;

CREATE OR REPLACE MACRO is_staff(m, g) AS
    EXISTS (SELECT 1 FROM staff_scope WHERE staff_member = m AND (staff_group IS NULL OR staff_group = g));

-- Who is in each group at moment t (exclusive): members whose last
-- membership event before t is a join. Someone who left and rejoined is in.
CREATE OR REPLACE MACRO members_at(t) AS TABLE
    SELECT group_id, member_id
    FROM (
        SELECT group_id, member_id, arg_max(kind, ts) AS last_kind
        FROM membership_events
        WHERE ts < t
        GROUP BY group_id, member_id
    )
    WHERE last_kind = 'join' AND NOT is_staff(member_id, group_id);

-- The groups a metric covers: all, or those whose id, external id or name
-- equals the filter.
CREATE OR REPLACE MACRO selected_groups(filter) AS TABLE
    SELECT group_id, name AS group_name
    FROM groups
    WHERE filter IS NULL OR name = filter OR external_id = filter OR group_id::VARCHAR = filter;
