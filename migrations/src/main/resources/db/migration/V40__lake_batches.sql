-- The Parquet lake of the scored stream (issue 16, docs/lake.md). A Kafka partition's share of a batch is written to
-- the lake's staging area before its PostgreSQL transaction commits; this row, inserted in that transaction, is what
-- makes the staged files committed. The job moves them into the lake after the commit and then deletes the row, so a
-- row that is still here names files that a killed job had committed but not yet published: the job's next start
-- (or the partition's next batch) publishes them. Staged files that no row names were never committed: they are
-- deleted.
CREATE TABLE fraudwatch.lake_batches (
    job_name        text        NOT NULL,
    topic           text        NOT NULL,
    kafka_partition integer     NOT NULL CHECK (kafka_partition >= 0),
    attempt         text        NOT NULL CHECK (attempt ~ '^[0-9a-f-]{36}$'),
    from_offset     bigint      NOT NULL CHECK (from_offset >= 0),
    until_offset    bigint      NOT NULL,
    event_dates     date[]      NOT NULL CHECK (cardinality(event_dates) > 0),
    rows            bigint      NOT NULL CHECK (rows > 0),
    committed_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (job_name, topic, kafka_partition, attempt),
    CHECK (until_offset > from_offset)
);
COMMENT ON TABLE fraudwatch.lake_batches IS
    'Lake files committed with their rows but not yet moved from the lake''s staging area into it (normally empty).';

-- the job inserts (default privileges) and deletes once published; operators look
GRANT DELETE ON fraudwatch.lake_batches TO fraudwatch_job;
GRANT SELECT ON fraudwatch.lake_batches TO fraudwatch_operator;
