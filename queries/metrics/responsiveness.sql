-- name: responsiveness
-- title: Responsiveness to member questions
-- unit: minutes
-- grain: week
-- direction: down
-- value: median_minutes_to_response
-- params: start, end, group
-- columns: group_id, group_name, questions, answered, unanswered, answered_share, median_minutes_to_response
-- description: A question is a member's message in the period whose text
--   contains "?" or "？", or that mentions a staff member of the group (by
--   their current display name, or its first part before "|" as in
--   "Name | Company | City"). Its response is the first message by a staff
--   member of that group (owner, admin or customer service; bots do not
--   answer) at or after the question and at most 24 hours later, whether or
--   not it is a reply to that question. median_minutes_to_response is over
--   answered questions; answered_share = answered / questions; unanswered
--   questions got no staff message within 24 hours (questions near the
--   period's end need the next day loaded). System notices and recalls are
--   neither questions nor answers. The all-groups row pools all questions.
WITH sel AS (
    -- the cast gives $group a type, so the driver binds $start and $end as
    -- TIMESTAMP (see docs/metrics.md, "Parameters")
    SELECT * FROM selected_groups($group::VARCHAR)
),
-- Each member question of the period with the minutes to the first staff
-- answer within 24 hours (NULL: unanswered); see queries/macros.sql.
timed AS (
    SELECT group_id, minutes FROM question_responses($start, $end)
),
per_question AS (
    SELECT sel.group_id, sel.group_name, t.minutes, t.group_id IS NOT NULL AS asked
    FROM sel
    LEFT JOIN timed t USING (group_id)
)
SELECT group_id,
       group_name,
       count(*) FILTER (WHERE asked)::BIGINT                                  AS questions,
       count(minutes)::BIGINT                                                 AS answered,
       (count(*) FILTER (WHERE asked) - count(minutes))::BIGINT               AS unanswered,
       count(minutes) / nullif(count(*) FILTER (WHERE asked), 0)              AS answered_share,
       median(minutes)                                                        AS median_minutes_to_response
FROM per_question
GROUP BY GROUPING SETS ((group_id, group_name), ())
ORDER BY group_id IS NOT NULL, group_name, group_id;
