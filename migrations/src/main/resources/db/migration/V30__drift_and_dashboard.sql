-- Drift monitoring and the dashboard.
--
-- model_distributions: what each model version's training data looked like (decile bins of every raw feature and of
-- the version's score, with the training rows counted into them, and a sample of raw feature vectors to rescore for
-- versions derived with other weights). Written once per version, by whoever stores the version (the batch trainer,
-- the online learner) or later by the drift monitor for versions stored before this table existed.
CREATE TABLE fraudwatch.model_distributions (
    version_id   bigint      NOT NULL REFERENCES fraudwatch.model_versions (id),
    computed_at  timestamptz NOT NULL DEFAULT now(),
    source       text        NOT NULL CHECK (btrim(source) <> ''),
    rows         bigint      NOT NULL CHECK (rows > 0),
    -- {"features": [{"name": ..., "edges": [...], "counts": [...]}, ...], "score": {"edges": [...], "counts": [...]}}
    bins         jsonb       NOT NULL,
    sample_width integer     NOT NULL CHECK (sample_width > 0),
    -- sample rows one after the other, sample_width values each
    sample       double precision[] NOT NULL DEFAULT '{}',
    CONSTRAINT model_distributions_pkey PRIMARY KEY (version_id),
    CONSTRAINT model_distributions_sample_shape_check CHECK (cardinality(sample) % sample_width = 0)
);
COMMENT ON TABLE fraudwatch.model_distributions IS
    'Training distribution of each model version (feature and score deciles): the reference of drift monitoring. Written once.';
COMMENT ON COLUMN fraudwatch.model_distributions.source IS 'Where the distribution came from (the batch fit, a parent version, the history of the training window).';
COMMENT ON COLUMN fraudwatch.model_distributions.rows IS 'Training rows the feature bins were counted on.';
COMMENT ON COLUMN fraudwatch.model_distributions.bins IS 'Bin edges (closed below, as width_bucket) and counts per feature, in schema order, and of the score.';

CREATE TRIGGER model_distributions_immutable
    BEFORE UPDATE OR DELETE ON fraudwatch.model_distributions
    FOR EACH ROW EXECUTE FUNCTION fraudwatch.refuse_change_of_immutable_row();
REVOKE UPDATE, DELETE, TRUNCATE ON fraudwatch.model_distributions FROM fraudwatch_job;

-- drift: the population stability index of each feature and of the score, per model version and hour of event time,
-- over the transactions that version scored in the trailing window (drift.window) ending with that hour.
CREATE TABLE fraudwatch.drift (
    model_version bigint           NOT NULL REFERENCES fraudwatch.model_versions (id),
    hour          timestamptz      NOT NULL,
    feature       text             NOT NULL,
    psi           double precision NOT NULL CHECK (psi >= 0),
    transactions  bigint           NOT NULL CHECK (transactions > 0),
    window_hours  integer          NOT NULL CHECK (window_hours > 0),
    computed_at   timestamptz      NOT NULL DEFAULT now(),
    CONSTRAINT drift_pkey PRIMARY KEY (model_version, hour, feature),
    CONSTRAINT drift_hour_check CHECK (date_trunc('hour', hour AT TIME ZONE 'UTC') = hour AT TIME ZONE 'UTC')
);
CREATE INDEX drift_hour_idx ON fraudwatch.drift (hour);
COMMENT ON TABLE fraudwatch.drift IS
    'Population stability index per model version, hour of event time and feature (''score'' for the score), against the version''s training distribution.';
COMMENT ON COLUMN fraudwatch.drift.hour IS 'Start of the UTC hour of event time the window ends with.';
COMMENT ON COLUMN fraudwatch.drift.feature IS 'Feature name, or score for the model''s score.';
COMMENT ON COLUMN fraudwatch.drift.psi IS 'Population stability index: 0 = as in training; above 0.2 conventionally a significant shift.';
COMMENT ON COLUMN fraudwatch.drift.transactions IS 'Transactions of the window scored by that version.';
COMMENT ON COLUMN fraudwatch.drift.window_hours IS 'Length of the window in hours.';

-- batch_dead_letters: dead letters of each batch by reason code (batch_metrics has their total).
CREATE TABLE fraudwatch.batch_dead_letters (
    job_name     text        NOT NULL,
    batch_time   timestamptz NOT NULL,
    reason_code  text        NOT NULL CHECK (reason_code <> ''),
    dead_letters bigint      NOT NULL CHECK (dead_letters > 0),
    CONSTRAINT batch_dead_letters_pkey PRIMARY KEY (job_name, batch_time, reason_code)
);
CREATE INDEX batch_dead_letters_batch_time_idx ON fraudwatch.batch_dead_letters (batch_time);
COMMENT ON TABLE fraudwatch.batch_dead_letters IS 'Dead letters of each streaming batch by reason code (the fraudwatch.reason-code header).';

-- The drift monitor reads the scored log one hour of event time at a time. Rows arrive in about event-time order, so
-- a BRIN index finds an hour's pages at almost no cost to the writes.
CREATE INDEX scored_transactions_event_time_brin ON fraudwatch.scored_transactions USING brin (event_time);

-- The dashboard finds the job that recorded the latest batch (the primary key serves a job's last hours).
CREATE INDEX batch_metrics_batch_time_idx ON fraudwatch.batch_metrics (batch_time);

GRANT SELECT ON fraudwatch.model_distributions, fraudwatch.drift, fraudwatch.batch_dead_letters TO fraudwatch_analyst;
