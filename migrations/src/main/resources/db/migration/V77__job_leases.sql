-- One running scorer per job.name (docs/faults.md, "One scorer per job name"). A scorer takes its job's row before
-- it reads a stored offset and renews it while it runs; a second scorer with the same name finds it renewed and is
-- refused at its start. A holder that dies stops renewing: its row expires after the lease's time to live (at once
-- when a scorer in the same process space, the machine's boot and pid namespace, sees its process gone). Times are
-- the database's, so the hosts' clocks do not matter.
CREATE TABLE fraudwatch.job_leases (
    job_name      text        PRIMARY KEY,
    holder        text        NOT NULL CHECK (holder ~ '^[0-9a-f-]{36}$'),
    host          text        NOT NULL,
    process_space text        NOT NULL,
    pid           bigint      NOT NULL,
    acquired_at   timestamptz NOT NULL DEFAULT now(),
    renewed_at    timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE fraudwatch.job_leases IS
    'The scorer that runs each job.name: it renews its row while it runs and deletes it when it stops.';

-- the job takes, renews, takes over and lets go; operators look (and may delete a row by hand)
GRANT UPDATE, DELETE ON fraudwatch.job_leases TO fraudwatch_job;
GRANT SELECT, DELETE ON fraudwatch.job_leases TO fraudwatch_operator;
