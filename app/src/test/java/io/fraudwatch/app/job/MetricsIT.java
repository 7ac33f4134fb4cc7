package io.fraudwatch.app.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job's {@code /metrics} during a stream, checked by Prometheus's own {@code promtool check
 * metrics}, and its counters between two scrapes. Without promtool on the PATH the test is skipped,
 * unless the system property {@value #REQUIRE_TOOLS} is true (CI sets it: there a missing promtool
 * fails the test).
 */
class MetricsIT {
  static final String REQUIRE_TOOLS = "fraudwatch.require-tools";

  @TempDir Path workDir;

  @Test
  @Timeout(300)
  void aStreamingJobServesMetricsThatPromtoolAcceptsAndWhoseCountersMove() throws Exception {
    Path promtool = promtool();
    try (JobFixture f = new JobFixture(workDir, 2)) {
      // setup: a champion alerting above 200; a stream of old (2018) transactions and two bad
      // records
      f.promote(f.amountModel(200), "first model");
      sendDay(f, "a", Instant.parse("2018-04-01T00:00:00Z"), 300);
      f.send(f.services.topics().transactions(), "C1", "not avro".getBytes(StandardCharsets.UTF_8));
      f.send(f.services.topics().transactions(), "C1", new byte[] {(byte) 0xc3, 0x01, 1, 2});
      f.flush();
      int port = freePort();

      // act: the job runs; one scrape after the first records, one after more arrived, days later
      // in event time
      f.startJob(Map.of("metrics.port", Integer.toString(port)));
      String lag = "fraudwatch_consumer_lag_records{partition=\"0\",topic=\"fraud.transactions\"}";
      // the lag is read in the background after each batch
      await()
          .atMost(Duration.ofMinutes(2))
          .until(
              () ->
                  value(scrape(port), "fraudwatch_transactions_scored_total") >= 300
                      && scrape(port).contains(lag));
      String first = scrape(port);
      sendDay(f, "b", Instant.parse("2018-04-20T00:00:00Z"), 200);
      f.flush();
      // the driver records a batch's figures one after another: wait for the last of them too
      double batchesBefore = value(first, "fraudwatch_batch_processing_seconds_count");
      double commitsBefore = value(first, "fraudwatch_postgres_commit_seconds_count");
      await()
          .atMost(Duration.ofMinutes(2))
          .until(
              () -> {
                String now = scrape(port);
                return value(now, "fraudwatch_transactions_scored_total") >= 500
                    && value(now, "fraudwatch_batch_processing_seconds_count") > batchesBefore
                    && value(now, "fraudwatch_postgres_commit_seconds_count") > commitsBefore;
              });
      String second = scrape(port);

      // verify: Prometheus's own checker accepts the exposition, lint included
      ProcessBuilder check =
          new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true);
      Process p = check.start();
      try (OutputStream in = p.getOutputStream()) {
        in.write(first.getBytes(StandardCharsets.UTF_8));
      }
      String verdict = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor()).as("promtool check metrics said:%n%s", verdict).isZero();

      assertThat(value(first, "fraudwatch_transactions_scored_total")).isEqualTo(300);
      assertThat(value(first, "fraudwatch_dead_letters_total{reason=\"NOT_SINGLE_OBJECT\"}"))
          .isEqualTo(1);
      assertThat(value(first, "fraudwatch_model_version{slot=\"champion\"}")).isPositive();
      assertThat(first)
          .contains(
              lag,
              "fraudwatch_score_bucket{model=\"champion\",le=\"+Inf\"}",
              "jvm_threads_current");
      // the counters moved between the scrapes
      assertThat(value(second, "fraudwatch_transactions_scored_total")).isEqualTo(500);
      assertThat(value(second, "fraudwatch_score_count{model=\"champion\"}"))
          .isGreaterThan(value(first, "fraudwatch_score_count{model=\"champion\"}"));
      assertThat(value(second, "fraudwatch_batch_processing_seconds_count"))
          .isGreaterThan(value(first, "fraudwatch_batch_processing_seconds_count"));
      assertThat(value(second, "fraudwatch_postgres_commit_seconds_count"))
          .isGreaterThan(value(first, "fraudwatch_postgres_commit_seconds_count"));
      assertThat(value(second, "fraudwatch_alerts_total"))
          .isGreaterThanOrEqualTo(value(first, "fraudwatch_alerts_total"));
      assertThat(value(second, "fraudwatch_default_partition_rows_total"))
          .as("2018-04-20 had no partition yet")
          .isPositive();
      assertThat(value(second, "fraudwatch_latest_event_timestamp_seconds"))
          .isGreaterThanOrEqualTo(Instant.parse("2018-04-20T00:00:00Z").getEpochSecond());

      // the 2018 days got their partitions: the first ones at start, the later ones from the driver
      // as the stream
      // reached them; rows that arrived before their day's partition waited in DEFAULT and were
      // moved out
      await()
          .atMost(Duration.ofMinutes(1))
          .until(() -> f.count("select count(*) from fraudwatch.scored_transactions_default") == 0);
      assertThat(
              f.count(
                  "select count(*) from pg_class where relname in ('scored_transactions_p20180401',"
                      + " 'scored_transactions_p20180408', 'scored_transactions_p20180420', 'scored_transactions_p20180427')"))
          .isEqualTo(4);
      assertThat(f.count("select count(*) from fraudwatch.scored_transactions")).isEqualTo(500);
    }
  }

  /** {@code n} transactions spread over the day from {@code start}. */
  private static void sendDay(JobFixture f, String prefix, Instant start, int n) {
    for (int i = 0; i < n; i++) {
      f.sendTransaction(
          prefix + i,
          start.plusSeconds(86_400L * i / n),
          "C" + (i % 40),
          "T" + (i % 60),
          20 + i % 300);
    }
  }

  private static Path promtool() {
    Optional<Path> found =
        Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
            .map(dir -> Path.of(dir, "promtool"))
            .filter(Files::isExecutable)
            .findFirst();
    if (found.isEmpty()) {
      String how =
          "promtool is not on the PATH (Debian: apt-get install prometheus; .ci/run installs it)";
      if (Boolean.getBoolean(REQUIRE_TOOLS)) {
        fail(how);
      }
      assumeTrue(false, how);
    }
    return found.get();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static String scrape(int port) throws IOException, InterruptedException {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/metrics"))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
    return r.body();
  }

  /** The value of the sample {@code series} (name with its labels, as exposed); 0 when absent. */
  private static double value(String exposition, String series) {
    Matcher m =
        Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE)
            .matcher(exposition);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }
}
