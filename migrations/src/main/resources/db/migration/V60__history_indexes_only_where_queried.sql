-- Issue 17 item 2: indexes only where a query needs them. Every scored transaction inserts one customer and one
-- terminal history row, and each of their btree indexes is one more index entry per event on the sink's hot path.
-- No query of the product reads the history by customer or by terminal: the executors hold the history in
-- memory (HistoryCache), loaded by event_time (the BRIN indexes) and brought up to date by change_xid (V4);
-- labels reach terminal rows by transaction_id (the primary key); the tools read it by transaction_id or by
-- event_time. These two indexes were only ever written. Per event: 7 btree entries before (scored log's key,
-- and key, per-customer or per-terminal, change_xid of each history row), 5 after.
DROP INDEX fraudwatch.customer_history_customer_event_time_idx;
DROP INDEX fraudwatch.terminal_history_terminal_event_time_idx;
