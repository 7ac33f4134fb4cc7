-- Issue 17 items 3 and 4: the executors' delta read finds the rows written since its last read through the BRIN
-- indexes on change_xid (V70). A BRIN index summarizes a page range only when VACUUM (or a summarize call) runs;
-- the ranges filled since the last (auto)vacuum have no summary, and every bitmap scan of the index reads all of
-- their rows. On a table taking thousands of rows a second that tail is up to a minute of inserts (autovacuum's
-- naptime), read again by every delta read of every executor: measured at 100-540 ms per read on 100,000-780,000
-- rows, while the same read over summarized ranges visits only the ranges holding new rows (7 ms).
--
-- The job calls this once per executor and batch, just before its delta read: it summarizes the ranges added since
-- the last call, the partial last one included (later inserts then keep that one's summary up to date). It takes
-- SHARE UPDATE EXCLUSIVE on the table like VACUUM: when another executor's call or a vacuum holds it, the call gives
-- up at once (lock_timeout) instead of waiting, and returns -1; the read is correct either way, only slower.
-- SECURITY DEFINER because summarizing needs the table owner's rights, which the job does not have.
CREATE FUNCTION fraudwatch.summarize_history_changes() RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    SET lock_timeout = '20ms'
AS $$
DECLARE
    summarized integer := 0;
    busy       boolean := false;
BEGIN
    BEGIN
        summarized := summarized + brin_summarize_new_values('fraudwatch.transaction_history_change_xid_brin'::regclass);
    EXCEPTION WHEN lock_not_available THEN
        busy := true;
    END;
    BEGIN
        summarized := summarized + brin_summarize_new_values('fraudwatch.labels_change_xid_brin'::regclass);
    EXCEPTION WHEN lock_not_available THEN
        busy := true;
    END;
    RETURN CASE WHEN busy THEN -1 ELSE summarized END;
END
$$;
REVOKE ALL ON FUNCTION fraudwatch.summarize_history_changes() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION fraudwatch.summarize_history_changes() TO fraudwatch_job;
COMMENT ON FUNCTION fraudwatch.summarize_history_changes() IS
    'Summarizes the change_xid BRIN ranges of transaction_history and labels filled since the last call (-1 when the table was busy); the job calls it before each delta read.';
