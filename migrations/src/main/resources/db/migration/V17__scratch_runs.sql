-- The commands that write test data (demo, bench, backtest) refuse a configured database that holds data they did
-- not write, unless told otherwise (--allow-existing-data). This table is how they know: each run notes itself here
-- before it writes, so a sandbox they filled stays theirs to fill again.
CREATE TABLE fraudwatch.scratch_runs (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    command    text        NOT NULL CHECK (command IN ('demo', 'bench', 'backtest')),
    started_at timestamptz NOT NULL DEFAULT now(),
    db_user    text        NOT NULL DEFAULT session_user
);
COMMENT ON TABLE fraudwatch.scratch_runs IS
    'Runs of demo, bench and backtest that wrote test data into this database (they refuse databases with other data).';

-- they write as the job's login (V15's default privileges give it SELECT and INSERT on new tables; say so)
GRANT SELECT, INSERT ON fraudwatch.scratch_runs TO fraudwatch_job;
GRANT SELECT ON fraudwatch.scratch_runs TO fraudwatch_operator;
