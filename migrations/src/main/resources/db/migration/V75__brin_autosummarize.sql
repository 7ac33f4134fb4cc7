-- The feature history's delta read finds the rows written since its last read through
-- transaction_history_change_xid_brin (labels' through labels_change_xid_brin). A BRIN index summarizes a block range
-- only when VACUUM visits the table, and autovacuum visits an insert-only table after a fifth of its rows were
-- inserted (autovacuum_vacuum_insert_scale_factor 0.2): until then every block range written since the last visit is
-- unsummarized, matches any condition, and each delta read rechecks all of its rows. At 40 million rows that was
-- 6.7 million rows and 4.9 s per delta read returning nothing (docs/benchmarks.md, sweep2). autosummarize has
-- autovacuum summarize a range as soon as inserts move on to the next one, so the unsummarized tail stays within
-- what was written since autovacuum's last round (autovacuum_naptime).
ALTER INDEX fraudwatch.transaction_history_change_xid_brin SET (autosummarize = on);
ALTER INDEX fraudwatch.transaction_history_event_time_brin SET (autosummarize = on);
ALTER INDEX fraudwatch.labels_change_xid_brin SET (autosummarize = on);

-- and the ranges written since the last VACUUM, once
SELECT brin_summarize_new_values('fraudwatch.transaction_history_change_xid_brin'::regclass);
SELECT brin_summarize_new_values('fraudwatch.transaction_history_event_time_brin'::regclass);
SELECT brin_summarize_new_values('fraudwatch.labels_change_xid_brin'::regclass);
