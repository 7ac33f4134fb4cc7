-- Group roles and analyst views.
--
-- fraudwatch_job      what the scoring job's login users are members of: reads and writes its tables.
-- fraudwatch_analyst  what analysts' login users are members of: reads the analyst-facing tables and views,
--                     writes nothing, creates nothing.
-- Both are NOLOGIN: people and services log in as their own users (Migrations.grantLogin makes them).
-- Roles are cluster-wide while this migration runs per database: create them only when missing, so a second
-- database on the same server migrates too. Needs a migration user with CREATEROLE (or a superuser).

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'fraudwatch_job') THEN
        CREATE ROLE fraudwatch_job NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'fraudwatch_analyst') THEN
        CREATE ROLE fraudwatch_analyst NOLOGIN;
    END IF;
END
$$;

-- ---------------------------------------------------------------------------------------------------------
-- Database-wide fences. Since PostgreSQL 15 PUBLIC has no CREATE on schema public; say so for older
-- servers too. Temporary tables are writes as well: only the job may make them (staging for COPY).
-- (Both statements only warn when the migration user does not own the schema / database.)
-- ---------------------------------------------------------------------------------------------------------
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
DO $$
BEGIN
    EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
    EXECUTE format('GRANT TEMPORARY ON DATABASE %I TO fraudwatch_job', current_database());
END
$$;

-- ---------------------------------------------------------------------------------------------------------
-- The job
-- ---------------------------------------------------------------------------------------------------------
GRANT USAGE ON SCHEMA fraudwatch TO fraudwatch_job;
-- named, not ALL TABLES: the job must not touch flyway_schema_history
GRANT SELECT, INSERT, UPDATE, DELETE ON
    fraudwatch.scored_transactions,
    fraudwatch.alerts,
    fraudwatch.labels,
    fraudwatch.customer_history,
    fraudwatch.terminal_history,
    fraudwatch.stream_offsets,
    fraudwatch.batch_metrics
    TO fraudwatch_job;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA fraudwatch TO fraudwatch_job;
GRANT EXECUTE ON FUNCTION
    fraudwatch.ensure_partitions(date, date),
    fraudwatch.drop_partitions_before(date),
    fraudwatch.purge_history(timestamptz)
    TO fraudwatch_job;
-- Tables and sequences that later migrations create (as this same migration user) are the job's too; a
-- later migration that wants a table kept from the job revokes explicitly.
ALTER DEFAULT PRIVILEGES IN SCHEMA fraudwatch GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO fraudwatch_job;
ALTER DEFAULT PRIVILEGES IN SCHEMA fraudwatch GRANT USAGE, SELECT ON SEQUENCES TO fraudwatch_job;

-- ---------------------------------------------------------------------------------------------------------
-- Analyst views. Days are UTC days of the transaction's event_time.
-- ---------------------------------------------------------------------------------------------------------
CREATE VIEW fraudwatch.daily_alerts AS
SELECT (a.event_time AT TIME ZONE 'UTC')::date AS day,
       count(*)                                AS alerts,
       count(DISTINCT a.customer_id)           AS alerted_customers,
       avg(a.score)                            AS mean_score
FROM fraudwatch.alerts a
GROUP BY 1;

COMMENT ON VIEW fraudwatch.daily_alerts IS 'Alerts per UTC day of the transactions: how many, how many customers, mean score.';
COMMENT ON COLUMN fraudwatch.daily_alerts.day IS 'UTC day of the alerted transactions.';
COMMENT ON COLUMN fraudwatch.daily_alerts.alerts IS 'Alerts raised on transactions of that day.';
COMMENT ON COLUMN fraudwatch.daily_alerts.alerted_customers IS 'Distinct customers with at least one alert that day.';
COMMENT ON COLUMN fraudwatch.daily_alerts.mean_score IS 'Mean fraud score of the alerts.';

CREATE VIEW fraudwatch.daily_alert_precision AS
SELECT (a.event_time AT TIME ZONE 'UTC')::date                      AS day,
       count(*)                                                     AS alerts,
       count(l.transaction_id)                                      AS labelled,
       count(*) FILTER (WHERE l.fraud)                              AS confirmed_frauds,
       (count(*) FILTER (WHERE l.fraud))::double precision
           / NULLIF(count(l.transaction_id), 0)                     AS precision
FROM fraudwatch.alerts a
LEFT JOIN fraudwatch.labels l ON l.transaction_id = a.transaction_id
GROUP BY 1;

COMMENT ON VIEW fraudwatch.daily_alert_precision IS 'Alert precision per UTC day: of the alerts whose label is known, the share that were fraud.';
COMMENT ON COLUMN fraudwatch.daily_alert_precision.day IS 'UTC day of the alerted transactions.';
COMMENT ON COLUMN fraudwatch.daily_alert_precision.alerts IS 'Alerts raised on transactions of that day.';
COMMENT ON COLUMN fraudwatch.daily_alert_precision.labelled IS 'Of those, alerts whose label is known.';
COMMENT ON COLUMN fraudwatch.daily_alert_precision.confirmed_frauds IS 'Of those, alerts labelled fraud.';
COMMENT ON COLUMN fraudwatch.daily_alert_precision.precision IS 'confirmed_frauds / labelled; null while no alert of the day is labelled.';

-- ---------------------------------------------------------------------------------------------------------
-- The analyst: SELECT on the analyst-facing tables and views, nothing else (no CREATE on fraudwatch was
-- ever granted). Read-only transactions by default as a second fence; the setting only takes effect for the
-- login role itself, so Migrations.grantLogin sets it on each analyst login too.
-- ---------------------------------------------------------------------------------------------------------
GRANT USAGE ON SCHEMA fraudwatch TO fraudwatch_analyst;
GRANT SELECT ON
    fraudwatch.scored_transactions,
    fraudwatch.alerts,
    fraudwatch.labels,
    fraudwatch.batch_metrics,
    fraudwatch.daily_alerts,
    fraudwatch.daily_alert_precision
    TO fraudwatch_analyst;
ALTER ROLE fraudwatch_analyst SET default_transaction_read_only = on;
