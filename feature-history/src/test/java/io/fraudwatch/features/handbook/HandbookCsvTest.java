package io.fraudwatch.features.handbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.fraudwatch.avro.StoreLimits;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HandbookCsvTest {

  private static final String HANDBOOK =
      """
      TRANSACTION_ID,TX_DATETIME,CUSTOMER_ID,TERMINAL_ID,TX_AMOUNT,TX_TIME_SECONDS,TX_TIME_DAYS,TX_FRAUD,TX_FRAUD_SCENARIO
      0,2018-04-01T00:00:31,596,3156,57.16,31,0,0,0
      1,2018-04-01T00:02:10,4961,3412,81.51,130,0,1,2
      2,2018-04-02T23:59:59,2,1365,85.64999999999999,172799,1,1,3
      """;

  private static final List<HandbookRow> EXPECTED =
      List.of(
          new HandbookRow(0, Instant.parse("2018-04-01T00:00:31Z"), "596", "3156", 57.16, false, 0),
          new HandbookRow(1, Instant.parse("2018-04-01T00:02:10Z"), "4961", "3412", 81.51, true, 2),
          new HandbookRow(
              2, Instant.parse("2018-04-02T23:59:59Z"), "2", "1365", 85.64999999999999, true, 3));

  @TempDir Path dir;

  private final HandbookCsv csv = new HandbookCsv();

  private Path plain(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
  }

  private Path gzip(String name, String content) throws IOException {
    Path file = dir.resolve(name);
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(content.getBytes(StandardCharsets.UTF_8));
    }
    return file;
  }

  @Test
  void readsPlainAndGzipByContentNotByName() throws IOException {
    Path plainFile = plain("april.csv.gz", HANDBOOK); // plain despite its name
    Path gzipFile = gzip("april.csv", HANDBOOK); // gzip despite its name

    HandbookCsv.Loaded fromPlain = csv.readAll(List.of(plainFile));
    HandbookCsv.Loaded fromGzip = csv.readAll(List.of(gzipFile));

    assertThat(fromPlain.rows()).containsExactlyElementsOf(EXPECTED);
    assertThat(fromGzip.rows()).containsExactlyElementsOf(EXPECTED);
    assertThat(fromGzip.report())
        .isEqualTo(
            new ReadReport(3, 0, List.of(), List.of(new ReadReport.FileCount(gzipFile, 3, 0))));
  }

  @Test
  void findsColumnsByNameInAnyOrderAndIgnoresOthers() throws IOException {
    Path file =
        plain(
            "reordered.csv",
            """
        TX_FRAUD,EXTRA,TX_AMOUNT,TERMINAL_ID,CUSTOMER_ID,TX_DATETIME,TRANSACTION_ID\r
        1,x,81.51,3412,4961,2018-04-01 00:02:10,1\r
        """);

    HandbookCsv.Loaded loaded = csv.readAll(List.of(file));

    assertThat(loaded.rows())
        .containsExactly(
            new HandbookRow(
                1, Instant.parse("2018-04-01T00:02:10Z"), "4961", "3412", 81.51, true, 0));
  }

  @Test
  void theReportedLabelColumnIsReadBesideTheTruthAndIsTheTruthWhereAFileHasNone()
      throws IOException {
    Path noisy =
        plain(
            "noisy.csv",
            """
        TRANSACTION_ID,TX_DATETIME,CUSTOMER_ID,TERMINAL_ID,TX_AMOUNT,TX_TIME_SECONDS,TX_TIME_DAYS,TX_FRAUD,TX_FRAUD_SCENARIO,TX_FRAUD_REPORTED
        0,2018-04-01T00:00:31,596,3156,57.16,31,0,0,0,1
        1,2018-04-01T00:02:10,4961,3412,81.51,130,0,1,2,0
        2,2018-04-01T00:03:10,4961,3412,81.51,190,0,1,2,1
        3,2018-04-01T00:04:10,4961,3412,81.51,250,0,1,2,yes
        """);

    HandbookCsv.Loaded loaded = csv.readAll(List.of(noisy));

    assertThat(loaded.rows()).extracting(HandbookRow::fraud).containsExactly(false, true, true);
    assertThat(loaded.rows())
        .extracting(HandbookRow::reportedFraud)
        .containsExactly(true, false, true);
    assertThat(loaded.report().firstSkipped())
        .extracting(SkippedRow::reason)
        .containsExactly("TX_FRAUD_REPORTED: not a whole number: 'yes'");
    // what the system is told: the reported label is the label
    assertThat(loaded.rows().get(0).asReported().fraud()).isTrue();
    assertThat(loaded.rows().get(1).asReported().fraud()).isFalse();
    assertThat(loaded.rows().get(2).asReported()).isEqualTo(loaded.rows().get(2));
    // the real handbook files have no such column: reported is the truth
    assertThat(csv.readAll(List.of(plain("april.csv", HANDBOOK))).rows())
        .allMatch(row -> row.reportedFraud() == row.fraud() && row.asReported().equals(row));
  }

  @Test
  void aFileWithoutRequiredColumnsIsRejectedByName() throws IOException {
    Path file =
        plain(
            "features.csv",
            "TRANSACTION_ID,TX_DATETIME,CUSTOMER_ID,TX_AMOUNT\n0,2018-04-01T00:00:31,596,57.16\n");

    assertThatThrownBy(() -> csv.readAll(List.of(file)))
        .isInstanceOf(HandbookFormatException.class)
        .hasMessageContaining(file + ":1: not handbook CSV")
        .hasMessageContaining("missing required column(s) TERMINAL_ID, TX_FRAUD");
  }

  @Test
  void binaryAndEmptyFilesAreNotHandbookCsv() throws IOException {
    Path binary = Files.write(dir.resolve("model.bin"), new byte[] {0, 1, 2, (byte) 0xff, 10, 3});
    Path empty = plain("empty.csv", "");

    Path noLineEnd = plain("one-line.csv", "x".repeat(HandbookCsv.MAX_HEADER_CHARS + 1));
    Path gzippedBinary = dir.resolve("model.bin.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gzippedBinary))) {
      out.write(new byte[] {'P', 'K', 3, 4, 0, 0, 10});
    }

    assertThatThrownBy(() -> csv.readAll(List.of(binary)))
        .isInstanceOf(HandbookFormatException.class)
        .hasMessageContaining("model.bin:1: not handbook CSV: binary");
    assertThatThrownBy(() -> csv.readAll(List.of(gzippedBinary)))
        .isInstanceOf(HandbookFormatException.class)
        .hasMessageContaining("model.bin.gz:1: not handbook CSV: binary");
    assertThatThrownBy(() -> csv.readAll(List.of(noLineEnd)))
        .isInstanceOf(HandbookFormatException.class)
        .hasMessageContaining("one-line.csv:1: not handbook CSV")
        .hasMessageContaining("longer than " + HandbookCsv.MAX_HEADER_CHARS);
    assertThatThrownBy(() -> csv.readAll(List.of(empty)))
        .isInstanceOf(HandbookFormatException.class)
        .hasMessageContaining("empty.csv:1:")
        .hasMessageContaining("empty");
  }

  @Test
  void aFileWithoutAnyReadableRowIsRefusedAtItsFirstBadLine() throws IOException {
    Path file =
        plain(
            "features.csv",
            """
        TRANSACTION_ID,TX_DATETIME,CUSTOMER_ID,TERMINAL_ID,TX_AMOUNT,TX_FRAUD

        0,2018-04-01T00:00:31,596,3156,-0.27,0.0031
        1,2018-04-01T00:02:10,4961,3412,1.29,0.0035
        """);

    assertThatThrownBy(() -> csv.readAll(List.of(file)))
        .isInstanceOf(HandbookFormatException.class)
        .hasMessageContaining("features.csv:3: none of its 2 data rows could be read")
        .hasMessageContaining("TX_AMOUNT is negative: -0.27");
  }

  @Test
  void duplicateTransactionIdsAreSkippedAcrossFilesAndAFileGivenTwiceIsRefused()
      throws IOException {
    Path first = plain("a.csv", HANDBOOK);
    Path overlapping =
        plain(
            "b.csv",
            """
        TRANSACTION_ID,TX_DATETIME,CUSTOMER_ID,TERMINAL_ID,TX_AMOUNT,TX_FRAUD
        2,2018-04-02T23:59:59,2,1365,85.65,1
        3,2018-04-03T00:00:01,7,8,9.5,0
        """);

    HandbookCsv.Loaded loaded = csv.readAll(List.of(first, overlapping));

    assertThat(loaded.rows())
        .extracting(HandbookRow::transactionId)
        .containsExactly(0L, 1L, 2L, 3L);
    assertThat(loaded.report().firstSkipped())
        .containsExactly(
            new SkippedRow(
                overlapping,
                2,
                "TRANSACTION_ID 2 was already read (a duplicate row, or a file given twice)"));
    assertThat(loaded.report().files())
        .containsExactly(
            new ReadReport.FileCount(first, 3, 0), new ReadReport.FileCount(overlapping, 1, 1));
    assertThatThrownBy(() -> csv.readAll(List.of(first, first)))
        .isInstanceOf(HandbookFormatException.class)
        .hasMessageContaining(
            "a.csv:2: none of its 3 data rows could be read; the first: TRANSACTION_ID 0 was already read");
  }

  @Test
  void aTruncatedGzipFileIsReportedWithItsLastLine() throws IOException {
    Path whole = gzip("whole.csv.gz", HANDBOOK);
    byte[] bytes = Files.readAllBytes(whole);
    Path truncated =
        Files.write(dir.resolve("truncated.csv.gz"), Arrays.copyOf(bytes, bytes.length - 12));

    assertThatThrownBy(() -> csv.readAll(List.of(truncated)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("truncated.csv.gz: cannot read past line");
  }

  @Test
  void badRowsAreSkippedCountedAndLocated() throws IOException {
    Path file =
        plain(
            "bad.csv",
            """
        TRANSACTION_ID,TX_DATETIME,CUSTOMER_ID,TERMINAL_ID,TX_AMOUNT,TX_FRAUD
        0,2018-04-01T00:00:31,596,3156,57.16,0
        1,yesterday,4961,3412,81.51,0
        2,2018-04-01T00:07:56,2,1365,lots,0

        3,2018-04-01T00:09:29,4128,8737,64.49,2
        4,2018-04-01T00:10:00,4128,8737
        5,2018-04-01T00:11:00,4128,8737,1.0,1
        """);
    HandbookCsv limited = new HandbookCsv(3);

    HandbookCsv.Loaded loaded = limited.readAll(List.of(file));

    assertThat(loaded.rows()).extracting(HandbookRow::transactionId).containsExactly(0L, 5L);
    assertThat(loaded.report().rowsRead()).isEqualTo(2);
    assertThat(loaded.report().rowsSkipped()).isEqualTo(4);
    assertThat(loaded.report().firstSkipped())
        .containsExactly(
            new SkippedRow(file, 3, "TX_DATETIME: not an ISO date-time: 'yesterday'"),
            new SkippedRow(file, 4, "TX_AMOUNT: not a number: 'lots'"),
            new SkippedRow(file, 6, "TX_FRAUD: expected 0 or 1, got '2'"));
    assertThat(loaded.report().summary()).contains("2 rows read, 4 skipped").contains("bad.csv:3");
  }

  @Test
  void rowsTheStoresCouldNotHoldAreSkippedWithTheReason() throws IOException {
    Path file =
        plain(
            "limits.csv",
            """
        TRANSACTION_ID,TX_DATETIME,CUSTOMER_ID,TERMINAL_ID,TX_AMOUNT,TX_FRAUD
        0,2018-04-01T00:00:31,596,3156,57.16,0
        1,2018-04-01T00:01:00,596,3156,1e13,0
        2,2018-04-01T00:02:00,596,3156,-5,0
        3,1969-12-31T23:59:59,596,3156,5,0
        4,2018-04-01T00:03:00,%s,3156,5,0
        5,2018-04-01T00:04:00,-7,3156,999999999999.99,1
        """
                .formatted("c".repeat(StoreLimits.MAX_ID_BYTES + 1)));

    HandbookCsv.Loaded loaded = new HandbookCsv(10).readAll(List.of(file));

    assertThat(loaded.rows()).extracting(HandbookRow::transactionId).containsExactly(0L, 5L);
    assertThat(loaded.report().firstSkipped())
        .extracting(SkippedRow::line, SkippedRow::reason)
        .containsExactly(
            tuple(
                3L,
                "TX_AMOUNT 10000000000000 is larger than 999999999999.99, the largest numeric(14,"
                    + " 2) amount the tables hold"),
            tuple(4L, "TX_AMOUNT is negative: -5.0"),
            tuple(
                5L,
                "TX_DATETIME is outside (1970-01-01T00:00:00Z, 2261-12-31T23:59:59.999Z]: -1000 ms"
                    + " since the epoch"),
            tuple(
                6L,
                "CUSTOMER_ID is longer than 256 bytes in UTF-8 (257): ids are keys of the tables'"
                    + " indexes"));
  }

  @Test
  void streamsSeveralFilesInOrder() throws IOException {
    Path first = gzip("a.csv.gz", HANDBOOK);
    Path second =
        plain(
            "b.csv",
            """
        TRANSACTION_ID,TX_DATETIME,CUSTOMER_ID,TERMINAL_ID,TX_AMOUNT,TX_FRAUD
        7,2018-04-03T10:00:00,9,9,1.5,0
        """);
    List<Long> seen = new ArrayList<>();

    ReadReport report = csv.forEach(List.of(first, second), row -> seen.add(row.transactionId()));

    assertThat(seen).containsExactly(0L, 1L, 2L, 7L);
    assertThat(report.rowsRead()).isEqualTo(4);
  }

  @Test
  void dateWindowIsInclusiveInUtc() throws IOException {
    Path file = plain("april.csv", HANDBOOK);

    List<HandbookRow> firstDay =
        csv.readAll(
                List.of(file),
                HandbookCsv.onDates(LocalDate.of(2018, 4, 1), LocalDate.of(2018, 4, 1)))
            .rows();
    List<HandbookRow> secondDay =
        csv.readAll(
                List.of(file),
                HandbookCsv.onDates(LocalDate.of(2018, 4, 2), LocalDate.of(2018, 4, 2)))
            .rows();

    assertThat(firstDay).extracting(HandbookRow::transactionId).containsExactly(0L, 1L);
    assertThat(secondDay).extracting(HandbookRow::transactionId).containsExactly(2L);
    assertThatThrownBy(
            () -> HandbookCsv.onDates(LocalDate.of(2018, 4, 2), LocalDate.of(2018, 4, 1)))
        .hasMessageContaining("ends (2018-04-01) before it starts (2018-04-02)");
  }

  @Test
  void replayOrderIsTimeThenId() {
    Instant t = Instant.parse("2018-04-01T10:00:00Z");
    HandbookRow later = new HandbookRow(1, t.plusSeconds(1), "1", "1", 1, false, 0);
    HandbookRow sameSecondHigherId = new HandbookRow(9, t, "1", "1", 1, false, 0);
    HandbookRow sameSecondLowerId = new HandbookRow(4, t, "1", "1", 1, false, 0);

    List<HandbookRow> sorted =
        HandbookCsv.sortedForReplay(List.of(later, sameSecondHigherId, sameSecondLowerId));

    assertThat(sorted).containsExactly(sameSecondLowerId, sameSecondHigherId, later);
  }
}
