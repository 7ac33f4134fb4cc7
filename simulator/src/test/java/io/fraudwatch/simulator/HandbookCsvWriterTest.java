package io.fraudwatch.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HandbookCsvWriterTest {

  private static final Instant START = Instant.parse("2018-04-01T00:00:00Z");

  @TempDir Path directory;

  private final Simulation simulation =
      Simulation.create(
          SimulationParameters.builder().customers(100).terminals(200).days(5).seed(2).build());

  @Test
  void gzipFileRoundTripsEveryTransaction() throws IOException {
    Path file = directory.resolve("simulated.csv.gz");

    long rows = HandbookCsvWriter.write(simulation, file);

    byte[] bytes = Files.readAllBytes(file);
    assertThat(bytes[0] & 0xff).isEqualTo(0x1f);
    assertThat(bytes[1] & 0xff).isEqualTo(0x8b);
    List<String> lines = readLines(new GZIPInputStream(Files.newInputStream(file)));
    List<SimulatedTransaction> expected = simulation.transactions().toList();
    assertThat(rows).isEqualTo(expected.size()).isPositive();
    assertThat(lines).hasSize(expected.size() + 1);
    assertThat(lines.get(0))
        .isEqualTo(
            "TRANSACTION_ID,TX_DATETIME,CUSTOMER_ID,TERMINAL_ID,TX_AMOUNT,"
                + "TX_TIME_SECONDS,TX_TIME_DAYS,TX_FRAUD,TX_FRAUD_SCENARIO");
    for (int i = 0; i < expected.size(); i++) {
      assertThat(parse(lines.get(i + 1))).isEqualTo(expected.get(i));
    }
  }

  @Test
  void plainFileIsNotCompressed() throws IOException {
    Path file = directory.resolve("simulated.csv");

    HandbookCsvWriter.write(simulation, file);

    assertThat(Files.readAllLines(file).get(0)).isEqualTo(HandbookCsvWriter.HEADER);
  }

  @Test
  void formatsRowsLikeTheHandbooksFiles() throws IOException {
    StringWriter out = new StringWriter();
    try (HandbookCsvWriter writer = new HandbookCsvWriter(out, START)) {
      writer.write(
          new SimulatedTransaction(
              0, Instant.parse("2018-04-01T00:00:31Z"), 596, 3156, 57.16, false, 0));
      writer.write(
          new SimulatedTransaction(
              2, Instant.parse("2018-04-01T00:07:56Z"), 2, 1365, 146.0, false, 0));
      writer.write(
          new SimulatedTransaction(
              9, Instant.parse("2018-05-02T13:05:09Z"), 7, 8, 1234.5, true, 3));
      writer.write(
          new SimulatedTransaction(10, Instant.parse("2018-05-02T23:59:59Z"), 7, 8, 0.05, true, 2));
      writer.write(
          new SimulatedTransaction(11, Instant.parse("2018-05-03T00:00:00Z"), 7, 8, 0.0, false, 0));
    }

    assertThat(out.toString())
        .isEqualTo(
            HandbookCsvWriter.HEADER
                + "\n"
                + "0,2018-04-01T00:00:31,596,3156,57.16,31,0,0,0\n"
                + "2,2018-04-01T00:07:56,2,1365,146.0,476,0,0,0\n"
                + "9,2018-05-02T13:05:09,7,8,1234.5,2725509,31,1,3\n"
                + "10,2018-05-02T23:59:59,7,8,0.05,2764799,31,1,2\n"
                + "11,2018-05-03T00:00:00,7,8,0.0,2764800,32,0,0\n");
  }

  @Test
  void rejectsTransactionsBeforeTheStartAndInvalidAmounts() throws IOException {
    HandbookCsvWriter writer = new HandbookCsvWriter(new StringWriter(), START);

    assertThatThrownBy(
            () ->
                writer.write(
                    new SimulatedTransaction(4, START.minusSeconds(1), 1, 1, 1.0, false, 0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(
            "transaction 4 at 2018-03-31T23:59:59Z is before the simulation start");
    assertThatThrownBy(() -> writer.write(new SimulatedTransaction(5, START, 1, 1, -0.5, false, 0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("amount must be a non-negative finite number, got -0.5");
  }

  private static SimulatedTransaction parse(String line) {
    String[] fields = line.split(",", -1);
    assertThat(fields).hasSize(9);
    Instant time = LocalDateTime.parse(fields[1]).toInstant(ZoneOffset.UTC);
    long seconds = Long.parseLong(fields[5]);
    assertThat(time).isEqualTo(START.plusSeconds(seconds));
    assertThat(Long.parseLong(fields[6])).isEqualTo(seconds / 86_400);
    assertThat(fields[4]).matches("\\d+\\.\\d{1,2}");
    boolean fraud =
        switch (fields[7]) {
          case "0" -> false;
          case "1" -> true;
          default -> throw new AssertionError("TX_FRAUD not 0/1 in " + line);
        };
    return new SimulatedTransaction(
        Long.parseLong(fields[0]),
        time,
        Integer.parseInt(fields[2]),
        Integer.parseInt(fields[3]),
        Double.parseDouble(fields[4]),
        fraud,
        Integer.parseInt(fields[8]));
  }

  private static List<String> readLines(InputStream in) throws IOException {
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      return reader.lines().toList();
    }
  }
}
