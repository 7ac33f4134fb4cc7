-- Maintenance is the operator's work, not the job's (least privilege, V15): `bin/fraudwatch maintain` logs in as the
-- operator. The job keeps ensure_partitions (its driver makes days ahead; the function runs with its owner's
-- rights, so moving rows out of DEFAULT needs no DELETE of the job's) and reads DEFAULT to count what waits there.
REVOKE DELETE ON fraudwatch.scored_transactions_default FROM fraudwatch_job;
REVOKE EXECUTE ON FUNCTION fraudwatch.drop_partition(date) FROM fraudwatch_job;

GRANT EXECUTE ON FUNCTION fraudwatch.ensure_partitions(date, date) TO fraudwatch_operator;
GRANT EXECUTE ON FUNCTION fraudwatch.drop_partition(date) TO fraudwatch_operator;
-- retention deletes old rows in small batches from the tables that are not dropped by day
GRANT SELECT, DELETE ON fraudwatch.scored_transactions_default TO fraudwatch_operator;
GRANT SELECT, DELETE ON fraudwatch.labels, fraudwatch.alerts, fraudwatch.batch_metrics TO fraudwatch_operator;
