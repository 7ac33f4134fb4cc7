package io.fraudwatch.features.handbook;

import io.fraudwatch.avro.StoreLimits;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

/**
 * Reads the handbook's transaction CSV (see {@code shared/data/handbook-raw/README.md}), gzip or
 * plain (told apart by content, not by name), any number of files, row by row. Columns are found by
 * header name in any order; other columns are ignored, but for two optional ones: the fraud
 * scenario and the reported label ({@value #REPORTED_COLUMN}, the label the system is told where it
 * may differ from the truth in TX_FRAUD). Rows that cannot be parsed, and rows whose TRANSACTION_ID
 * was already read (from any of the files), are skipped and counted, per file too, the first few
 * kept with file and line number for the report. A file is refused as a whole, with its name and
 * line, when it is not handbook CSV: empty, binary, a first line that is not a header with the
 * required columns, or data rows of which none can be read. Fields are plain comma-separated values
 * (optionally in double quotes, without embedded commas). TX_DATETIME is a naive ISO date-time,
 * read as UTC.
 */
public final class HandbookCsv {

  public static final List<String> REQUIRED_COLUMNS =
      List.of(
          "TRANSACTION_ID", "TX_DATETIME", "CUSTOMER_ID", "TERMINAL_ID", "TX_AMOUNT", "TX_FRAUD");
  public static final String SCENARIO_COLUMN = "TX_FRAUD_SCENARIO";

  /**
   * Optional: the label the system is told, where it may differ from the truth in TX_FRAUD
   * (simulated label noise).
   */
  public static final String REPORTED_COLUMN = "TX_FRAUD_REPORTED";

  public static final int DEFAULT_MAX_REPORTED_SKIPS = 20;

  private static final int GZIP_MAGIC_1 = 0x1f;
  private static final int GZIP_MAGIC_2 = 0x8b;
  private static final int BUFFER_BYTES = 1 << 16;

  /**
   * A header longer than this is no handbook header (and a binary file has no line end to stop at).
   */
  static final int MAX_HEADER_CHARS = 8192;

  /** Rows parsed into memory, with the report of the read. */
  public record Loaded(List<HandbookRow> rows, ReadReport report) {}

  private final int maxReportedSkips;

  public HandbookCsv() {
    this(DEFAULT_MAX_REPORTED_SKIPS);
  }

  /**
   * @param maxReportedSkips how many skipped rows to keep with file and line (all are counted)
   */
  public HandbookCsv(int maxReportedSkips) {
    if (maxReportedSkips < 0) {
      throw new IllegalArgumentException("maxReportedSkips must be >= 0, got " + maxReportedSkips);
    }
    this.maxReportedSkips = maxReportedSkips;
  }

  /**
   * Streams the rows of the files, in file order and line order within each, to {@code sink}.
   *
   * @throws HandbookFormatException when a file is empty or lacks required columns
   * @throws IOException when a file cannot be read (the message names it)
   */
  public ReadReport forEach(List<Path> files, Consumer<? super HandbookRow> sink)
      throws IOException {
    Tally tally = new Tally(maxReportedSkips);
    List<ReadReport.FileCount> counts = new ArrayList<>();
    for (Path file : files) {
      long read = tally.read;
      long skipped = tally.skipped;
      readFile(file, sink, tally);
      counts.add(new ReadReport.FileCount(file, tally.read - read, tally.skipped - skipped));
    }
    return new ReadReport(tally.read, tally.skipped, tally.firstSkipped, counts);
  }

  /** Reads every row of the files into memory. */
  public Loaded readAll(List<Path> files) throws IOException {
    return readAll(files, row -> true);
  }

  /** Reads the rows of the files that {@code keep} accepts into memory, in file order. */
  public Loaded readAll(List<Path> files, Predicate<? super HandbookRow> keep) throws IOException {
    List<HandbookRow> rows = new ArrayList<>();
    ReadReport report =
        forEach(
            files,
            row -> {
              if (keep.test(row)) {
                rows.add(row);
              }
            });
    return new Loaded(rows, report);
  }

  /** Accepts rows whose event date (UTC) is within {@code from..to}, both inclusive. */
  public static Predicate<HandbookRow> onDates(LocalDate from, LocalDate to) {
    if (to.isBefore(from)) {
      throw new IllegalArgumentException(
          "date window ends (" + to + ") before it starts (" + from + ")");
    }
    Instant start = from.atStartOfDay(ZoneOffset.UTC).toInstant();
    Instant endExclusive = to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    return row -> !row.eventTime().isBefore(start) && row.eventTime().isBefore(endExclusive);
  }

  /** A copy of the rows in {@link HandbookRow#REPLAY_ORDER}: event time, then transaction id. */
  public static List<HandbookRow> sortedForReplay(Collection<HandbookRow> rows) {
    List<HandbookRow> sorted = new ArrayList<>(rows);
    sorted.sort(HandbookRow.REPLAY_ORDER);
    return sorted;
  }

