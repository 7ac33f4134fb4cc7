-- Alert triage: investigators record a disposition on an alert; confirmed_fraud and legitimate become labels.
--
-- alert_reviews   append-only: one row per review (a second look at the same alert is another row). Who and
--                 when are set by a trigger from session_user and the statement's time, whatever the INSERT
--                 says; the alert must exist. UPDATE, DELETE and TRUNCATE are refused whoever asks.
-- review_labels   the outbox's relay record: the scoring job publishes each pending review (not unsure, no
--                 row here) as a Label on the labels topic, and inserts its row here once Kafka has
--                 acknowledged it (docs/triage.md). A review recorded from plain SQL is published the same way.
-- open_alerts     alerts that nobody has reviewed yet.
--
-- fraudwatch_investigator: reads the alerts and what analysts read, and INSERTs reviews; nothing else.

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'fraudwatch_investigator') THEN
        CREATE ROLE fraudwatch_investigator NOLOGIN;
    END IF;
END
$$;

CREATE TABLE fraudwatch.alert_reviews (
    review_id      bigint      GENERATED ALWAYS AS IDENTITY,
    transaction_id text        NOT NULL,
    disposition    text        NOT NULL,
    note           text        NOT NULL,
    reviewed_by    text        NOT NULL,
    reviewed_at    timestamptz NOT NULL,
    CONSTRAINT alert_reviews_pkey PRIMARY KEY (review_id),
    CONSTRAINT alert_reviews_disposition_check CHECK (disposition IN ('confirmed_fraud', 'legitimate', 'unsure')),
    CONSTRAINT alert_reviews_note_check CHECK (btrim(note) <> '' AND length(note) <= 4000)
);
CREATE INDEX alert_reviews_transaction_idx ON fraudwatch.alert_reviews (transaction_id);

COMMENT ON TABLE fraudwatch.alert_reviews IS
    'Investigators'' dispositions on alerts, append-only; confirmed_fraud and legitimate become labels (source INVESTIGATOR).';
COMMENT ON COLUMN fraudwatch.alert_reviews.review_id IS 'Order in which reviews were recorded.';
COMMENT ON COLUMN fraudwatch.alert_reviews.transaction_id IS 'The alert reviewed (fraudwatch.alerts.transaction_id).';
COMMENT ON COLUMN fraudwatch.alert_reviews.disposition IS 'confirmed_fraud (label fraud), legitimate (label genuine) or unsure (no label).';
COMMENT ON COLUMN fraudwatch.alert_reviews.note IS 'Why: what the investigator found.';
COMMENT ON COLUMN fraudwatch.alert_reviews.reviewed_by IS 'Database login that recorded the review (session_user, set by the database).';
COMMENT ON COLUMN fraudwatch.alert_reviews.reviewed_at IS 'When the review was recorded (set by the database); the label''s known_at.';

-- Invoker's rights: the inserting login must be able to read the alert it reviews.
CREATE FUNCTION fraudwatch.stamp_alert_review() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM fraudwatch.alerts WHERE transaction_id = NEW.transaction_id) THEN
        RAISE EXCEPTION 'no alert for transaction %', NEW.transaction_id
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    NEW.reviewed_by := session_user;
    NEW.reviewed_at := statement_timestamp();
    RETURN NEW;
END
$$;

CREATE TRIGGER alert_reviews_stamp BEFORE INSERT ON fraudwatch.alert_reviews
    FOR EACH ROW EXECUTE FUNCTION fraudwatch.stamp_alert_review();
CREATE TRIGGER alert_reviews_append_only BEFORE UPDATE OR DELETE ON fraudwatch.alert_reviews
    FOR EACH ROW EXECUTE FUNCTION fraudwatch.refuse_change_of_immutable_row();
CREATE TRIGGER alert_reviews_no_truncate BEFORE TRUNCATE ON fraudwatch.alert_reviews
    FOR EACH STATEMENT EXECUTE FUNCTION fraudwatch.refuse_change_of_immutable_row();

CREATE TABLE fraudwatch.review_labels (
    review_id  bigint      NOT NULL,
    relayed_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT review_labels_pkey PRIMARY KEY (review_id),
    CONSTRAINT review_labels_review_fkey FOREIGN KEY (review_id) REFERENCES fraudwatch.alert_reviews (review_id)
);
COMMENT ON TABLE fraudwatch.review_labels IS
    'Reviews the scoring job has published as labels on the labels topic (the outbox''s relay record).';

CREATE TRIGGER review_labels_append_only BEFORE UPDATE OR DELETE ON fraudwatch.review_labels
    FOR EACH ROW EXECUTE FUNCTION fraudwatch.refuse_change_of_immutable_row();
CREATE TRIGGER review_labels_no_truncate BEFORE TRUNCATE ON fraudwatch.review_labels
    FOR EACH STATEMENT EXECUTE FUNCTION fraudwatch.refuse_change_of_immutable_row();

CREATE VIEW fraudwatch.open_alerts AS
SELECT a.*
FROM fraudwatch.alerts a
WHERE NOT EXISTS (SELECT 1 FROM fraudwatch.alert_reviews r WHERE r.transaction_id = a.transaction_id);
COMMENT ON VIEW fraudwatch.open_alerts IS 'Alerts without any review yet.';

-- ---------------------------------------------------------------------------------------------------------
-- Privileges. V15's default privileges gave the job SELECT and INSERT on these: it relays, it never reviews.
-- ---------------------------------------------------------------------------------------------------------
REVOKE INSERT ON fraudwatch.alert_reviews, fraudwatch.open_alerts FROM fraudwatch_job;

GRANT USAGE ON SCHEMA fraudwatch TO fraudwatch_investigator;
GRANT SELECT ON
    fraudwatch.alerts,
    fraudwatch.scored_transactions,
    fraudwatch.labels,
    fraudwatch.daily_alerts,
    fraudwatch.daily_alert_precision,
    fraudwatch.alert_reviews,
    fraudwatch.review_labels,
    fraudwatch.open_alerts
    TO fraudwatch_investigator;
-- only what a review says; review_id, reviewed_by and reviewed_at are the database's
GRANT INSERT (transaction_id, disposition, note) ON fraudwatch.alert_reviews TO fraudwatch_investigator;

GRANT SELECT ON fraudwatch.alert_reviews, fraudwatch.review_labels, fraudwatch.open_alerts
    TO fraudwatch_analyst, fraudwatch_operator;
