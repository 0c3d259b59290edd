-- Report query (not a KPI): what the weekly report shows about each group
-- beside its numbers, and what its data can support (group_basis: how its
-- membership is known, whether staff, orders and its messages are, and
-- whether an official account's followers are). No parameters. Columns:
-- group_id, platform, external_id, name, membership_basis, staff_known,
-- orders_known, messages_known, followers_known.
SELECT g.group_id, g.platform, g.external_id, g.name,
       b.membership_basis, b.staff_known, b.orders_known, b.messages_known, b.followers_known
FROM groups g
LEFT JOIN group_basis b ON b.group_id = g.group_id
ORDER BY g.group_id;
