package io.fraudwatch.scoring.sink;

import io.fraudwatch.avro.StoreLimits;
import io.fraudwatch.scoring.ScoredTransaction;
import io.fraudwatch.scoring.maintenance.PartitionMaintenance;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGStatement;
import org.postgresql.copy.CopyIn;

/**
 * Writes what one Kafka partition's share of a batch produced, in the caller's transaction: the
 * scored transactions, their alerts, their transaction history rows (one per transaction: customer,
 * terminal, event time, amount; migration V70), and the partition's next offset. Every row is
 * idempotent by transaction id, so a replayed batch inserts nothing twice, and since the offset
 * commits with the rows it never runs ahead of them.
 *
 * <p>In the common case, every transaction id new and every row's day with its partition, the rows
 * go by binary COPY ({@link BinaryCopyRows}) straight into the history, the scored log and the
 * alerts ({@link #copyNew}). Otherwise scored rows are sent with binary COPY into a session
 * temporary staging table (emptied at each commit) and inserted from there by one statement that
 * also inserts the alerts and history rows from the same staging rows, each idempotent by
 * transaction id. Reason codes are stored as {@link ReasonCodeFormat} text. Labels are not copied:
 * readers of the history join {@code labels}, whichever of the two arrived first.
 *
 * <p>It never creates partitions of scored_transactions (DDL on the parent inside every streaming
 * transaction): they are made ahead of time ({@code PartitionMaintenance}); a row whose day has
 * none lands in the DEFAULT partition, which {@link Written#defaultPartition} counts.
 *
 * <p>A transaction id is stored once: rows whose id the history table already holds insert nothing
 * there, and the caller learns of them ({@link Written#alreadyStored}) to tell a duplicate delivery
 * from a different transaction under a used id ({@link #storedCopies}, {@link StoredCopy#judge}).
 * When PostgreSQL refuses the rows, {@link #findRefused} finds which.
 *
 * <p>Thread-safe (stateless).
 */
public final class PartitionWriter {

  /**
   * What {@link #write} inserted; rows already stored by an earlier run of the batch do not count.
   *
   * @param history transaction history rows inserted (one per transaction id not stored before)
   * @param changeXid the caller's transaction id (xid8), which stamps the history rows inserted
   *     (their {@code change_xid}, migrations V4 and V70); 0 when there were no rows to write
   * @param defaultPartition of the scored rows inserted, those that went to the DEFAULT partition
   *     (no partition for their day yet)
   * @param alreadyStored ids of rows whose transaction id the history already held, so that nothing
   *     of them was inserted unless their event time differs (the scored log's key): see {@link
   *     #storedCopies}
   */
  public record Written(
      int scored,
      int alerts,
      int history,
      long changeXid,
      int defaultPartition,
      List<String> alreadyStored) {
    static final Written NONE = new Written(0, 0, 0, 0, 0, List.of());

    public Written {
      alreadyStored = List.copyOf(alreadyStored);
    }
  }

  private static final int COPY_CHUNK_BYTES = 1 << 16;

  /** The staging table's columns as its COPY lists them (see {@link #appendScoredRow}). */
  private static final String STAGED_COLUMNS = scoredRowColumns("threshold");

  /**
   * The scored log's columns as {@link #copyNew}'s COPY lists them (see {@link #appendScoredRow}).
   */
  private static final String SCORED_COLUMNS = scoredRowColumns("batch_time");

  /** The columns {@link #appendScoredRow} writes, with {@code twelfth} the one that differs. */
  private static String scoredRowColumns(String twelfth) {
    return "(transaction_id, event_time, customer_id, terminal_id, amount, features, score,"
        + " model_version, challenger_score, challenger_version, alert, "
        + twelfth
        + ", reason_codes, kafka_partition, kafka_offset, model_alert, rule_hits, rule_set)";
  }

