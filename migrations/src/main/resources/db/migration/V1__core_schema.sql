-- Fraudwatch core schema. Everything lives in schema fraudwatch (Flyway creates it and keeps its history there).
--
-- Conventions:
--  * Identifiers from the stream (transaction, customer, terminal) are text: they are opaque keys of the
--    card network, not numbers we compute with.
--  * Money is numeric(14,2): amounts must add up exactly in analysts' sums and reconcile with the card
--    system; the job converts to double only to compute features. All amounts are in one currency.
--  * Times are timestamptz. "Day" always means a UTC day.
--  * Scores are probabilities of fraud in [0, 1]; model versions are model-store version ids (bigint).

-- ---------------------------------------------------------------------------------------------------------
-- scored_transactions: every scored transaction with the feature vector it was scored on.
--
-- The largest table by far (every transaction, ~20 doubles each) and append-only, kept for a retention
-- period: partitioned by UTC day of event_time, so that retention drops whole partitions (no DELETE, no
-- bloat, no vacuum debt) and day-bounded queries touch only their days.
-- The primary key must contain the partition key: (transaction_id, event_time). Idempotency still holds
-- because a transaction's event_time comes from the transaction itself and never changes, so a replayed
-- record conflicts with its first copy: write with ON CONFLICT (transaction_id, event_time) DO NOTHING.
-- Partitions are made ahead of time by ensure_partitions(); a DEFAULT partition takes anything else so an
-- insert never fails, and ensure_partitions() moves such rows into their day when it creates it.
-- ---------------------------------------------------------------------------------------------------------
CREATE TABLE fraudwatch.scored_transactions (
    transaction_id     text             NOT NULL,
    event_time         timestamptz      NOT NULL,
    customer_id        text             NOT NULL,
    terminal_id        text             NOT NULL,
    amount             numeric(14, 2)   NOT NULL,
    features           double precision[] NOT NULL,
    score              double precision NOT NULL,
    model_version      bigint           NOT NULL,
    challenger_score   double precision,
    challenger_version bigint,
    alert              boolean          NOT NULL,
    reason_codes       text[]           NOT NULL DEFAULT '{}',
    kafka_partition    integer          NOT NULL,
    kafka_offset       bigint           NOT NULL,
    batch_time         timestamptz      NOT NULL,
    scored_at          timestamptz      NOT NULL DEFAULT now(),
    CONSTRAINT scored_transactions_pkey PRIMARY KEY (transaction_id, event_time),
    CONSTRAINT scored_transactions_transaction_id_check CHECK (transaction_id <> ''),
    CONSTRAINT scored_transactions_features_check CHECK (cardinality(features) > 0),
    CONSTRAINT scored_transactions_score_check CHECK (score >= 0 AND score <= 1),
    CONSTRAINT scored_transactions_challenger_score_check CHECK (challenger_score >= 0 AND challenger_score <= 1),
    CONSTRAINT scored_transactions_challenger_check CHECK ((challenger_score IS NULL) = (challenger_version IS NULL)),
    CONSTRAINT scored_transactions_kafka_position_check CHECK (kafka_partition >= 0 AND kafka_offset >= 0)
) PARTITION BY RANGE (event_time);

CREATE TABLE fraudwatch.scored_transactions_default PARTITION OF fraudwatch.scored_transactions DEFAULT;

COMMENT ON TABLE fraudwatch.scored_transactions IS
    'Every scored transaction with the feature vector and score it got. One row per transaction; partitioned by UTC day of event_time.';
COMMENT ON COLUMN fraudwatch.scored_transactions.transaction_id IS 'Transaction id from the card network (unique per transaction).';
COMMENT ON COLUMN fraudwatch.scored_transactions.event_time IS 'When the transaction happened (from the transaction, not when it was scored).';
COMMENT ON COLUMN fraudwatch.scored_transactions.amount IS 'Transaction amount.';
COMMENT ON COLUMN fraudwatch.scored_transactions.features IS 'Feature vector as scored (standardised, bias term last), in the order the model version defines.';
COMMENT ON COLUMN fraudwatch.scored_transactions.score IS 'Probability of fraud given by the active model version, 0..1.';
COMMENT ON COLUMN fraudwatch.scored_transactions.model_version IS 'Model-store version id of the active model that produced score.';
COMMENT ON COLUMN fraudwatch.scored_transactions.challenger_score IS 'Probability of fraud given by the challenger model, if one ran (shadow: never alerts).';
COMMENT ON COLUMN fraudwatch.scored_transactions.challenger_version IS 'Model-store version id of the challenger, null when none ran.';
COMMENT ON COLUMN fraudwatch.scored_transactions.alert IS 'True when score reached the alert threshold (then the transaction is in alerts).';
COMMENT ON COLUMN fraudwatch.scored_transactions.reason_codes IS 'Features that pushed the score up the most, strongest first.';
COMMENT ON COLUMN fraudwatch.scored_transactions.kafka_partition IS 'Kafka partition of the transactions topic the record came from.';
COMMENT ON COLUMN fraudwatch.scored_transactions.kafka_offset IS 'Kafka offset of the record in that partition.';
COMMENT ON COLUMN fraudwatch.scored_transactions.batch_time IS 'Spark Streaming batch that scored the transaction.';
COMMENT ON COLUMN fraudwatch.scored_transactions.scored_at IS 'When the row was written.';

