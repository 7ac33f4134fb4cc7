-- Partitions of scored_transactions are made ahead of time, outside the streaming transactions (by
-- `bin/fraudwatch maintain` and by the job's driver, at start and from a timer), and old ones are dropped by
-- `maintain` for retention.
--
-- ensure_partitions() now always creates a day as a table of its own and ATTACHes it: CREATE TABLE ... PARTITION OF
-- takes an ACCESS EXCLUSIVE lock on the parent, which waits for every running read and write of scored_transactions
-- and holds every later one (analysts' queries, the job's inserts) behind it; ATTACH PARTITION takes SHARE UPDATE
-- EXCLUSIVE on the parent, which neither reads nor inserts conflict with. It still takes ACCESS EXCLUSIVE on the
-- DEFAULT partition, which it must check holds no rows of the new day: callers set lock_timeout and try again later
-- rather than queue behind a long read of it.
--
-- Rows already in DEFAULT for the day (PostgreSQL refuses a partition while DEFAULT holds rows of its range) are
-- moved into the new table first. That case takes an ACCESS EXCLUSIVE lock on the parent after all, for the moment
-- of the move: a query that planned with the partitions as they were before the attach, and read with a snapshot
-- taken after it, would find the moved rows in neither place (seen with a count blocked behind the attach). It is
-- the exception (rows whose day had no partition), and the lock also keeps new rows out of DEFAULT between the move
-- and the attach.
CREATE OR REPLACE FUNCTION fraudwatch.ensure_partitions(from_date date, to_date date) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    SET timezone = 'UTC'
AS $$
DECLARE
    part_day  date;
    part_name text;
    lower_ts  timestamptz;
    upper_ts  timestamptz;
    created   integer := 0;
BEGIN
    IF from_date IS NULL OR to_date IS NULL OR to_date < from_date THEN
        RAISE EXCEPTION 'ensure_partitions: invalid day range % .. %', from_date, to_date
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF to_date - from_date > 366 THEN
        RAISE EXCEPTION 'ensure_partitions: % .. % spans more than 366 days', from_date, to_date
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    -- serialise callers: two jobs creating the same day would otherwise collide
    PERFORM pg_advisory_xact_lock(hashtext('fraudwatch.ensure_partitions'));

    FOR part_day IN SELECT d::date FROM generate_series(from_date, to_date, interval '1 day') AS d LOOP
        part_name := 'scored_transactions_p' || to_char(part_day, 'YYYYMMDD');
        CONTINUE WHEN EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                              WHERE n.nspname = 'fraudwatch' AND c.relname = part_name);
        lower_ts := part_day::timestamp AT TIME ZONE 'UTC';
        upper_ts := (part_day + 1)::timestamp AT TIME ZONE 'UTC';

        -- the partition's bound as a constraint: ATTACH then need not scan the table to prove it
        EXECUTE format('CREATE TABLE fraudwatch.%I (LIKE fraudwatch.scored_transactions '
                       'INCLUDING DEFAULTS INCLUDING CONSTRAINTS, '
                       'CONSTRAINT %I CHECK (event_time >= %L AND event_time < %L))',
                       part_name, part_name || '_bound', lower_ts, upper_ts);
        IF EXISTS (SELECT 1 FROM fraudwatch.scored_transactions_default
                   WHERE event_time >= lower_ts AND event_time < upper_ts) THEN
            LOCK TABLE fraudwatch.scored_transactions IN ACCESS EXCLUSIVE MODE;
            EXECUTE format('WITH moved AS (DELETE FROM fraudwatch.scored_transactions_default '
                           'WHERE event_time >= $1 AND event_time < $2 RETURNING *) '
                           'INSERT INTO fraudwatch.%I SELECT * FROM moved', part_name)
                USING lower_ts, upper_ts;
        END IF;
        EXECUTE format('ALTER TABLE fraudwatch.scored_transactions ATTACH PARTITION fraudwatch.%I '
                       'FOR VALUES FROM (%L) TO (%L)', part_name, lower_ts, upper_ts);
        EXECUTE format('ALTER TABLE fraudwatch.%I DROP CONSTRAINT %I', part_name, part_name || '_bound');
        created := created + 1;
    END LOOP;
    RETURN created;
END
$$;
REVOKE ALL ON FUNCTION fraudwatch.ensure_partitions(date, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION fraudwatch.ensure_partitions(date, date) TO fraudwatch_job;

-- Retention: drops the partition of one UTC day, if there is one (true when it dropped it). One day per call, so
-- that `maintain` runs each drop in a short transaction of its own: dropping a partition needs an ACCESS EXCLUSIVE
-- lock on the parent for a moment (DETACH ... CONCURRENTLY is not allowed while a DEFAULT partition exists).
CREATE FUNCTION fraudwatch.drop_partition(part_day date) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    part_name text := 'scored_transactions_p' || to_char(part_day, 'YYYYMMDD');
BEGIN
    IF part_day IS NULL THEN
        RAISE EXCEPTION 'drop_partition: day is null' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('fraudwatch.ensure_partitions'));
    IF NOT EXISTS (SELECT 1 FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                   WHERE i.inhparent = 'fraudwatch.scored_transactions'::regclass AND c.relname = part_name) THEN
        RETURN false;
    END IF;
    EXECUTE format('DROP TABLE fraudwatch.%I', part_name);
    RETURN true;
END
$$;
REVOKE ALL ON FUNCTION fraudwatch.drop_partition(date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION fraudwatch.drop_partition(date) TO fraudwatch_job;

-- The job counts and lists what waits in DEFAULT (a metric, and which days `maintain` must create to move the rows
-- out), and `maintain` deletes its rows older than the retention in small batches. The table was made before V2's
-- default privileges, so it is granted here.
GRANT SELECT, DELETE ON fraudwatch.scored_transactions_default TO fraudwatch_job;