  private static void readFile(Path file, Consumer<? super HandbookRow> sink, Tally tally)
      throws IOException {
    long line = 0;
    long readBefore = tally.read;
    long skippedBefore = tally.skipped;
    SkippedRow firstSkippedHere = null;
    try (BufferedReader reader = open(file)) {
      requireTextHeader(file, reader);
      String header = reader.readLine();
      line++;
      if (header == null) {
        throw new HandbookFormatException(
            file,
            1,
            "not handbook CSV: the file is empty, expected a header with "
                + String.join(", ", REQUIRED_COLUMNS));
      }
      Columns columns = Columns.of(file, header);
      String text;
      while ((text = reader.readLine()) != null) {
        line++;
        if (text.isBlank()) {
          continue;
        }
        HandbookRow row;
        try {
          row = columns.parse(text);
          if (!tally.ids.add(row.transactionId())) {
            throw new IllegalArgumentException(
                "TRANSACTION_ID "
                    + row.transactionId()
                    + " was already read (a duplicate row, or a file given twice)");
          }
        } catch (IllegalArgumentException e) {
          SkippedRow skipped = new SkippedRow(file, line, e.getMessage());
          firstSkippedHere = firstSkippedHere == null ? skipped : firstSkippedHere;
          tally.skip(skipped);
          continue;
        }
        tally.read++;
        sink.accept(row);
      }
    } catch (HandbookFormatException e) {
      throw e;
    } catch (IOException e) {
      throw new IOException(file + ": cannot read past line " + line + ": " + e.getMessage(), e);
    }
    if (tally.read == readBefore && firstSkippedHere != null) {
      throw new HandbookFormatException(
          file,
          firstSkippedHere.line(),
          "none of its "
              + (tally.skipped - skippedBefore)
              + " data rows could be read; the first: "
              + firstSkippedHere.reason());
    }
  }

  /**
   * Refuses a file whose first line is binary or has no line end within {@link #MAX_HEADER_CHARS}:
   * reading it as a line would pull a whole binary file into memory.
   */
  private static void requireTextHeader(Path file, BufferedReader reader) throws IOException {
    char[] head = new char[MAX_HEADER_CHARS + 1];
    reader.mark(head.length);
    int n = 0;
    int got;
    while (n < head.length && (got = reader.read(head, n, head.length - n)) > 0) {
      n += got;
    }
    reader.reset();
    for (int i = 0; i < n; i++) {
      char c = head[i];
      if (c == '\n' || c == '\r') {
        return;
      }
      if (c == 0 || c == '\uFFFD') {
        throw new HandbookFormatException(
            file, 1, "not handbook CSV: binary content in the first line");
      }
    }
    if (n > MAX_HEADER_CHARS) {
      throw new HandbookFormatException(
          file,
          1,
          "not handbook CSV: the first line is longer than " + MAX_HEADER_CHARS + " characters");
    }
  }

