-- Customer sessions and sliding-window activity (issue 16 items 1-2), computed by the job with Spark's mapWithState
-- and reduceByKeyAndWindow (docs/stream-state.md).

-- A finished session: a customer's transactions with no gap longer than sessions.gap between two of them (in event
-- time). Written once, when the session ends; a session written again after a restart is the same row.
CREATE TABLE fraudwatch.sessions (
    customer_id     text           NOT NULL,
    session_start   timestamptz    NOT NULL,
    session_end     timestamptz    NOT NULL,
    transactions    integer        NOT NULL,
    amount          numeric(16, 2) NOT NULL,
    terminals       integer        NOT NULL,
    alerts          integer        NOT NULL,
    closed_at       timestamptz    NOT NULL DEFAULT now(),
    CONSTRAINT sessions_pkey PRIMARY KEY (customer_id, session_start),
    CONSTRAINT sessions_span_check CHECK (session_end >= session_start),
    CONSTRAINT sessions_counts_check CHECK (transactions > 0 AND terminals > 0 AND terminals <= transactions
                                            AND alerts >= 0 AND alerts <= transactions)
);
CREATE INDEX sessions_session_end_idx ON fraudwatch.sessions (session_end);

COMMENT ON TABLE fraudwatch.sessions IS
    'Finished customer sessions: transactions split by an inactivity gap (sessions.gap, event time). One row per session.';
COMMENT ON COLUMN fraudwatch.sessions.session_start IS 'Event time of the session''s first transaction.';
COMMENT ON COLUMN fraudwatch.sessions.session_end IS 'Event time of the session''s last transaction.';
COMMENT ON COLUMN fraudwatch.sessions.transactions IS 'Scored transactions in the session.';
COMMENT ON COLUMN fraudwatch.sessions.amount IS 'Sum of their amounts.';
COMMENT ON COLUMN fraudwatch.sessions.terminals IS 'Distinct terminals the card was used at in the session.';
COMMENT ON COLUMN fraudwatch.sessions.alerts IS 'Transactions of the session that alerted.';
COMMENT ON COLUMN fraudwatch.sessions.closed_at IS 'When the job wrote the finished session.';

-- Sliding-window activity per terminal and per country: the job's current window values, kept up to date batch by
-- batch (a key with nothing left in its window is deleted).
CREATE TABLE fraudwatch.activity (
    window_seconds  integer        NOT NULL,
    kind            text           NOT NULL,
    key             text           NOT NULL,
    transactions    bigint         NOT NULL,
    alerts          bigint         NOT NULL,
    amount          numeric(18, 2) NOT NULL,
    batch_time      timestamptz    NOT NULL,
    CONSTRAINT activity_pkey PRIMARY KEY (window_seconds, kind, key),
    CONSTRAINT activity_kind_check CHECK (kind IN ('terminal', 'country')),
    CONSTRAINT activity_counts_check CHECK (transactions > 0 AND alerts >= 0 AND alerts <= transactions)
);

COMMENT ON TABLE fraudwatch.activity IS
    'Transactions, alerts and amount per terminal and per country over sliding windows (10 minutes, 1 hour) of batch time.';
COMMENT ON COLUMN fraudwatch.activity.window_seconds IS 'Window length: 600 or 3600.';
COMMENT ON COLUMN fraudwatch.activity.kind IS 'terminal or country (the transaction''s country; ''unknown'' when it had none).';
COMMENT ON COLUMN fraudwatch.activity.batch_time IS 'The batch whose window last changed the row.';

-- As of which batch each window is complete: written after the batch's rows.
CREATE TABLE fraudwatch.activity_windows (
    window_seconds  integer     NOT NULL,
    as_of           timestamptz NOT NULL,
    CONSTRAINT activity_windows_pkey PRIMARY KEY (window_seconds)
);
COMMENT ON TABLE fraudwatch.activity_windows IS 'The batch up to which fraudwatch.activity holds each window.';

-- The windows are rebuilt at start from the scored log of the last hour, found by batch time; BRIN because rows are
-- appended in batch order, so the index is tiny and costs the hot path next to nothing.
CREATE INDEX scored_transactions_batch_time_brin ON fraudwatch.scored_transactions USING brin (batch_time);

-- Terminals whose alert rate over the last 10 minutes is above their rate over the last hour.
CREATE VIEW fraudwatch.terminal_alert_jumps AS
SELECT s.key                                                  AS terminal_id,
       s.transactions                                         AS transactions_10m,
       s.alerts                                               AS alerts_10m,
       s.alerts::double precision / s.transactions            AS alert_rate_10m,
       l.transactions                                         AS transactions_1h,
       l.alerts                                               AS alerts_1h,
       l.alerts::double precision / l.transactions            AS alert_rate_1h,
       s.alerts::double precision / s.transactions
           - l.alerts::double precision / l.transactions      AS jump,
       greatest(s.batch_time, l.batch_time)                   AS batch_time
FROM fraudwatch.activity s
JOIN fraudwatch.activity l ON l.kind = 'terminal' AND l.key = s.key AND l.window_seconds = 3600
WHERE s.kind = 'terminal' AND s.window_seconds = 600 AND s.alerts > 0
  AND s.alerts::double precision / s.transactions > l.alerts::double precision / l.transactions;

COMMENT ON VIEW fraudwatch.terminal_alert_jumps IS
    'Terminals whose alert rate in the last 10 minutes exceeds their last hour''s; the dashboard lists the largest jumps.';

-- The job keeps the activity rows current (upsert, delete) and writes sessions; analysts and the dashboard read.
GRANT UPDATE, DELETE ON fraudwatch.activity, fraudwatch.activity_windows TO fraudwatch_job;
GRANT SELECT ON fraudwatch.sessions, fraudwatch.activity, fraudwatch.activity_windows, fraudwatch.terminal_alert_jumps
    TO fraudwatch_analyst;
GRANT SELECT ON fraudwatch.sessions, fraudwatch.activity, fraudwatch.activity_windows, fraudwatch.terminal_alert_jumps
    TO fraudwatch_operator;
