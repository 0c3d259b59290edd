-- Merges the staged orders of a load into the canonical tables; the loader
-- runs it only when the files had such rows. Inserts skip what is already there, so
-- loading the same rows twice adds nothing.

-- A later export of the same order (e.g. refunded) updates its status.
INSERT INTO orders
SELECT s.order_id, s.customer_key, s.ts, s.amount::DECIMAL(18, 2), s.currency, s.product, s.status, s.file_id, s.line
FROM (SELECT DISTINCT ON (order_id) * FROM stage_orders ORDER BY order_id, file_id DESC, line DESC) s
ON CONFLICT (order_id) DO UPDATE SET status = excluded.status;
