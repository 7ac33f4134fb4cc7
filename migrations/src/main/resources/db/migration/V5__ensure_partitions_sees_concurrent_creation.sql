-- ensure_partitions() serialises callers with an advisory lock, but then asked to_regclass() whether a day's
-- partition exists. to_regclass() reads the catalog cache, which is not refreshed by taking an advisory lock,
-- so a caller that waited for another one creating the same day could still see no partition and fail with
-- "relation ... already exists" (seen with two Spark tasks writing the same new day). Ask pg_class with a
-- query instead (each statement takes a new snapshot, after the lock was granted), and treat a partition
-- that turns out to exist as created by someone else.
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

        IF EXISTS (SELECT 1 FROM fraudwatch.scored_transactions_default
                   WHERE event_time >= lower_ts AND event_time < upper_ts) THEN
            EXECUTE format('CREATE TABLE fraudwatch.%I (LIKE fraudwatch.scored_transactions '
                           'INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', part_name);
            EXECUTE format('WITH moved AS (DELETE FROM fraudwatch.scored_transactions_default '
                           'WHERE event_time >= $1 AND event_time < $2 RETURNING *) '
                           'INSERT INTO fraudwatch.%I SELECT * FROM moved', part_name)
                USING lower_ts, upper_ts;
            EXECUTE format('ALTER TABLE fraudwatch.scored_transactions ATTACH PARTITION fraudwatch.%I '
                           'FOR VALUES FROM (%L) TO (%L)', part_name, lower_ts, upper_ts);
        ELSE
            BEGIN
                EXECUTE format('CREATE TABLE fraudwatch.%I PARTITION OF fraudwatch.scored_transactions '
                               'FOR VALUES FROM (%L) TO (%L)', part_name, lower_ts, upper_ts);
            EXCEPTION WHEN duplicate_table THEN
                -- created by a caller whose commit this session's catalog view did not show yet
                CONTINUE;
            END;
        END IF;
        created := created + 1;
    END LOOP;
    RETURN created;
END
$$;
REVOKE ALL ON FUNCTION fraudwatch.ensure_partitions(date, date) FROM PUBLIC;