  /**
   * @param c a connection with auto-commit off; the caller commits (or rolls back) after this
   *     returns
   * @param nextOffset the offset after the last record of the partition's range in this batch
   * @param rows the partition's scored transactions, all from {@code kafkaPartition} below {@code
   *     nextOffset}, each transaction id once
   * @throws IllegalStateException when {@code c} is in auto-commit mode
   * @throws IllegalArgumentException when a row is from another partition, at or past {@code
   *     nextOffset}, or is a model alert below its threshold
   */
  public Written write(
      Connection c,
      String jobName,
      String topic,
      int kafkaPartition,
      long nextOffset,
      Instant batchTime,
      List<ScoredTransaction> rows)
      throws SQLException {
    Objects.requireNonNull(jobName, "jobName");
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(batchTime, "batchTime");
    CallerTransaction.require(c, "PartitionWriter");
    validate(kafkaPartition, nextOffset, rows);
    Written written = Written.NONE;
    if (!rows.isEmpty()) {
      Optional<Written> copied = copyNew(c, batchTime, rows);
      if (copied.isPresent()) {
        written = copied.get();
      } else {
        stage(c, rows);
        written = insertFromStaging(c, batchTime);
      }
    }
    OffsetStore.save(c, jobName, topic, kafkaPartition, nextOffset, batchTime);
    return written;
  }

  /**
   * The rows PostgreSQL refuses on their own, after a {@link #write} of them was refused ({@link
   * SqlStates#refusesData}) and rolled back. Nothing stays written: the caller writes the other
   * rows afterwards.
   *
   * @param c a connection with auto-commit off, in a transaction with nothing written yet
   */
  public List<Refused<ScoredTransaction>> findRefused(
      Connection c, Instant batchTime, List<ScoredTransaction> rows) throws SQLException {
    CallerTransaction.require(c, "PartitionWriter");
    return RefusedRows.find(
        c,
        rows,
        part -> {
          stage(c, part);
          insertFromStaging(c, batchTime);
        });
  }

