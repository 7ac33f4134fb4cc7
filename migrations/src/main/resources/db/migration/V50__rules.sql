-- Rules: boolean Spark SQL expressions over the enriched transaction, managed like model versions.
-- A rule version is immutable (a change is a new version); which version of a rule is in force, and whether it
-- is active or disabled, is a pointer (rule_slots) that enable and disable move; every change appends to
-- rule_events (who, when, why). The id of the newest rule event names the rule set in force: the job reads it
-- once per batch and records it with every scored row, so the rules that judged a row can be told afterwards.

CREATE TABLE fraudwatch.rules (
    name        text        PRIMARY KEY CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
    created_at  timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE fraudwatch.rules IS 'One row per rule name; changes lock this row so concurrent operators serialise.';

CREATE TABLE fraudwatch.rule_versions (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    rule_name   text        NOT NULL REFERENCES fraudwatch.rules (name),
    version     integer     NOT NULL CHECK (version > 0),
    expression  text        NOT NULL CHECK (btrim(expression) <> '' AND length(expression) <= 4000),
    action      text        NOT NULL CHECK (action IN ('alert', 'suppress', 'review')),
    author      text        NOT NULL CHECK (btrim(author) <> ''),
    reason      text        NOT NULL CHECK (btrim(reason) <> ''),
    created_at  timestamptz NOT NULL,
    UNIQUE (rule_name, version),
    UNIQUE (id, rule_name)
);
COMMENT ON TABLE fraudwatch.rule_versions IS 'Rule versions; immutable once written (enforced by trigger).';
COMMENT ON COLUMN fraudwatch.rule_versions.expression IS
    'Boolean Spark SQL expression over the enriched transaction (raw fields, features, score, reason codes).';

CREATE TABLE fraudwatch.rule_slots (
    rule_name   text        PRIMARY KEY REFERENCES fraudwatch.rules (name),
    version_id  bigint      NOT NULL,
    status      text        NOT NULL CHECK (status IN ('active', 'disabled')),
    changed_at  timestamptz NOT NULL,
    FOREIGN KEY (version_id, rule_name) REFERENCES fraudwatch.rule_versions (id, rule_name)
);
COMMENT ON TABLE fraudwatch.rule_slots IS
    'The version of each rule that was last enabled, and whether it is active; a rule without a row is a draft.';

CREATE TABLE fraudwatch.rule_events (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    rule_name   text        NOT NULL REFERENCES fraudwatch.rules (name),
    version_id  bigint      NOT NULL,
    action      text        NOT NULL CHECK (action IN ('add', 'enable', 'disable')),
    actor       text        NOT NULL CHECK (btrim(actor) <> ''),
    occurred_at timestamptz NOT NULL,
    reason      text        NOT NULL CHECK (btrim(reason) <> ''),
    db_user     text,
    FOREIGN KEY (version_id, rule_name) REFERENCES fraudwatch.rule_versions (id, rule_name)
);
CREATE INDEX rule_events_by_rule ON fraudwatch.rule_events (rule_name, id);
COMMENT ON TABLE fraudwatch.rule_events IS
    'Append-only audit trail of rule versions added, enabled and disabled; the newest id names the rule set in force.';

CREATE TRIGGER rules_immutable
    BEFORE UPDATE OR DELETE ON fraudwatch.rules
    FOR EACH ROW EXECUTE FUNCTION fraudwatch.refuse_change_of_immutable_row();
CREATE TRIGGER rule_versions_immutable
    BEFORE UPDATE OR DELETE ON fraudwatch.rule_versions
    FOR EACH ROW EXECUTE FUNCTION fraudwatch.refuse_change_of_immutable_row();
CREATE TRIGGER rule_versions_no_truncate
    BEFORE TRUNCATE ON fraudwatch.rule_versions
    FOR EACH STATEMENT EXECUTE FUNCTION fraudwatch.refuse_change_of_immutable_row();
CREATE TRIGGER rule_events_append_only
    BEFORE UPDATE OR DELETE ON fraudwatch.rule_events
    FOR EACH ROW EXECUTE FUNCTION fraudwatch.refuse_change_of_immutable_row();
CREATE TRIGGER rule_events_no_truncate
    BEFORE TRUNCATE ON fraudwatch.rule_events
    FOR EACH STATEMENT EXECUTE FUNCTION fraudwatch.refuse_change_of_immutable_row();
CREATE TRIGGER rule_events_stamp_db_user BEFORE INSERT ON fraudwatch.rule_events
    FOR EACH ROW EXECUTE FUNCTION fraudwatch.stamp_session_user();

-- The job reads the rules; the operator (`bin/fraudwatch rules ...`) writes them; analysts read them.
GRANT SELECT ON fraudwatch.rules, fraudwatch.rule_versions, fraudwatch.rule_slots, fraudwatch.rule_events
    TO fraudwatch_job, fraudwatch_operator, fraudwatch_analyst;
REVOKE INSERT ON fraudwatch.rules, fraudwatch.rule_versions, fraudwatch.rule_slots, fraudwatch.rule_events
    FROM fraudwatch_job;
GRANT INSERT ON fraudwatch.rules, fraudwatch.rule_versions, fraudwatch.rule_slots, fraudwatch.rule_events
    TO fraudwatch_operator;
-- the row lock of a rule (SELECT ... FOR UPDATE) needs UPDATE on some column; the trigger refuses any update
GRANT UPDATE (created_at) ON fraudwatch.rules TO fraudwatch_operator;
GRANT UPDATE (version_id, status, changed_at) ON fraudwatch.rule_slots TO fraudwatch_operator;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA fraudwatch TO fraudwatch_operator;

-- What the decision was made of, with every scored row and alert: whether the model alerted, the rules that
-- fired (every action, review included), and the rule set in force (the newest rule event id; 0: none yet).
-- alert stays the decision: model alert OR any alert rule, minus suppress rules.
ALTER TABLE fraudwatch.scored_transactions
    ADD COLUMN model_alert boolean,
    ADD COLUMN rule_hits   text[] NOT NULL DEFAULT '{}',
    ADD COLUMN rule_set    bigint NOT NULL DEFAULT 0;
COMMENT ON COLUMN fraudwatch.scored_transactions.alert IS
    'The decision: the model alerted (score reached the threshold) or an alert rule fired, and no suppress rule did.';
COMMENT ON COLUMN fraudwatch.scored_transactions.model_alert IS
    'True when score reached the threshold; null for rows written before rules existed (then alert says it).';
COMMENT ON COLUMN fraudwatch.scored_transactions.rule_hits IS 'Names of the rules that fired, every action.';
COMMENT ON COLUMN fraudwatch.scored_transactions.rule_set IS
    'The rule set in force: the newest fraudwatch.rule_events id when the batch started (0: no rule event yet).';

ALTER TABLE fraudwatch.alerts
    ADD COLUMN model_alert boolean NOT NULL DEFAULT true,
    ADD COLUMN rule_set    bigint  NOT NULL DEFAULT 0;
ALTER TABLE fraudwatch.alerts DROP CONSTRAINT alerts_score_reaches_threshold_check;
ALTER TABLE fraudwatch.alerts ADD CONSTRAINT alerts_score_reaches_threshold_check
    CHECK (score >= threshold OR NOT model_alert);
COMMENT ON COLUMN fraudwatch.alerts.model_alert IS
    'True when the model alerted (score >= threshold); false when only rules did (reason codes rule:<name>).';
COMMENT ON COLUMN fraudwatch.alerts.rule_set IS 'The rule set in force when the transaction was scored.';