-- Creates the daily partitions of scored_transactions for the UTC days from_date..to_date (inclusive) that
-- do not exist yet, and returns how many it created. Rows already in the DEFAULT partition for such a day
-- are moved into the new partition (attaching it would fail otherwise). Safe to call concurrently and
-- repeatedly; the job calls it at start and daily for the days ahead. SECURITY DEFINER because creating a
-- partition needs ownership of the table, which the job's role does not have.
CREATE FUNCTION fraudwatch.ensure_partitions(from_date date, to_date date) RETURNS integer
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
        CONTINUE WHEN to_regclass(format('fraudwatch.%I', part_name)) IS NOT NULL;
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
            EXECUTE format('CREATE TABLE fraudwatch.%I PARTITION OF fraudwatch.scored_transactions '
                           'FOR VALUES FROM (%L) TO (%L)', part_name, lower_ts, upper_ts);
        END IF;
        created := created + 1;
    END LOOP;
    RETURN created;
END
$$;
REVOKE ALL ON FUNCTION fraudwatch.ensure_partitions(date, date) FROM PUBLIC;

-- Retention of scored_transactions: drops the daily partitions of UTC days before cutoff and deletes rows
-- older than cutoff from the DEFAULT partition. Returns the number of partitions dropped.
CREATE FUNCTION fraudwatch.drop_partitions_before(cutoff date) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    SET timezone = 'UTC'
AS $$
DECLARE
    part_name text;
    dropped   integer := 0;
BEGIN
    IF cutoff IS NULL THEN
        RAISE EXCEPTION 'drop_partitions_before: cutoff is null' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('fraudwatch.ensure_partitions'));
    FOR part_name IN
        SELECT c.relname
        FROM pg_inherits i
        JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'fraudwatch.scored_transactions'::regclass
          AND c.relname ~ '^scored_transactions_p[0-9]{8}$'
          AND to_date(substr(c.relname, length('scored_transactions_p') + 1), 'YYYYMMDD') < cutoff
        ORDER BY c.relname
    LOOP
        EXECUTE format('DROP TABLE fraudwatch.%I', part_name);
        dropped := dropped + 1;
    END LOOP;
    DELETE FROM fraudwatch.scored_transactions_default WHERE event_time < cutoff::timestamp AT TIME ZONE 'UTC';
    RETURN dropped;
END
$$;
REVOKE ALL ON FUNCTION fraudwatch.drop_partitions_before(date) FROM PUBLIC;

-- ---------------------------------------------------------------------------------------------------------
-- alerts: transactions whose score reached the threshold. A few per thousand transactions, so one plain
-- table; the primary key makes writes idempotent (ON CONFLICT (transaction_id) DO NOTHING).
-- ---------------------------------------------------------------------------------------------------------
CREATE TABLE fraudwatch.alerts (
    transaction_id text             NOT NULL,
    customer_id    text             NOT NULL,
    terminal_id    text             NOT NULL,
    amount         numeric(14, 2)   NOT NULL,
    event_time     timestamptz      NOT NULL,
    score          double precision NOT NULL,
    threshold      double precision NOT NULL,
    model_version  bigint           NOT NULL,
    reason_codes   text[]           NOT NULL DEFAULT '{}',
    alerted_at     timestamptz      NOT NULL DEFAULT now(),
    CONSTRAINT alerts_pkey PRIMARY KEY (transaction_id),
    CONSTRAINT alerts_transaction_id_check CHECK (transaction_id <> ''),
    CONSTRAINT alerts_score_check CHECK (score >= 0 AND score <= 1),
    CONSTRAINT alerts_threshold_check CHECK (threshold >= 0 AND threshold <= 1),
    CONSTRAINT alerts_score_reaches_threshold_check CHECK (score >= threshold)
);
CREATE INDEX alerts_event_time_idx ON fraudwatch.alerts (event_time);
CREATE INDEX alerts_customer_event_time_idx ON fraudwatch.alerts (customer_id, event_time);

