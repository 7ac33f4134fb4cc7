-- Change tracking on the feature-history tables: each executor keeps the history in memory and brings it up to
-- date by reading only the rows inserted or updated (a label arriving) since its previous read, instead of the
-- whole label delay + 30 days every time.
--
-- Every row carries change_xid, the id of the transaction that last inserted or updated it. Why transaction ids
-- and not a sequence: a sequence value is taken when the row is written but becomes visible when its
-- transaction commits, in another order; a reader that remembered "the highest value seen" would skip for ever
-- a row whose writer took a lower value and committed after the read. Transaction ids come with an exact rule:
-- a reader notes the xmin of its snapshot (every transaction below it had finished, so all of their rows were
-- visible to the read), and its next read asks for change_xid >= that xmin, which covers everything the first
-- read could not see. Rows of transactions that were still running are simply read again; merging them into
-- the in-memory history is idempotent.
--
-- Rows that exist before this migration get change_xid 0 (a constant default: no table rewrite); they are read
-- by full snapshots, which every reader starts with.

ALTER TABLE fraudwatch.customer_history ADD COLUMN change_xid xid8 NOT NULL DEFAULT '0';
ALTER TABLE fraudwatch.customer_history ALTER COLUMN change_xid SET DEFAULT pg_current_xact_id();
ALTER TABLE fraudwatch.terminal_history ADD COLUMN change_xid xid8 NOT NULL DEFAULT '0';
ALTER TABLE fraudwatch.terminal_history ALTER COLUMN change_xid SET DEFAULT pg_current_xact_id();

COMMENT ON COLUMN fraudwatch.customer_history.change_xid IS
    'Transaction that last wrote the row (pg_current_xact_id()); readers fetch what changed since their last snapshot''s xmin.';
COMMENT ON COLUMN fraudwatch.terminal_history.change_xid IS
    'Transaction that last wrote the row, including its label update (pg_current_xact_id()); readers fetch what changed since their last snapshot''s xmin.';

-- Inserts take the column default; an update (the label arriving, or a correction) must move the row forward
-- too, whoever writes it.
CREATE FUNCTION fraudwatch.stamp_change_xid() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    NEW.change_xid := pg_catalog.pg_current_xact_id();
    RETURN NEW;
END
$$;

CREATE TRIGGER customer_history_stamp_change_xid BEFORE UPDATE ON fraudwatch.customer_history
    FOR EACH ROW EXECUTE FUNCTION fraudwatch.stamp_change_xid();
CREATE TRIGGER terminal_history_stamp_change_xid BEFORE UPDATE ON fraudwatch.terminal_history
    FOR EACH ROW EXECUTE FUNCTION fraudwatch.stamp_change_xid();

-- The delta read is a range scan on change_xid. (On terminal_history this makes the label update a non-HOT
-- update, one extra index entry per labelled row: the price of not scanning the table on every refresh.)
CREATE INDEX customer_history_change_xid_idx ON fraudwatch.customer_history (change_xid);
CREATE INDEX terminal_history_change_xid_idx ON fraudwatch.terminal_history (change_xid);
