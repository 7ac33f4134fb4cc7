package io.fraudwatch.app.bench;

import io.fraudwatch.bench.BenchWorkload;
import io.fraudwatch.features.handbook.HandbookRow;
import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;
import javax.sql.DataSource;
import org.postgresql.PGConnection;

/**
 * Writes the bench workload's history into the job's history table: the only code of the bench that
 * writes it, so a change of how the history is stored is made here (its SQL is the three statements
 * below). Seeded rows carry their own labels (V70), as {@code HistorySeed}'s do.
 *
 * <p>Fast enough for tens of millions of rows: each chunk of customers goes by text COPY into a
 * session temporary table and from there into the history table by one INSERT ... SELECT in one
 * transaction (a row already there is kept, so seeding twice is harmless), on {@link #WRITERS}
 * connections at once while this thread generates the next chunks.
 */
final class BenchHistorySeed {
  /** History rows per chunk: one COPY and one commit. */
  static final int CHUNK_ROWS = 50_000;

  /** Connections writing at once (PostgreSQL does the index work of one chunk per connection). */
  static final int WRITERS = 2;

  private static final String STAGING =
      """
      CREATE TEMPORARY TABLE IF NOT EXISTS bench_history_seed (
          transaction_id text, customer_id text, terminal_id text, event_time timestamptz,
          amount numeric(14, 2), fraud boolean, label_known_at timestamptz)
      ON COMMIT DELETE ROWS""";
  private static final String COPY_STAGING = "COPY bench_history_seed FROM STDIN";
  private static final String INSERT_HISTORY =
      """
      INSERT INTO fraudwatch.transaction_history
          (transaction_id, customer_id, terminal_id, event_time, amount, fraud, label_known_at)
      SELECT * FROM bench_history_seed
      ON CONFLICT (transaction_id) DO NOTHING""";

  private BenchHistorySeed() {}

  /**
   * Writes the workload's history, labels known one {@code labelDelay} after each row; reports rows
   * written so far after each chunk.
   */
  static void write(
      DataSource db, BenchWorkload workload, Duration labelDelay, LongConsumer progress)
      throws SQLException {
    Objects.requireNonNull(labelDelay, "labelDelay");
    int customersPerChunk = Math.max(1, CHUNK_ROWS / Math.max(1, workload.historyPerCustomer()));
    ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
    ArrayDeque<Future<Integer>> inFlight = new ArrayDeque<>();
    long written = 0;
    try {
      for (int from = 0; from < workload.customers(); from += customersPerChunk) {
        List<HandbookRow> rows =
            workload.history(from, Math.min(workload.customers(), from + customersPerChunk));
        String copy = copyText(rows, labelDelay);
        // at most one chunk waiting per writer besides the ones being written: bounded memory
        while (inFlight.size() >= 2 * WRITERS) {
          written += await(inFlight.poll());
          progress.accept(written);
        }
        inFlight.add(writers.submit(() -> writeChunk(db, copy, rows.size())));
      }
      while (!inFlight.isEmpty()) {
        written += await(inFlight.poll());
        progress.accept(written);
      }
    } finally {
      writers.shutdownNow();
    }
  }

  private static int writeChunk(DataSource db, String copy, int rows)
      throws SQLException, IOException {
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.execute(STAGING);
        c.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY_STAGING, new StringReader(copy));
        s.executeUpdate(INSERT_HISTORY);
        c.commit();
      } catch (SQLException | IOException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
    return rows;
  }

  /**
   * The rows as COPY text: tab-separated, times in ISO-8601 UTC (no time zone conversion). The
   * workload's ids are decimal numbers, which need no COPY escaping.
   */
  private static String copyText(List<HandbookRow> rows, Duration labelDelay) {
    StringBuilder text = new StringBuilder(rows.size() * 96);
    for (HandbookRow r : rows) {
      Instant time = r.eventTime();
      text.append(r.transactionId())
          .append('\t')
          .append(r.customerId())
          .append('\t')
          .append(r.terminalId())
          .append('\t')
          .append(time)
          .append('\t')
          .append(r.amount())
          .append('\t')
          .append(r.fraud() ? 't' : 'f')
          .append('\t')
          .append(time.plus(labelDelay))
          .append('\n');
    }
    return text.toString();
  }

  private static int await(Future<Integer> chunk) throws SQLException {
    try {
      return chunk.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted while writing the bench history", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof SQLException sql) {
        throw sql;
      }
      throw new SQLException("cannot write the bench history: " + e.getCause(), e.getCause());
    }
  }
}
