package io.fraudwatch.simulator;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;

/**
 * Writes transactions in the Fraud Detection Handbook's CSV layout (the columns of its simulated
 * data set), so tools read simulated data exactly like the real files: {@code TX_DATETIME} as
 * {@code yyyy-MM-ddTHH:mm:ss} (UTC, no zone), {@code TX_TIME_SECONDS}/{@code TX_TIME_DAYS} counted
 * from the simulation start, labels as 0/1, amounts as Python prints them ({@code 146.0}, {@code
 * 57.1}, {@code 57.16}). Where reported labels may differ from the truth ({@link
 * DriftScenario#flipsLabels()}), one more column, {@value #REPORTED_COLUMN}, holds the label the
 * system is told; {@code TX_FRAUD} stays the truth.
 */
public final class HandbookCsvWriter implements Closeable {

  public static final String HEADER =
      "TRANSACTION_ID,TX_DATETIME,CUSTOMER_ID,TERMINAL_ID,TX_AMOUNT,"
          + "TX_TIME_SECONDS,TX_TIME_DAYS,TX_FRAUD,TX_FRAUD_SCENARIO";

  /** The reported label (0/1), where it may differ from the truth. */
  public static final String REPORTED_COLUMN = "TX_FRAUD_REPORTED";

  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'");
  private static final long SECONDS_PER_DAY = 86_400;

  private final Writer out;
  private final long startEpochSecond;
  private final boolean withReportedLabels;

  /**
   * The date part is formatted once per day, the time of day by hand: the formatter is costly per
   * row.
   */
  private long cachedEpochDay = Long.MIN_VALUE;

  private String cachedDatePrefix;

  /** Writes the header line at once; the caller's writer is closed by {@link #close()}. */
  public HandbookCsvWriter(Writer out, Instant simulationStart) throws IOException {
    this(out, simulationStart, false);
  }

  /**
   * With {@code withReportedLabels}, the {@value #REPORTED_COLUMN} column follows the handbook's.
   */
  public HandbookCsvWriter(Writer out, Instant simulationStart, boolean withReportedLabels)
      throws IOException {
    this.out = out;
    this.startEpochSecond = simulationStart.getEpochSecond();
    this.withReportedLabels = withReportedLabels;
    out.write(HEADER);
    if (withReportedLabels) {
      out.write(',');
      out.write(REPORTED_COLUMN);
    }
    out.write('\n');
  }

  /** Whether {@link #write} compresses {@code file}: its name ends in {@code .gz}, in any case. */
  public static boolean gzipped(Path file) {
    return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gz");
  }

  /**
   * Opens {@code file} for writing (replacing it), gzip-compressed when {@code gzip} whatever its
   * name, with the reported labels' column when {@code withReportedLabels}.
   */
  public static HandbookCsvWriter open(
      Path file, boolean gzip, Instant simulationStart, boolean withReportedLabels)
      throws IOException {
    OutputStream stream = Files.newOutputStream(file);
    try {
      if (gzip) {
        stream = new GZIPOutputStream(stream, 1 << 16);
      }
      Writer writer =
          new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16);
      return new HandbookCsvWriter(writer, simulationStart, withReportedLabels);
    } catch (IOException | RuntimeException e) {
      stream.close();
      throw e;
    }
  }

  /**
   * Writes the whole simulation to {@code file}, streaming day by day; returns the number of rows.
   */
  public static long write(Simulation simulation, Path file) throws IOException {
    try (HandbookCsvWriter writer =
        open(
            file,
            gzipped(file),
            simulation.start(),
            simulation.parameters().drift().flipsLabels())) {
      return writer.writeAll(simulation.iterator());
    }
  }

  /** Returns the number of rows written. */
  public long writeAll(Iterator<SimulatedTransaction> transactions) throws IOException {
    long rows = 0;
    while (transactions.hasNext()) {
      write(transactions.next());
      rows++;
    }
    return rows;
  }

  public void write(SimulatedTransaction transaction) throws IOException {
    long epochSecond = transaction.eventTime().getEpochSecond();
    long secondsSinceStart = epochSecond - startEpochSecond;
    if (secondsSinceStart < 0) {
      throw new IllegalArgumentException(
          "transaction "
              + transaction.transactionId()
              + " at "
              + transaction.eventTime()
              + " is before the simulation start "
              + Instant.ofEpochSecond(startEpochSecond));
    }
    StringBuilder line =
        new StringBuilder(96)
            .append(transaction.transactionId())
            .append(',')
            .append(datePrefix(epochSecond));
    appendTimeOfDay(line, Math.floorMod(epochSecond, SECONDS_PER_DAY));
    line.append(',')
        .append(transaction.customerId())
        .append(',')
        .append(transaction.terminalId())
        .append(',');
    appendAmount(line, transaction.amount());
    line.append(',')
        .append(secondsSinceStart)
        .append(',')
        .append(secondsSinceStart / SECONDS_PER_DAY)
        .append(',')
        .append(transaction.fraud() ? 1 : 0)
        .append(',')
        .append(transaction.scenario());
    if (withReportedLabels) {
      line.append(',').append(transaction.reportedFraud() ? 1 : 0);
    }
    line.append('\n');
    out.append(line);
  }

  private String datePrefix(long epochSecond) {
    long epochDay = Math.floorDiv(epochSecond, SECONDS_PER_DAY);
    if (epochDay != cachedEpochDay) {
      cachedDatePrefix = DATE.format(LocalDate.ofEpochDay(epochDay));
      cachedEpochDay = epochDay;
    }
    return cachedDatePrefix;
  }

  private static void appendTimeOfDay(StringBuilder line, long secondOfDay) {
    appendTwoDigits(line, secondOfDay / 3600).append(':');
    appendTwoDigits(line, secondOfDay / 60 % 60).append(':');
    appendTwoDigits(line, secondOfDay % 60);
  }

  private static StringBuilder appendTwoDigits(StringBuilder line, long value) {
    return line.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
  }

  @Override
  public void close() throws IOException {
    out.close();
  }

  /**
   * Amounts are whole cents, written the way Python's float repr writes such values (shortest form,
   * at least one decimal), which the handbook's CSV files use. Going through cents avoids
   * Double.toString's exponent form and its occasional non-shortest digits on Java 17.
   */
  static void appendAmount(StringBuilder line, double amount) {
    if (!(amount >= 0) || Double.isInfinite(amount)) {
      throw new IllegalArgumentException(
          "amount must be a non-negative finite number, got " + amount);
    }
    long cents = Math.round(amount * 100);
    line.append(cents / 100).append('.');
    long fraction = cents % 100;
    if (fraction % 10 == 0) {
      line.append(fraction / 10);
    } else {
      if (fraction < 10) {
        line.append('0');
      }
      line.append(fraction);
    }
  }
}