COMMENT ON TABLE fraudwatch.alerts IS 'Transactions whose fraud score reached the alert threshold; one row per transaction.';
COMMENT ON COLUMN fraudwatch.alerts.transaction_id IS 'Transaction id from the card network.';
COMMENT ON COLUMN fraudwatch.alerts.customer_id IS 'Customer (card holder) of the transaction.';
COMMENT ON COLUMN fraudwatch.alerts.terminal_id IS 'Terminal (merchant point of sale) of the transaction.';
COMMENT ON COLUMN fraudwatch.alerts.amount IS 'Transaction amount.';
COMMENT ON COLUMN fraudwatch.alerts.event_time IS 'When the transaction happened.';
COMMENT ON COLUMN fraudwatch.alerts.score IS 'Probability of fraud, 0..1.';
COMMENT ON COLUMN fraudwatch.alerts.threshold IS 'Alert threshold in force when the transaction was scored.';
COMMENT ON COLUMN fraudwatch.alerts.model_version IS 'Model-store version id of the model that scored it.';
COMMENT ON COLUMN fraudwatch.alerts.reason_codes IS 'Features that pushed the score up the most, strongest first.';
COMMENT ON COLUMN fraudwatch.alerts.alerted_at IS 'When the alert was raised.';

-- ---------------------------------------------------------------------------------------------------------
-- labels: the truth about a transaction, known some time after it happened. A later, more authoritative
-- label replaces an earlier one (upsert on transaction_id).
-- ---------------------------------------------------------------------------------------------------------
CREATE TABLE fraudwatch.labels (
    transaction_id text        NOT NULL,
    fraud          boolean     NOT NULL,
    known_at       timestamptz NOT NULL,
    source         text        NOT NULL,
    received_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT labels_pkey PRIMARY KEY (transaction_id),
    CONSTRAINT labels_transaction_id_check CHECK (transaction_id <> ''),
    CONSTRAINT labels_source_check CHECK (source IN ('CHARGEBACK', 'INVESTIGATOR', 'CUSTOMER'))
);
-- the learner and the evaluation read labels by when they became known
CREATE INDEX labels_known_at_idx ON fraudwatch.labels (known_at);

COMMENT ON TABLE fraudwatch.labels IS 'Fraud / not-fraud verdicts on transactions, as they become known.';
COMMENT ON COLUMN fraudwatch.labels.transaction_id IS 'Transaction id from the card network.';
COMMENT ON COLUMN fraudwatch.labels.fraud IS 'True: confirmed fraud; false: confirmed genuine.';
COMMENT ON COLUMN fraudwatch.labels.known_at IS 'When the verdict became known (e.g. chargeback date).';
COMMENT ON COLUMN fraudwatch.labels.source IS 'Who gave the verdict: CHARGEBACK, INVESTIGATOR or CUSTOMER.';
COMMENT ON COLUMN fraudwatch.labels.received_at IS 'When Fraudwatch stored the verdict.';

-- ---------------------------------------------------------------------------------------------------------
-- Feature history: one narrow row per transaction, so rolling-window features (count and mean amount per
-- customer, count and fraud rate per terminal over 1/7/30 days) are computed exactly from index range
-- scans. Plain tables: rows are small and retention deletes one day at a time (purge_history); the BRIN
-- index on event_time (rows arrive in roughly event-time order) keeps that delete off a full scan.
-- ---------------------------------------------------------------------------------------------------------
CREATE TABLE fraudwatch.customer_history (
    transaction_id text           NOT NULL,
    customer_id    text           NOT NULL,
    event_time     timestamptz    NOT NULL,
    amount         numeric(14, 2) NOT NULL,
    CONSTRAINT customer_history_pkey PRIMARY KEY (transaction_id)
);
-- INCLUDE (amount): window count and mean come from an index-only scan
CREATE INDEX customer_history_customer_event_time_idx
    ON fraudwatch.customer_history (customer_id, event_time) INCLUDE (amount);
CREATE INDEX customer_history_event_time_brin ON fraudwatch.customer_history USING brin (event_time);

-- fillfactor 90: each row is updated once when its label arrives; the free space keeps that update HOT
CREATE TABLE fraudwatch.terminal_history (
    transaction_id text        NOT NULL,
    terminal_id    text        NOT NULL,
    event_time     timestamptz NOT NULL,
    fraud          boolean,
    label_known_at timestamptz,
    CONSTRAINT terminal_history_pkey PRIMARY KEY (transaction_id),
    CONSTRAINT terminal_history_label_check CHECK ((fraud IS NULL) = (label_known_at IS NULL))
) WITH (fillfactor = 90);
CREATE INDEX terminal_history_terminal_event_time_idx ON fraudwatch.terminal_history (terminal_id, event_time);
CREATE INDEX terminal_history_event_time_brin ON fraudwatch.terminal_history USING brin (event_time);

