-- Issue 17 item 2: fewer rows and index entries per event. Until here every scored transaction wrote three rows
-- (scored_transactions, customer_history, terminal_history) and five btree entries (the scored log's key; each
-- history table's key and change_xid index), and each label arriving updated its terminal row (a non-HOT update:
-- a new tuple and two more btree entries). Now:
--
--   * one narrow history row per transaction, transaction_history, inserted once and never updated: 2 rows and
--     2 btree entries per event (the scored log's key, this table's key);
--   * labels stay in labels and are joined in when the history is read: no label copy, no update, no lock
--     ordering the label writer against the partition writers (HistoryLabelLock is gone);
--   * change tracking (the V4 rule: a reader notes its snapshot's xmin and next asks for change_xid >= it) on
--     transaction_history and on labels, each with a BRIN index: both tables are appended in transaction-id order,
--     so a BRIN range holds a narrow band of ids, and the delta read skips all older ranges. PostgreSQL 15 has no
--     BRIN operator class for xid8, so change_xid is a bigint here (the xid8 value, which fits in 63 bits).
--
-- Why not the scored log itself as the history: scored_transactions is partitioned by day, so its key must hold
-- event_time and cannot say "this transaction id is stored once" (a repeat of an id under another event time
-- would land in another partition). Refusing such repeats (StoredCopy) needs one row per transaction id under a
-- unique key anyway: that row is this one, and its few history columns cost bytes, not rows or index entries. It
-- also keeps the executors' history reads narrow (about 60 bytes a row instead of the scored row's ~300) and off
-- the scored log's partitions, and gives seeded history (HistorySeed, which scores nothing) the same home.
--
-- customer_history and terminal_history stay readable as views with their columns (terminal labels from labels,
-- or the row's own label for seeded rows, which have no label row).

CREATE TABLE fraudwatch.transaction_history (
    transaction_id text           NOT NULL,
    customer_id    text           NOT NULL,
    terminal_id    text           NOT NULL,
    event_time     timestamptz    NOT NULL,
    amount         numeric(14, 2) NOT NULL,
    fraud          boolean,
    label_known_at timestamptz,
    change_xid     bigint         NOT NULL DEFAULT pg_current_xact_id()::text::bigint,
    CONSTRAINT transaction_history_pkey PRIMARY KEY (transaction_id),
    CONSTRAINT transaction_history_label_check CHECK ((fraud IS NULL) = (label_known_at IS NULL))
);
COMMENT ON TABLE fraudwatch.transaction_history IS
    'Feature history: one row per transaction the job scored or that was seeded, for the rolling-window features. Insert-only; labels are joined in from labels.';
COMMENT ON COLUMN fraudwatch.transaction_history.fraud IS
    'Label of a seeded transaction (written with it); null for scored transactions, whose labels are in labels.';
COMMENT ON COLUMN fraudwatch.transaction_history.label_known_at IS 'When the seeded label became known; null when fraud is.';
COMMENT ON COLUMN fraudwatch.transaction_history.change_xid IS
    'Transaction that wrote the row (pg_current_xact_id() as bigint); readers fetch what changed since their last snapshot''s xmin.';

-- The existing history, in event-time order so that the event-time BRIN ranges stay narrow. Their change
-- positions are kept: a reader that starts after this migration takes a full snapshot first anyway.
INSERT INTO fraudwatch.transaction_history
    (transaction_id, customer_id, terminal_id, event_time, amount, fraud, label_known_at, change_xid)
SELECT c.transaction_id, c.customer_id, t.terminal_id, c.event_time, c.amount, t.fraud, t.label_known_at,
       greatest(c.change_xid, t.change_xid)::text::bigint
FROM fraudwatch.customer_history AS c
JOIN fraudwatch.terminal_history AS t ON t.transaction_id = c.transaction_id
ORDER BY c.event_time;

CREATE INDEX transaction_history_event_time_brin ON fraudwatch.transaction_history USING brin (event_time);
CREATE INDEX transaction_history_change_xid_brin ON fraudwatch.transaction_history USING brin (change_xid);

-- Labels: the label side of the terminal history. An upsert (a correction) moves the row's position forward.
ALTER TABLE fraudwatch.labels ADD COLUMN change_xid bigint NOT NULL DEFAULT 0;
ALTER TABLE fraudwatch.labels ALTER COLUMN change_xid SET DEFAULT pg_current_xact_id()::text::bigint;
COMMENT ON COLUMN fraudwatch.labels.change_xid IS
    'Transaction that last wrote the label (pg_current_xact_id() as bigint); the feature history reads labels changed since its last snapshot''s xmin.';
CREATE INDEX labels_change_xid_brin ON fraudwatch.labels USING brin (change_xid);

DROP TABLE fraudwatch.customer_history;
DROP TABLE fraudwatch.terminal_history;
-- V4's trigger function stamped xid8 columns of those tables; its one user now is labels' bigint column
DROP FUNCTION fraudwatch.stamp_change_xid();
CREATE FUNCTION fraudwatch.stamp_change_xid() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    NEW.change_xid := pg_catalog.pg_current_xact_id()::text::bigint;
    RETURN NEW;
END
$$;
CREATE TRIGGER labels_stamp_change_xid BEFORE UPDATE ON fraudwatch.labels
    FOR EACH ROW EXECUTE FUNCTION fraudwatch.stamp_change_xid();

CREATE VIEW fraudwatch.customer_history AS
SELECT transaction_id, customer_id, event_time, amount, change_xid::text::xid8 AS change_xid
FROM fraudwatch.transaction_history;
COMMENT ON VIEW fraudwatch.customer_history IS
    'Per-transaction customer history for rolling-window features (a view of transaction_history since V70).';

CREATE VIEW fraudwatch.terminal_history AS
SELECT h.transaction_id, h.terminal_id, h.event_time,
       CASE WHEN l.transaction_id IS NULL THEN h.fraud ELSE l.fraud END AS fraud,
       CASE WHEN l.transaction_id IS NULL THEN h.label_known_at ELSE l.known_at END AS label_known_at,
       greatest(h.change_xid, l.change_xid)::text::xid8 AS change_xid
FROM fraudwatch.transaction_history AS h
LEFT JOIN fraudwatch.labels AS l ON l.transaction_id = h.transaction_id;
COMMENT ON VIEW fraudwatch.terminal_history IS
    'Per-transaction terminal history with the label once known (from labels; a seeded row''s own label otherwise); a view since V70.';

-- Retention: one row per transaction now, so both counts are the rows deleted.
CREATE OR REPLACE FUNCTION fraudwatch.purge_history(older_than timestamptz)
    RETURNS TABLE (customer_rows bigint, terminal_rows bigint)
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF older_than IS NULL THEN
        RAISE EXCEPTION 'purge_history: older_than is null' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    DELETE FROM fraudwatch.transaction_history WHERE event_time < older_than;
    GET DIAGNOSTICS customer_rows = ROW_COUNT;
    terminal_rows := customer_rows;
    RETURN NEXT;
END
$$;

-- Privileges (V15): the job inserts history rows and reads; it no longer updates any history. The default
-- privileges gave it SELECT, INSERT on the new table and views; nothing more is wanted (the views are not
-- insertable anyway: one lacks terminal_id, the other joins).
GRANT SELECT ON fraudwatch.transaction_history, fraudwatch.customer_history, fraudwatch.terminal_history
    TO fraudwatch_operator;
-- purge_history and maintain's batched deletes run with the operator's rights
GRANT DELETE ON fraudwatch.transaction_history TO fraudwatch_operator;
REVOKE INSERT ON fraudwatch.customer_history, fraudwatch.terminal_history FROM fraudwatch_job;
