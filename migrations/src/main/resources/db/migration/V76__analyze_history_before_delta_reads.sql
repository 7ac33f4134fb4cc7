-- Issue 17 item 4: the delta read's plan depends on the statistics of transaction_history and labels. A table that
-- was never analyzed has none: a fresh database just loaded, a restore, the bench's seeded history; autovacuum first
-- looks a naptime (a minute) after the server starts, and a table that grows by thousands of rows a second keeps it
-- busy. Without statistics the planner takes a third of the rows for "change_xid >= position" and reads the whole
-- table instead of the BRIN ranges that hold new rows: 40-76 ms per read at 460,000 rows on the bench's database
-- (1-6 ms through the index once analyzed), paid in every batch by every executor, whose tasks wait for it. Once the
-- column has a histogram, a position past its last bound is estimated at a few rows and the index is used, however
-- far behind the histogram falls; autovacuum's later analyses only refresh it.
--
-- So the call before each delta read (V73) also analyzes either table while it has no statistics on change_xid.
-- ANALYZE reads a sample (300 x default_statistics_target rows): 6.5-7.8 s at 40 million rows (the bench's 1e7
-- database, on a 2-core machine under load), paid once by the read that finds the table
-- without statistics. It takes the lock the summaries take: when another executor's call or autovacuum holds it, the
-- call gives up the same way (-1) and the next one tries again. An empty table gets no statistics, so it is analyzed
-- at every call while it stays empty, which costs next to nothing.
CREATE OR REPLACE FUNCTION fraudwatch.summarize_history_changes() RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    SET lock_timeout = '20ms'
AS $$
DECLARE
    summarized integer := 0;
    busy       boolean := false;
    t          text;
BEGIN
    FOREACH t IN ARRAY ARRAY['transaction_history', 'labels'] LOOP
        BEGIN
            IF NOT EXISTS (SELECT 1 FROM pg_stats
                           WHERE schemaname = 'fraudwatch' AND tablename = t AND attname = 'change_xid') THEN
                EXECUTE format('ANALYZE fraudwatch.%I', t);
            END IF;
            summarized := summarized
                + brin_summarize_new_values(format('fraudwatch.%I', t || '_change_xid_brin')::regclass);
        EXCEPTION WHEN lock_not_available THEN
            busy := true;
        END;
    END LOOP;
    RETURN CASE WHEN busy THEN -1 ELSE summarized END;
END
$$;
COMMENT ON FUNCTION fraudwatch.summarize_history_changes() IS
    'Analyzes transaction_history and labels while they have no statistics on change_xid, and summarizes their change_xid BRIN ranges filled since the last call (-1 when a table was busy); the job calls it before each delta read.';
