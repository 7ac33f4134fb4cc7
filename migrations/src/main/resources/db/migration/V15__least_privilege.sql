-- Least privilege: the job may add rows to the append-only tables and change only what its work changes; the
-- operator (models CLI, maintenance) gets a group role of its own.
--
-- What the job runs, and so what it keeps (docs/security.md has the table):
--   scored_transactions, alerts, customer_history   INSERT ... ON CONFLICT DO NOTHING        -> INSERT
--   model_versions, model_slot_events               INSERT (online versions, auto-promotion) -> INSERT
--   terminal_history                                INSERT; UPDATE of the label columns      -> INSERT, UPDATE (fraud, label_known_at)
--   labels                                          INSERT ... ON CONFLICT DO UPDATE         -> INSERT, UPDATE
--   stream_offsets                                  upsert, SELECT ... FOR UPDATE            -> INSERT, UPDATE
--   batch_metrics                                   upsert (a re-run batch replaces its row) -> INSERT, UPDATE
--   model_slots                                     slot moves of the auto-promotion         -> INSERT, UPDATE (version_id, changed_at)
--   models                                          INSERT; SELECT ... FOR UPDATE locks a model's row, which
--                                                   PostgreSQL allows only with UPDATE on some column
--                                                                                            -> INSERT, UPDATE (created_at)
--   ensure_partitions                               new days' partitions                      -> EXECUTE
-- Nothing else: no DELETE or TRUNCATE anywhere, no drop_partitions_before or purge_history (retention is the
-- operator's), and SELECT as before.

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'fraudwatch_operator') THEN
        CREATE ROLE fraudwatch_operator NOLOGIN;
    END IF;
END
$$;

-- ---------------------------------------------------------------------------------------------------------
-- The job
-- ---------------------------------------------------------------------------------------------------------
-- Tables made from now on give the job SELECT and INSERT only; a migration whose table the job must update
-- grants that by name. This also covers the daily partitions that ensure_partitions creates (as this user):
-- V2's default privileges let the job UPDATE and DELETE them directly, bypassing the parent's privileges.
ALTER DEFAULT PRIVILEGES IN SCHEMA fraudwatch REVOKE UPDATE, DELETE, TRUNCATE ON TABLES FROM fraudwatch_job;

REVOKE UPDATE, DELETE, TRUNCATE ON
    fraudwatch.scored_transactions,
    fraudwatch.alerts,
    fraudwatch.customer_history,
    fraudwatch.terminal_history,
    fraudwatch.labels,
    fraudwatch.stream_offsets,
    fraudwatch.batch_metrics,
    fraudwatch.models,
    fraudwatch.model_versions,
    fraudwatch.model_slots,
    fraudwatch.model_slot_events
    FROM fraudwatch_job;

GRANT UPDATE (fraud, label_known_at) ON fraudwatch.terminal_history TO fraudwatch_job;
GRANT UPDATE ON fraudwatch.labels, fraudwatch.stream_offsets, fraudwatch.batch_metrics TO fraudwatch_job;
GRANT UPDATE (version_id, changed_at) ON fraudwatch.model_slots TO fraudwatch_job;
GRANT UPDATE (created_at) ON fraudwatch.models TO fraudwatch_job;

-- partitions that exist now: the job reaches them through scored_transactions only
DO $$
DECLARE
    part regclass;
BEGIN
    FOR part IN SELECT inhrelid::regclass FROM pg_catalog.pg_inherits
                WHERE inhparent = 'fraudwatch.scored_transactions'::regclass LOOP
        EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON %s FROM fraudwatch_job', part);
    END LOOP;
END
$$;

REVOKE EXECUTE ON FUNCTION
    fraudwatch.drop_partitions_before(date),
    fraudwatch.purge_history(timestamptz)
    FROM fraudwatch_job;

-- ---------------------------------------------------------------------------------------------------------
-- The operator: `bin/fraudwatch models ...` (store, promote, roll back, train from the database) and
-- maintenance (partitions ahead, retention). Reads every product table; writes only the model store and,
-- through the retention functions, removes old partitions and history.
-- ---------------------------------------------------------------------------------------------------------
GRANT USAGE ON SCHEMA fraudwatch TO fraudwatch_operator;
GRANT SELECT ON
    fraudwatch.scored_transactions,
    fraudwatch.alerts,
    fraudwatch.labels,
    fraudwatch.customer_history,
    fraudwatch.terminal_history,
    fraudwatch.stream_offsets,
    fraudwatch.batch_metrics,
    fraudwatch.models,
    fraudwatch.model_versions,
    fraudwatch.model_slots,
    fraudwatch.model_slot_events,
    fraudwatch.daily_alerts,
    fraudwatch.daily_alert_precision
    TO fraudwatch_operator;
GRANT INSERT ON fraudwatch.models, fraudwatch.model_versions, fraudwatch.model_slots, fraudwatch.model_slot_events
    TO fraudwatch_operator;
GRANT UPDATE (version_id, changed_at) ON fraudwatch.model_slots TO fraudwatch_operator;
GRANT UPDATE (created_at) ON fraudwatch.models TO fraudwatch_operator;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA fraudwatch TO fraudwatch_operator;
GRANT EXECUTE ON FUNCTION
    fraudwatch.ensure_partitions(date, date),
    fraudwatch.drop_partitions_before(date),
    fraudwatch.purge_history(timestamptz)
    TO fraudwatch_operator;
-- purge_history runs with its caller's rights
GRANT DELETE ON fraudwatch.customer_history, fraudwatch.terminal_history TO fraudwatch_operator;

-- models.created_at is written once by its INSERT; the grant above exists for the row lock only
CREATE TRIGGER models_immutable
    BEFORE UPDATE OR DELETE ON fraudwatch.models
    FOR EACH ROW EXECUTE FUNCTION fraudwatch.refuse_change_of_immutable_row();
