package io.fraudwatch.app.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fraudwatch.app.chaos.ScorerProcess;
import io.fraudwatch.avro.AvroCodec;
import io.fraudwatch.avro.Transaction;
import io.fraudwatch.scoring.job.ScoringJobRunner;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * `bin/fraudwatch score` killed with SIGKILL mid-stream and started again: the sessions table and
 * the activity windows equal what a plain computation from the scored log (and the countries the
 * test sent) says, so nothing was lost or counted twice across the restart.
 */
class StreamStateRecoveryIT {
  private static final Duration GAP = Duration.ofMinutes(30);
  private static final String[] COUNTRIES = {"BE", "FR", "NL", null};

  @TempDir Path workDir;

  private record Sent(String id, Instant time, String customer, String terminal, double amount) {}

  private record Row(
      String customer, String terminal, Instant time, BigDecimal amount, boolean alert) {}

  private record SessionRow(
      String customer,
      Instant start,
      Instant end,
      int transactions,
      BigDecimal amount,
      int terminals,
      int alerts) {}

  private record Window(long transactions, long alerts, BigDecimal amount) {
    Window plus(Window o) {
      return new Window(transactions + o.transactions, alerts + o.alerts, amount.add(o.amount));
    }
  }

  @Test
  @Timeout(600)
  void sessionsAndWindowsComeBackAfterSigkillAndCountEveryStoredTransactionOnce() throws Exception {
    try (JobFixture f = new JobFixture(workDir.resolve("services"), 2)) {
      // setup: a champion that alerts on amounts of 150 and more; customers in bursts with long
      // pauses, so that each has several sessions; terminals in three countries and none
      f.promote(f.amountModel(150), "first model");
      List<Sent> sent = workload(new Random(16), 60);
      Map<String, String> countryOf = new HashMap<>();
      for (Sent t : sent) {
        String country = COUNTRIES[Math.floorMod(t.terminal().hashCode(), COUNTRIES.length)];
        countryOf.put(t.id(), country == null ? "unknown" : country);
        Transaction tx =
            Transaction.newBuilder()
                .setTransactionId(t.id())
                .setEventTime(t.time())
                .setCustomerId(t.customer())
                .setTerminalId(t.terminal())
                .setAmount(t.amount())
                .setCountry(country)
                .build();
        f.send(f.services.topics().transactions(), t.customer(), AvroCodec.TRANSACTION.encode(tx));
      }
      f.flush();

      // act: start, kill -9 once a part is scored and some sessions are written, start again
      ScorerProcess scorer = f.scorer(workDir);
      List<String> args =
          List.of(
              "--batch-interval",
              "500ms",
              "--set",
              "job.backpressure=false",
              "--set",
              "stream-state.enabled=true",
              "--set",
              "checkpoint.path=" + workDir.resolve("checkpoint"),
              "--max-rate",
              "150");
      scorer.start(args);
      await()
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () ->
                  (f.count("select count(*) from fraudwatch.scored_transactions") > sent.size() / 3
                          && f.count("select count(*) from fraudwatch.sessions") > 0)
                      || !scorer.running());
      assertThat(scorer.running()).as("first scorer died; see %s", scorer.log()).isTrue();
      scorer.kill();
      assertThat(f.count("select count(*) from fraudwatch.scored_transactions"))
          .isLessThan(sent.size());

      scorer.start(args);
      try {
        await()
            .atMost(Duration.ofMinutes(4))
            .pollInterval(Duration.ofMillis(500))
            .until(
                () ->
                    f.view.taken(f.services.topics().transactions()) == sent.size()
                        && f.count(
                                "select count(*) from fraudwatch.activity_windows"
                                    + " where as_of > (select max(batch_time) from fraudwatch.scored_transactions)")
                            == 2);
      } finally {
        scorer.stop();
      }
      // the second run had open sessions and an hour of windows to rebuild
      assertThat(Files.readString(scorer.log()))
          .containsPattern(
              "stream state rebuilt from PostgreSQL: [1-9]\\d* open sessions, \\d+ finished sessions"
                  + " written, the windows from [1-9]\\d* batch ranges");

      // verify: every transaction scored once, sessions and windows as computed here from the log
      List<Row> log =
          f.query(
              "select customer_id, terminal_id, event_time, amount, alert, transaction_id, batch_time"
                  + " from fraudwatch.scored_transactions order by customer_id, event_time",
              rs ->
                  new Row(
                      rs.getString(1),
                      rs.getString(2),
                      rs.getObject(3, OffsetDateTime.class).toInstant(),
                      rs.getBigDecimal(4),
                      rs.getBoolean(5)));
      assertThat(log).hasSize(sent.size());
      Set<SessionRow> expectedSessions = finishedSessions(log);
      assertThat(expectedSessions).hasSizeGreaterThan(100);
      assertThat(storedSessions(f)).isEqualTo(expectedSessions);

      for (int seconds : new int[] {600, 3600}) {
        Instant asOf =
            f.query(
                    "select as_of from fraudwatch.activity_windows where window_seconds = "
                        + seconds,
                    rs -> rs.getObject(1, OffsetDateTime.class).toInstant())
                .get(0);
        Map<String, Window> expected =
            expectedActivity(f, countryOf, asOf.minusSeconds(seconds), asOf);
        assertThat(expected).containsKeys("country/BE", "country/unknown", "terminal/T0");
        assertThat(storedActivity(f, seconds))
            .as("the %d s window as of %s", seconds, asOf)
            .isEqualTo(expected);
      }
    }
  }

  @Test
  @Timeout(300)
  void aTransactionFromBeforeItsCustomersOpenSessionIsScoredButLeftOutOfTheSessionsAndCounted()
      throws Exception {
    try (JobFixture f = new JobFixture(workDir.resolve("services"), 2);
        CapturedLog log = new CapturedLog("io.fraudwatch.scoring.job.StreamState")) {
      // setup: customer C1's session opens at 10:00
      f.promote(f.amountModel(150), "first model");
      Instant opened = Instant.parse("2018-04-01T10:00:00Z");
      f.sendTransaction("now", opened, "C1", "T1", 20);
      f.flush();
      ScoringJobRunner job =
          f.startJob(
              Map.of(
                  "stream-state.enabled",
                  "true",
                  "checkpoint.path",
                  workDir.resolve("checkpoint").toString()));
      await()
          .atMost(Duration.ofMinutes(2))
          .until(() -> f.count("select count(*) from fraudwatch.scored_transactions") == 1);

      // act: a transaction of 08:00, replayed late
      f.sendTransaction("replayed", opened.minus(Duration.ofHours(2)), "C1", "T2", 30);
      f.flush();
      await()
          .atMost(Duration.ofMinutes(2))
          .until(() -> !log.containing("left out of the sessions").isEmpty());

      // verify: scored, left out of the sessions, counted once
      assertThat(f.count("select count(*) from fraudwatch.scored_transactions")).isEqualTo(2);
      assertThat(log.containing("left out of the sessions"))
          .singleElement()
          .asString()
          .startsWith("INFO 1 transactions came more than sessions.gap before");
      assertThat(counter(job, "fraudwatch_session_late_transactions")).isEqualTo(1);
    }
  }

  private static double counter(ScoringJobRunner job, String name) {
    return job.metrics().registry().scrape().stream()
        .filter(m -> m.getMetadata().getPrometheusName().equals(name))
        .map(m -> ((CounterSnapshot) m).getDataPoints().get(0).getValue())
        .findFirst()
        .orElseThrow();
  }

  /**
   * Per customer, bursts of 1-6 transactions a few minutes apart, the bursts hours apart; in event
   * time order.
   */
  private static List<Sent> workload(Random random, int customers) {
    List<Sent> out = new ArrayList<>();
    Instant start = Instant.parse("2018-04-01T00:00:00Z");
    for (int c = 0; c < customers; c++) {
      Instant t = start.plusSeconds(random.nextInt(3600));
      for (int burst = 0; burst < 8; burst++) {
        int n = 1 + random.nextInt(6);
        for (int i = 0; i < n; i++) {
          out.add(
              new Sent(
                  "s" + out.size(),
                  t,
                  "C" + c,
                  "T" + random.nextInt(25),
                  // cents, so that the stored amount is the sent one
                  (2000 + random.nextInt(20000)) / 100.0));
          t = t.plusSeconds(60 + random.nextInt(20 * 60));
        }
        t = t.plus(GAP).plusSeconds(1 + random.nextInt(4 * 3600));
      }
    }
    out.sort(Comparator.comparing(Sent::time).thenComparing(Sent::id));
    return out;
  }

  /** The sessions the log splits into, each customer's last one (still open) left out. */
  private static Set<SessionRow> finishedSessions(List<Row> log) {
    Set<SessionRow> out = new HashSet<>();
    int i = 0;
    while (i < log.size()) {
      String customer = log.get(i).customer();
      List<List<Row>> sessions = new ArrayList<>();
      List<Row> current = new ArrayList<>();
      for (; i < log.size() && log.get(i).customer().equals(customer); i++) {
        Row r = log.get(i);
        if (!current.isEmpty()
            && Duration.between(current.get(current.size() - 1).time(), r.time()).compareTo(GAP)
                > 0) {
          sessions.add(current);
          current = new ArrayList<>();
        }
        current.add(r);
      }
      for (List<Row> s : sessions) {
        Set<String> terminals = new HashSet<>();
        BigDecimal amount = BigDecimal.ZERO;
        int alerts = 0;
        for (Row r : s) {
          terminals.add(r.terminal());
          amount = amount.add(r.amount());
          alerts += r.alert() ? 1 : 0;
        }
        out.add(
            new SessionRow(
                customer,
                s.get(0).time(),
                s.get(s.size() - 1).time(),
                s.size(),
                amount.setScale(2),
                terminals.size(),
                alerts));
      }
    }
    return out;
  }

  private static Set<SessionRow> storedSessions(JobFixture f) throws Exception {
    List<SessionRow> rows =
        f.query(
            "select customer_id, session_start, session_end, transactions, amount, terminals, alerts"
                + " from fraudwatch.sessions",
            rs ->
                new SessionRow(
                    rs.getString(1),
                    rs.getObject(2, OffsetDateTime.class).toInstant(),
                    rs.getObject(3, OffsetDateTime.class).toInstant(),
                    rs.getInt(4),
                    rs.getBigDecimal(5).setScale(2),
                    rs.getInt(6),
                    rs.getInt(7)));
    assertThat(new HashSet<>(rows)).hasSize(rows.size());
    return new HashSet<>(rows);
  }

  /** The window (from, to] of batch time, summed here per terminal and per country. */
  private static Map<String, Window> expectedActivity(
      JobFixture f, Map<String, String> countryOf, Instant from, Instant to) throws Exception {
    Map<String, Window> out = new TreeMap<>();
    for (Object[] r :
        f.query(
            "select transaction_id, terminal_id, amount, alert from fraudwatch.scored_transactions"
                + " where batch_time > '"
                + from
                + "'::timestamptz and batch_time <= '"
                + to
                + "'::timestamptz",
            rs ->
                new Object[] {
                  rs.getString(1), rs.getString(2), rs.getBigDecimal(3), rs.getBoolean(4)
                })) {
      Window w = new Window(1, (Boolean) r[3] ? 1 : 0, ((BigDecimal) r[2]).setScale(2));
      out.merge("terminal/" + r[1], w, Window::plus);
      out.merge("country/" + countryOf.get((String) r[0]), w, Window::plus);
    }
    return out;
  }

  private static Map<String, Window> storedActivity(JobFixture f, int seconds) throws Exception {
    Map<String, Window> out = new TreeMap<>();
    for (Object[] r :
        f.query(
            "select kind, key, transactions, alerts, amount from fraudwatch.activity"
                + " where window_seconds = "
                + seconds,
            rs ->
                new Object[] {
                  rs.getString(1) + "/" + rs.getString(2),
                  new Window(rs.getLong(3), rs.getLong(4), rs.getBigDecimal(5).setScale(2))
                })) {
      out.put((String) r[0], (Window) r[1]);
    }
    return out;
  }
}
