-- Retention of the customer sessions (V45): `bin/fraudwatch maintain` deletes finished sessions older than
-- retention.sessions (by session_end, in small batches, as for alerts and labels, V21), logged in as the operator.
-- The job keeps INSERT only: it never deletes what it wrote.
GRANT DELETE ON fraudwatch.sessions TO fraudwatch_operator;
