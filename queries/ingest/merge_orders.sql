-- Merges the orders of one staged file into the canonical tables (its
-- messages were streamed in by insert_messages.sql); the loader runs it
-- only when the file had such rows. Inserts skip what is already there, so
-- loading the same rows twice adds nothing.

-- A later export of the same order (e.g. refunded) updates its status.
INSERT INTO orders
SELECT s.order_id, s.customer_key, s.ts, s.amount::DECIMAL(18, 2), s.currency, s.product, s.status, f.file_id, s.line
FROM (SELECT DISTINCT ON (order_id) * FROM stage_orders ORDER BY order_id, line DESC) s
CROSS JOIN stage_file f
ON CONFLICT (order_id) DO UPDATE SET status = excluded.status;