COMMENT ON TABLE fraudwatch.customer_history IS 'Per-transaction customer history for rolling-window features.';
COMMENT ON TABLE fraudwatch.terminal_history IS 'Per-transaction terminal history with the label once known, for rolling-window features.';
COMMENT ON COLUMN fraudwatch.terminal_history.fraud IS 'Label of the transaction, null until known.';
COMMENT ON COLUMN fraudwatch.terminal_history.label_known_at IS 'When the label became known, null until known.';

-- Retention of the feature history: deletes rows whose event_time is before older_than. Runs with the
-- caller's rights (the job may delete history rows). Callers keep at least the longest window plus the
-- label delay (30 + 7 days by default).
CREATE FUNCTION fraudwatch.purge_history(older_than timestamptz)
    RETURNS TABLE (customer_rows bigint, terminal_rows bigint)
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF older_than IS NULL THEN
        RAISE EXCEPTION 'purge_history: older_than is null' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    DELETE FROM fraudwatch.customer_history WHERE event_time < older_than;
    GET DIAGNOSTICS customer_rows = ROW_COUNT;
    DELETE FROM fraudwatch.terminal_history WHERE event_time < older_than;
    GET DIAGNOSTICS terminal_rows = ROW_COUNT;
    RETURN NEXT;
END
$$;
REVOKE ALL ON FUNCTION fraudwatch.purge_history(timestamptz) FROM PUBLIC;

-- ---------------------------------------------------------------------------------------------------------
-- stream_offsets: where each job resumes reading, per Kafka topic partition. next_offset is the offset of
-- the first record NOT yet covered by stored output (Kafka's committed-offset convention). Written in the
-- same transaction as the rows it covers, or after them.
-- ---------------------------------------------------------------------------------------------------------
CREATE TABLE fraudwatch.stream_offsets (
    job_name        text        NOT NULL,
    topic           text        NOT NULL,
    kafka_partition integer     NOT NULL,
    next_offset     bigint      NOT NULL,
    batch_time      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT stream_offsets_pkey PRIMARY KEY (job_name, topic, kafka_partition),
    CONSTRAINT stream_offsets_partition_check CHECK (kafka_partition >= 0),
    CONSTRAINT stream_offsets_next_offset_check CHECK (next_offset >= 0)
);
COMMENT ON TABLE fraudwatch.stream_offsets IS 'Kafka position each job resumes from: next_offset is the first offset not yet processed.';

-- ---------------------------------------------------------------------------------------------------------
-- batch_metrics: one row per completed streaming batch, for the dashboard and for analysts.
-- ---------------------------------------------------------------------------------------------------------
CREATE TABLE fraudwatch.batch_metrics (
    job_name            text        NOT NULL,
    batch_time          timestamptz NOT NULL,
    records             bigint      NOT NULL,
    dead_letters        bigint      NOT NULL,
    alerts              bigint      NOT NULL,
    processing_ms       bigint      NOT NULL,
    scheduling_delay_ms bigint      NOT NULL,
    model_version       bigint      NOT NULL,
    challenger_version  bigint,
    recorded_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT batch_metrics_pkey PRIMARY KEY (job_name, batch_time),
    CONSTRAINT batch_metrics_counts_check CHECK (records >= 0 AND dead_letters >= 0 AND alerts >= 0),
    CONSTRAINT batch_metrics_times_check CHECK (processing_ms >= 0 AND scheduling_delay_ms >= 0)
);
COMMENT ON TABLE fraudwatch.batch_metrics IS 'One row per completed streaming batch: volumes, alerts, latency, model versions.';
COMMENT ON COLUMN fraudwatch.batch_metrics.job_name IS 'Name of the scoring job.';
COMMENT ON COLUMN fraudwatch.batch_metrics.batch_time IS 'Spark Streaming batch time.';
COMMENT ON COLUMN fraudwatch.batch_metrics.records IS 'Transactions scored in the batch.';
COMMENT ON COLUMN fraudwatch.batch_metrics.dead_letters IS 'Malformed records sent to the dead-letter topic.';
COMMENT ON COLUMN fraudwatch.batch_metrics.alerts IS 'Alerts raised in the batch.';
COMMENT ON COLUMN fraudwatch.batch_metrics.processing_ms IS 'Time the batch took to process.';
COMMENT ON COLUMN fraudwatch.batch_metrics.scheduling_delay_ms IS 'Time the batch waited before it started (grows when the job falls behind).';
COMMENT ON COLUMN fraudwatch.batch_metrics.model_version IS 'Active model version during the batch.';
COMMENT ON COLUMN fraudwatch.batch_metrics.challenger_version IS 'Challenger model version during the batch, null when none.';
