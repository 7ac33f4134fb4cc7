-- The Parquet lake of the scored stream (issue 16, docs/lake.md). A Kafka partition's share of a batch is written to
-- the lake's staging area before its PostgreSQL transaction commits; this row, inserted in that transaction, is what
-- makes the staged files committed. The job renames them into the lake right after the commit, and the partition's
-- next batch (or the job's next start) deletes the row in its own transaction, after renaming whatever files of it
-- are still staged: those of a job killed between the commit and the renames. Staged files that no row names were
-- never committed: they are deleted.
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
    'Lake attempts committed with their rows; at most one per Kafka partition, deleted with the partition''s next batch once its files are in the lake.';

-- the job inserts (default privileges) and deletes; operators look
GRANT DELETE ON fraudwatch.lake_batches TO fraudwatch_job;
GRANT SELECT ON fraudwatch.lake_batches TO fraudwatch_operator;
