-- Model store: immutable model versions, champion/challenger slots per model name, and the
-- append-only audit trail of every slot change. Owned by the model-store module.

CREATE TABLE fraudwatch.models (
    name        text        PRIMARY KEY CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
    created_at  timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE fraudwatch.models IS
    'One row per model name; slot changes lock this row so concurrent operators serialise.';

CREATE TABLE fraudwatch.model_versions (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    model_name          text             NOT NULL REFERENCES fraudwatch.models (name),
    created_at          timestamptz      NOT NULL,
    created_by          text             NOT NULL CHECK (created_by <> ''),
    parent_id           bigint           REFERENCES fraudwatch.model_versions (id),
    kind                text             NOT NULL CHECK (kind IN ('batch', 'online')),
    feature_names       text[]           NOT NULL CHECK (cardinality(feature_names) > 0),
    feature_schema_hash text             NOT NULL,
    feature_means       double precision[] NOT NULL,
    feature_stds        double precision[] NOT NULL,
    -- feature weights in schema order, then the bias weight (the model learns no intercept)
    weights             double precision[] NOT NULL,
    threshold           double precision NOT NULL CHECK (threshold > 0 AND threshold < 1),
    training_from       timestamptz      NOT NULL,
    training_to         timestamptz      NOT NULL,
    training_data       text             NOT NULL,
    -- online versions: the Kafka position ("topic-partition" -> next offset) and label watermark learned up to
    kafka_offsets       jsonb            NOT NULL DEFAULT '{}',
    label_watermark     timestamptz,
    metrics             jsonb            NOT NULL DEFAULT '{}',
    -- SHA-256 over the canonical serialisation of the content (everything but id and parent)
    checksum            text             NOT NULL UNIQUE CHECK (checksum ~ '^[0-9a-f]{64}$'),
    UNIQUE (id, model_name),
    CHECK (training_from <= training_to),
    CHECK (cardinality(feature_means) = cardinality(feature_names)),
    CHECK (cardinality(feature_stds) = cardinality(feature_names)),
    CHECK (cardinality(weights) = cardinality(feature_names) + 1)
);
CREATE INDEX model_versions_by_model ON fraudwatch.model_versions (model_name, id);
COMMENT ON TABLE fraudwatch.model_versions IS 'Model versions; immutable once written (enforced by trigger).';

CREATE TABLE fraudwatch.model_slots (
    model_name  text        NOT NULL REFERENCES fraudwatch.models (name),
    slot        text        NOT NULL CHECK (slot IN ('champion', 'challenger')),
    version_id  bigint      NOT NULL,
    changed_at  timestamptz NOT NULL,
    PRIMARY KEY (model_name, slot),
    -- a slot can only hold a version of its own model
    FOREIGN KEY (version_id, model_name) REFERENCES fraudwatch.model_versions (id, model_name)
);
COMMENT ON TABLE fraudwatch.model_slots IS
    'champion scores and alerts; challenger is shadow-scored and never alerts.';

CREATE TABLE fraudwatch.model_slot_events (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    model_name   text        NOT NULL REFERENCES fraudwatch.models (name),
    slot         text        NOT NULL CHECK (slot IN ('champion', 'challenger')),
    action       text        NOT NULL CHECK (action IN ('promote', 'rollback')),
    from_version bigint,
    to_version   bigint      NOT NULL,
    actor        text        NOT NULL CHECK (actor <> ''),
    occurred_at  timestamptz NOT NULL,
    reason       text        NOT NULL CHECK (btrim(reason) <> ''),
    FOREIGN KEY (from_version, model_name) REFERENCES fraudwatch.model_versions (id, model_name),
    FOREIGN KEY (to_version, model_name) REFERENCES fraudwatch.model_versions (id, model_name)
);
CREATE INDEX model_slot_events_by_model ON fraudwatch.model_slot_events (model_name, slot, id);
COMMENT ON TABLE fraudwatch.model_slot_events IS 'Append-only audit trail of promotions and rollbacks.';

-- Written once, never changed: refuse UPDATE, DELETE and TRUNCATE whoever asks (owner included).
CREATE FUNCTION fraudwatch.refuse_change_of_immutable_row() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% on %.% refused: rows are immutable once written', TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END
$$;

CREATE TRIGGER model_versions_immutable
    BEFORE UPDATE OR DELETE ON fraudwatch.model_versions
    FOR EACH ROW EXECUTE FUNCTION fraudwatch.refuse_change_of_immutable_row();
CREATE TRIGGER model_versions_no_truncate
    BEFORE TRUNCATE ON fraudwatch.model_versions
    FOR EACH STATEMENT EXECUTE FUNCTION fraudwatch.refuse_change_of_immutable_row();
CREATE TRIGGER model_slot_events_append_only
    BEFORE UPDATE OR DELETE ON fraudwatch.model_slot_events
    FOR EACH ROW EXECUTE FUNCTION fraudwatch.refuse_change_of_immutable_row();
CREATE TRIGGER model_slot_events_no_truncate
    BEFORE TRUNCATE ON fraudwatch.model_slot_events
    FOR EACH STATEMENT EXECUTE FUNCTION fraudwatch.refuse_change_of_immutable_row();

-- The job (and the operator CLI, which connects as the job role) inserts versions and moves slots;
-- the default privileges from V2 would also let it update or delete the append-only tables.
REVOKE UPDATE, DELETE, TRUNCATE ON fraudwatch.model_versions, fraudwatch.model_slot_events FROM fraudwatch_job;
REVOKE DELETE, TRUNCATE ON fraudwatch.models, fraudwatch.model_slots FROM fraudwatch_job;

GRANT SELECT ON fraudwatch.models, fraudwatch.model_versions, fraudwatch.model_slots, fraudwatch.model_slot_events
    TO fraudwatch_analyst;