  /** What the tables hold for these transaction ids (ids they do not hold are absent), by id. */
  public static Map<String, StoredCopy> storedCopies(
      Connection c, Collection<String> transactionIds) throws SQLException {
    Map<String, StoredCopy> copies = new HashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            """
        SELECT h.transaction_id, h.customer_id, h.terminal_id, h.event_time, h.amount, s.kafka_partition, s.kafka_offset
        FROM fraudwatch.transaction_history AS h
        LEFT JOIN fraudwatch.scored_transactions AS s
            ON s.transaction_id = h.transaction_id AND s.event_time = h.event_time
        WHERE h.transaction_id = ANY (?::text[])""")) {
      ps.setArray(1, c.createArrayOf("text", transactionIds.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          int partition = rs.getInt(6);
          Integer kafkaPartition = rs.wasNull() ? null : partition;
          long offset = rs.getLong(7);
          Long kafkaOffset = rs.wasNull() ? null : offset;
          copies.put(
              rs.getString(1),
              new StoredCopy(
                  rs.getString(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getObject(4, OffsetDateTime.class).toInstant(),
                  rs.getBigDecimal(5),
                  kafkaPartition,
                  kafkaOffset));
        }
      }
    }
    return copies;
  }

  private static void validate(int kafkaPartition, long nextOffset, List<ScoredTransaction> rows) {
    for (ScoredTransaction row : rows) {
      if (row.kafkaPartition() != kafkaPartition || row.kafkaOffset() >= nextOffset) {
        throw new IllegalArgumentException(
            "transaction "
                + row.transactionId()
                + " is at partition "
                + row.kafkaPartition()
                + " offset "
                + row.kafkaOffset()
                + ", outside the range being committed"
                + " (partition "
                + kafkaPartition
                + ", offsets below "
                + nextOffset
                + ")");
      }
      if (row.modelAlert() && !(row.score() >= row.threshold())) {
        throw new IllegalArgumentException(
            "transaction "
                + row.transactionId()
                + " is a model alert with score "
                + row.score()
                + " below its threshold "
                + row.threshold());
      }
    }
  }

  /**
   * The transaction id that will stamp the history rows, and whether every one of these UTC days
   * has its scored_transactions partition (named as {@link PartitionMaintenance#PARTITION_PREFIX}
   * says), in one round trip.
   */
  private static final String BEFORE_COPY =
      """
      SELECT pg_current_xact_id()::text,
          NOT EXISTS (
              SELECT 1 FROM unnest(?::text[]) AS d
              WHERE NOT EXISTS (
                  SELECT 1 FROM pg_inherits AS i JOIN pg_class AS p ON p.oid = i.inhrelid
                  WHERE i.inhparent = 'fraudwatch.scored_transactions'::regclass
                      AND p.relname = '%s' || to_char(d::date, '%s')))"""
          .formatted(
              PartitionMaintenance.PARTITION_PREFIX, PartitionMaintenance.PARTITION_DAY_FORMAT);

  /**
   * The common case without the staging table: binary COPY straight into the history, the scored
   * log and the alerts. It spares PostgreSQL the staging rows' write and read, the anti joins and
   * {@code ON CONFLICT}'s speculative insertion, and lets COPY insert in multi-row batches. Empty,
   * with nothing written, when a row's day has no partition yet (the staging statement counts the
   * rows that go to the DEFAULT partition) or when a transaction id is already stored: the COPY
   * fails with a unique violation and is rolled back to before it, and the staging statement sorts
   * the rows out.
   */
  private static Optional<Written> copyNew(
      Connection c, Instant batchTime, List<ScoredTransaction> rows) throws SQLException {
    long changeXid;
    try (PreparedStatement ps = c.prepareStatement(BEFORE_COPY)) {
      ps.setArray(
          1,
          c.createArrayOf(
              "text",
              rows.stream()
                  .map(r -> LocalDate.ofInstant(r.eventTime(), ZoneOffset.UTC).toString())
                  .distinct()
                  .toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        changeXid = Long.parseLong(rs.getString(1));
        if (!rs.getBoolean(2)) {
          return Optional.empty();
        }
      }
    }
    Savepoint beforeCopy = c.setSavepoint();
    int alerts;
    try {
      copy(
          c,
          "fraudwatch.transaction_history"
              + " (transaction_id, customer_id, terminal_id, event_time, amount, change_xid)",
          rows,
          (out, row) ->
              out.row(6)
                  .text(row.transactionId())
                  .text(row.customerId())
                  .text(row.terminalId())
                  .timestamptz(row.eventTime())
                  .numericCents(cents(row))
                  .int8Field(changeXid));
      copy(
          c,
          "fraudwatch.scored_transactions " + SCORED_COLUMNS,
          rows,
          (out, row) -> appendScored(out, row, batchTime));
      List<ScoredTransaction> alerted = rows.stream().filter(ScoredTransaction::alert).toList();
      if (!alerted.isEmpty()) {
        copy(
            c,
            "fraudwatch.alerts (transaction_id, customer_id, terminal_id, amount, event_time,"
                + " score, threshold, model_version, reason_codes, model_alert, rule_set)",
            alerted,
            PartitionWriter::appendAlert);
      }
      alerts = alerted.size();
    } catch (SQLException e) {
      if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
        throw e;
      }
      c.rollback(beforeCopy);
      return Optional.empty();
    }
    return Optional.of(new Written(rows.size(), alerts, rows.size(), changeXid, 0, List.of()));
  }

  /** Appends one row's columns to a binary COPY. */
  private interface RowFormat {
    void append(BinaryCopyRows out, ScoredTransaction row);
  }

  private static void copy(
      Connection c, String tableAndColumns, List<ScoredTransaction> rows, RowFormat format)
      throws SQLException {
    CopyIn copy =
        c.unwrap(PGConnection.class)
            .getCopyAPI()
            .copyIn("COPY " + tableAndColumns + " FROM STDIN (FORMAT binary)");
    try {
      BinaryCopyRows out = new BinaryCopyRows().header();
      for (ScoredTransaction row : rows) {
        format.append(out, row);
        if (out.size() >= COPY_CHUNK_BYTES) {
          out.sendTo(copy);
        }
      }
      out.trailer().sendTo(copy);
      copy.endCopy();
    } finally {
      if (copy.isActive()) {
        copy.cancelCopy();
      }
    }
  }

  /** One scored_transactions row, its columns in {@link #SCORED_COLUMNS}' order. */
  private static void appendScored(BinaryCopyRows out, ScoredTransaction row, Instant batchTime) {
    appendScoredRow(out, row, o -> o.timestamptz(batchTime));
  }

  /**
   * One alerts row, its columns in {@link #copyNew}'s order; its reasons are the rules that fired
   * ({@code rule:NAME}) and then the model's, as the staging statement writes them.
   */
  private static void appendAlert(BinaryCopyRows out, ScoredTransaction row) {
    List<String> reasons = new ArrayList<>(row.ruleHits().size() + row.reasonCodes().size());
    row.ruleHits().forEach(h -> reasons.add("rule:" + h));
    row.reasonCodes().forEach(r -> reasons.add(ReasonCodeFormat.format(r)));
    out.row(11)
        .text(row.transactionId())
        .text(row.customerId())
        .text(row.terminalId())
        .numericCents(cents(row))
        .timestamptz(row.eventTime())
        .float8Field(row.score())
        .float8Field(row.threshold())
        .int8Field(row.modelVersion())
        .textArray(reasons)
        .bool(row.modelAlert())
        .int8Field(row.ruleSet());
  }

  private static long cents(ScoredTransaction row) {
    return StoreLimits.unscaledCents(row.amount());
  }

  private static void stage(Connection c, List<ScoredTransaction> rows) throws SQLException {
    try (Statement s = c.createStatement()) {
      // session-lived (no catalog churn per batch); ON COMMIT DELETE ROWS empties it with every
      // commit
      s.execute(
          """
          CREATE TEMP TABLE IF NOT EXISTS fraudwatch_scored_staging (
              transaction_id text, event_time timestamptz, customer_id text, terminal_id text,
              amount numeric(14, 2), features double precision[], score double precision, model_version bigint,
              challenger_score double precision, challenger_version bigint, alert boolean,
              threshold double precision, reason_codes text[], kafka_partition integer, kafka_offset bigint,
              model_alert boolean, rule_hits text[], rule_set bigint
          ) ON COMMIT DELETE ROWS""");
    }
    copy(c, "pg_temp.fraudwatch_scored_staging " + STAGED_COLUMNS, rows, PartitionWriter::append);
  }

  /** One staging row, its columns in {@link #STAGED_COLUMNS}' order. */
  private static void append(BinaryCopyRows out, ScoredTransaction row) {
    appendScoredRow(out, row, o -> o.float8Field(row.threshold()));
  }

  /**
   * The columns the staging table and the scored log share, in the order both COPYs list them, with
   * the one where they differ (the staging row's threshold, the scored row's batch time) twelfth.
   */
  private static void appendScoredRow(
      BinaryCopyRows out, ScoredTransaction row, Consumer<BinaryCopyRows> twelfth) {
    out.row(18)
        .text(row.transactionId())
        .timestamptz(row.eventTime())
        .text(row.customerId())
        .text(row.terminalId())
        .numericCents(cents(row))
        .float8Array(row.features())
        .float8Field(row.score())
        .int8Field(row.modelVersion());
    if (row.challengerScore() != null) {
      out.float8Field(row.challengerScore()).int8Field(row.challengerVersion());
    } else {
      out.nullField().nullField();
    }
    out.bool(row.alert());
    twelfth.accept(out);
    out.textArray(row.reasonCodes().stream().map(ReasonCodeFormat::format).toList())
        .int4Field(row.kafkaPartition())
        .int8Field(row.kafkaOffset())
        .bool(row.modelAlert())
        .textArray(row.ruleHits())
        .int8Field(row.ruleSet());
  }

  /**
   * The inserts from the staging rows, in one statement (see {@link #insertFromStaging}); both its
   * parameters are the batch time. The history insert comes first: the ids it accepts are new, so
   * their scored rows go in by a plain insert, without the speculative insertion of {@code ON
   * CONFLICT} (its pre-check, speculative lock and confirm record cost PostgreSQL about as much per
   * row as the insert itself). Only the rows whose id the history held already go through {@code ON
   * CONFLICT} on the scored log, as before. Package-private for the test of its plan.
   */
  static final String INSERT_FROM_STAGING = insertFromStaging("");

  /**
   * {@link #INSERT_FROM_STAGING} with {@code ON CONFLICT} on every scored row: for the rare batch
   * in which the history accepts an id whose scored row is still stored (its history row was purged
   * or deleted, e.g. by a history retention shorter than the scored log's), where the plain insert
   * fails with a unique violation.
   */
  static final String INSERT_FROM_STAGING_ANY_STORED =
      insertFromStaging("ON CONFLICT (transaction_id, event_time) DO NOTHING");

  private static final String UNIQUE_VIOLATION = "23505";

  private static String insertFromStaging(String newIdsConflict) {
    String scoredColumns =
        """
        INSERT INTO fraudwatch.scored_transactions (transaction_id, event_time, customer_id, terminal_id, amount,
            features, score, model_version, challenger_score, challenger_version, alert, reason_codes,
            kafka_partition, kafka_offset, batch_time, model_alert, rule_hits, rule_set)
        SELECT s.transaction_id, s.event_time, s.customer_id, s.terminal_id, s.amount, s.features, s.score,
            s.model_version, s.challenger_score, s.challenger_version, s.alert, s.reason_codes, s.kafka_partition,
            s.kafka_offset, ?, s.model_alert, s.rule_hits, s.rule_set""";
    return """
        WITH history AS (
            INSERT INTO fraudwatch.transaction_history (transaction_id, customer_id, terminal_id, event_time, amount)
            SELECT transaction_id, customer_id, terminal_id, event_time, amount
            FROM pg_temp.fraudwatch_scored_staging
            ON CONFLICT (transaction_id) DO NOTHING
            RETURNING transaction_id),
        held AS (
            SELECT s.* FROM pg_temp.fraudwatch_scored_staging AS s
            WHERE NOT EXISTS (SELECT 1 FROM history AS h WHERE h.transaction_id = s.transaction_id)),
        new_scored AS (
            %1$s
            FROM pg_temp.fraudwatch_scored_staging AS s
            WHERE NOT EXISTS (SELECT 1 FROM held AS h WHERE h.transaction_id = s.transaction_id)
            %2$s
            RETURNING tableoid),
        held_scored AS (
            %1$s
            FROM held AS s
            ON CONFLICT (transaction_id, event_time) DO NOTHING
            RETURNING tableoid),
        scored AS (SELECT tableoid FROM new_scored UNION ALL SELECT tableoid FROM held_scored),
        alerts AS (
            INSERT INTO fraudwatch.alerts (transaction_id, customer_id, terminal_id, amount, event_time, score,
                threshold, model_version, reason_codes, model_alert, rule_set)
            SELECT transaction_id, customer_id, terminal_id, amount, event_time, score, threshold, model_version,
                ARRAY(SELECT 'rule:' || h FROM unnest(rule_hits) AS h) || reason_codes, model_alert, rule_set
            FROM pg_temp.fraudwatch_scored_staging
            WHERE alert
            ON CONFLICT (transaction_id) DO NOTHING
            RETURNING 1)
        SELECT (SELECT count(*) FROM scored), (SELECT count(*) FROM alerts), (SELECT count(*) FROM history),
            pg_current_xact_id()::text,
            (SELECT count(*) FROM scored WHERE tableoid = 'fraudwatch.scored_transactions_default'::regclass),
            (SELECT array_agg(transaction_id) FROM held)"""
        .formatted(scoredColumns, newIdsConflict);
  }

  /**
   * One statement, so one round trip: the inserts from the staging rows, each counting what it
   * inserted (the scored rows by the partition they went to: {@code tableoid} is the leaf
   * partition's), and the ids the history already held. Runs {@link #INSERT_FROM_STAGING} under a
   * savepoint, and {@link #INSERT_FROM_STAGING_ANY_STORED} instead when that finds a scored row
   * stored under an id the history accepted.
   */
  private static Written insertFromStaging(Connection c, Instant batchTime) throws SQLException {
    // kept until the commit (a release would cost a round trip; nothing depends on it)
    Savepoint beforeInsert = c.setSavepoint();
    try {
      return insertFromStaging(c, INSERT_FROM_STAGING, batchTime);
    } catch (SQLException e) {
      if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
        throw e;
      }
      c.rollback(beforeInsert);
      return insertFromStaging(c, INSERT_FROM_STAGING_ANY_STORED, batchTime);
    }
  }

  private static Written insertFromStaging(Connection c, String statement, Instant batchTime)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(statement)) {
      // planned at every execution, never a cached generic plan: the join and scans follow the
      // staging rows' count. NOT EXISTS, not NOT IN: PostgreSQL hashes a NOT IN subquery only when
      // it fits work_mem, and otherwise rescans it for every staging row, quadratic in the batch (a
      // first batch of 100,000 rows ran for minutes); NOT EXISTS is an anti join, hashed or not.
      ps.unwrap(PGStatement.class).setPrepareThreshold(0);
      ps.setObject(1, batchTime.atOffset(ZoneOffset.UTC));
      ps.setObject(2, batchTime.atOffset(ZoneOffset.UTC));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        Array already = rs.getArray(6);
        return new Written(
            rs.getInt(1),
            rs.getInt(2),
            rs.getInt(3),
            Long.parseLong(rs.getString(4)),
            rs.getInt(5),
            already == null ? List.of() : List.of((String[]) already.getArray()));
      }
    }
  }
}
