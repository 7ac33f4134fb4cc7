-- Batch metrics say what the job did with repeated transaction ids and how long it waited for unreachable services
-- (issue 12: data cannot stop the job, outages are ridden out). Constant defaults: no table rewrite, and rows of
-- batches before this migration read as zero.
ALTER TABLE fraudwatch.batch_metrics
    ADD COLUMN duplicates      bigint NOT NULL DEFAULT 0,
    ADD COLUMN outage_retries  bigint NOT NULL DEFAULT 0,
    ADD COLUMN outage_wait_ms  bigint NOT NULL DEFAULT 0,
    ADD CONSTRAINT batch_metrics_outage_check CHECK (duplicates >= 0 AND outage_retries >= 0 AND outage_wait_ms >= 0);

COMMENT ON COLUMN fraudwatch.batch_metrics.records IS
    'Records read from the transactions topic in the batch: scored, dead letters and duplicates.';
COMMENT ON COLUMN fraudwatch.batch_metrics.dead_letters IS
    'Records sent to the dead-letter topic: undecodable, invalid, refused by PostgreSQL, or another transaction under a stored transaction id.';
COMMENT ON COLUMN fraudwatch.batch_metrics.duplicates IS
    'Transactions delivered again at a new offset with the same content as the stored one: stored once, not alerted again.';
COMMENT ON COLUMN fraudwatch.batch_metrics.outage_retries IS
    'Attempts the batch''s work (its tasks and the job''s own lookups) repeated because PostgreSQL or Kafka was unreachable.';
COMMENT ON COLUMN fraudwatch.batch_metrics.outage_wait_ms IS
    'Time the batch''s work spent waiting for an unreachable PostgreSQL or Kafka (summed over its tasks).';