  /** Opens a file as text, decompressing when it starts with the gzip magic bytes. */
  private static BufferedReader open(Path file) throws IOException {
    InputStream in = new BufferedInputStream(Files.newInputStream(file), BUFFER_BYTES);
    try {
      in.mark(2);
      boolean gzip = in.read() == GZIP_MAGIC_1 && in.read() == GZIP_MAGIC_2;
      in.reset();
      if (gzip) {
        in = new GZIPInputStream(in, BUFFER_BYTES);
      }
    } catch (IOException e) {
      in.close();
      throw e;
    }
    return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), BUFFER_BYTES);
  }

  private static final class Tally {
    private final int maxReported;
    private final List<SkippedRow> firstSkipped = new ArrayList<>();
    private final IdSet ids = new IdSet();
    private long read;
    private long skipped;

    Tally(int maxReported) {
      this.maxReported = maxReported;
    }

    void skip(SkippedRow row) {
      skipped++;
      if (firstSkipped.size() < maxReported) {
        firstSkipped.add(row);
      }
    }
  }

  /**
   * Transaction ids seen: a bit set for the small non-negative ids data sets use, a hash set for
   * the others.
   */
  private static final class IdSet {
    private static final long BITSET_LIMIT = 1L << 27; // 16 MiB of bits at most
    private final BitSet small = new BitSet();
    private final Set<Long> other = new HashSet<>();

    /** False when {@code id} was added before. */
    boolean add(long id) {
      if (id >= 0 && id < BITSET_LIMIT) {
        if (small.get((int) id)) {
          return false;
        }
        small.set((int) id);
        return true;
      }
      return other.add(id);
    }
  }

  /** Where each needed column is in a file's rows. */
  private record Columns(
      int count,
      int id,
      int datetime,
      int customer,
      int terminal,
      int amount,
      int fraud,
      int scenario,
      int reported) {

    static Columns of(Path file, String header) throws HandbookFormatException {
      String[] names = split(header.startsWith("\uFEFF") ? header.substring(1) : header);
      Map<String, Integer> index = new HashMap<>();
      for (int i = 0; i < names.length; i++) {
        if (index.put(names[i], i) != null) {
          throw new HandbookFormatException(
              file, 1, "not handbook CSV: column " + names[i] + " appears twice in the header");
        }
      }
      List<String> missing =
          REQUIRED_COLUMNS.stream().filter(name -> !index.containsKey(name)).toList();
      if (!missing.isEmpty()) {
        String shown = header.length() > 200 ? header.substring(0, 200) + "..." : header;
        throw new HandbookFormatException(
            file,
            1,
            "not handbook CSV: missing required column(s) "
                + String.join(", ", missing)
                + " (header: "
                + shown
                + ")");
      }
      return new Columns(
          names.length,
          index.get("TRANSACTION_ID"),
          index.get("TX_DATETIME"),
          index.get("CUSTOMER_ID"),
          index.get("TERMINAL_ID"),
          index.get("TX_AMOUNT"),
          index.get("TX_FRAUD"),
          index.getOrDefault(SCENARIO_COLUMN, -1),
          index.getOrDefault(REPORTED_COLUMN, -1));
    }

    HandbookRow parse(String text) {
      String[] f = split(text);
      if (f.length != count) {
        throw new IllegalArgumentException("expected " + count + " fields, got " + f.length);
      }
      long transactionId = wholeNumber("TRANSACTION_ID", f[id]);
      Instant eventTime = dateTime(f[datetime]);
      require(StoreLimits.timeProblem("TX_DATETIME", eventTime));
      String customerId = identifier("CUSTOMER_ID", f[customer]);
      String terminalId = identifier("TERMINAL_ID", f[terminal]);
      double txAmount = amount(f[amount]);
      boolean label = zeroOrOne("TX_FRAUD", f[fraud]);
      boolean reportedLabel = reported < 0 ? label : zeroOrOne(REPORTED_COLUMN, f[reported]);
      long fraudScenario = scenario < 0 ? 0 : wholeNumber(SCENARIO_COLUMN, f[scenario]);
      if (fraudScenario < 0 || fraudScenario > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            SCENARIO_COLUMN + ": not a scenario number: '" + f[scenario] + "'");
      }
      return new HandbookRow(
          transactionId,
          eventTime,
          customerId,
          terminalId,
          txAmount,
          label,
          (int) fraudScenario,
          reportedLabel);
    }

    private static boolean zeroOrOne(String column, String value) {
      long label = wholeNumber(column, value);
      if (label != 0 && label != 1) {
        throw new IllegalArgumentException(column + ": expected 0 or 1, got '" + value + "'");
      }
      return label == 1;
    }

    private static String[] split(String line) {
      String[] fields = line.split(",", -1);
      for (int i = 0; i < fields.length; i++) {
        String field = fields[i].strip();
        if (field.length() >= 2 && field.startsWith("\"") && field.endsWith("\"")) {
          field = field.substring(1, field.length() - 1);
        }
        fields[i] = field;
      }
      return fields;
    }

    /** Integers as pandas may write them, including "3.0" after a column held a missing value. */
    private static long wholeNumber(String column, String value) {
      try {
        return Long.parseLong(value);
      } catch (NumberFormatException notLong) {
        try {
          double d = Double.parseDouble(value);
          if (d == Math.rint(d) && Math.abs(d) < 0x1p53) {
            return (long) d;
          }
        } catch (NumberFormatException notNumber) {
          // reported below
        }
        throw new IllegalArgumentException(column + ": not a whole number: '" + value + "'");
      }
    }

    private static double amount(String value) {
      double d;
      try {
        d = Double.parseDouble(value);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("TX_AMOUNT: not a number: '" + value + "'");
      }
      if (!Double.isFinite(d)) {
        throw new IllegalArgumentException("TX_AMOUNT: not finite: '" + value + "'");
      }
      require(StoreLimits.amountProblem("TX_AMOUNT", d));
      return d;
    }

    private static String identifier(String column, String value) {
      if (value.isEmpty()) {
        throw new IllegalArgumentException(column + ": empty");
      }
      require(StoreLimits.idProblem(column, value));
      return value;
    }

    /**
     * A value the job's stores could not hold ({@link StoreLimits}) makes the row unreadable: the
     * backtest writes rows straight into the feature history, and the job would dead-letter them.
     */
    private static void require(String problem) {
      if (problem != null) {
        throw new IllegalArgumentException(problem);
      }
    }

    /**
     * A naive ISO date-time ('T' or space between date and time) read as UTC, or one with an
     * offset.
     */
    private static Instant dateTime(String value) {
      String iso =
          value.length() > 10 && value.charAt(10) == ' '
              ? value.substring(0, 10) + 'T' + value.substring(11)
              : value;
      try {
        return LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException naive) {
        try {
          return OffsetDateTime.parse(iso).toInstant();
        } catch (DateTimeParseException withOffset) {
          throw new IllegalArgumentException("TX_DATETIME: not an ISO date-time: '" + value + "'");
        }
      }
    }
  }
}
