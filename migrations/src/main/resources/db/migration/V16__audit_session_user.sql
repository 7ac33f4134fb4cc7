-- The audit trail records who was logged in to the database, next to the actor a command says it acts for
-- (`--actor`, free text). The column is set by a trigger from session_user, whatever the INSERT gives, so a
-- login cannot record another one's name. Rows older than this migration have none.

ALTER TABLE fraudwatch.model_slot_events ADD COLUMN db_user text;
ALTER TABLE fraudwatch.model_slot_events ADD CONSTRAINT model_slot_events_db_user_check CHECK (db_user IS NOT NULL) NOT VALID;
COMMENT ON COLUMN fraudwatch.model_slot_events.db_user IS
    'Database login (session_user) that recorded the event; null for events recorded before it was kept.';

CREATE FUNCTION fraudwatch.stamp_session_user() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    NEW.db_user := session_user;
    RETURN NEW;
END
$$;

CREATE TRIGGER model_slot_events_stamp_db_user BEFORE INSERT ON fraudwatch.model_slot_events
    FOR EACH ROW EXECUTE FUNCTION fraudwatch.stamp_session_user();
