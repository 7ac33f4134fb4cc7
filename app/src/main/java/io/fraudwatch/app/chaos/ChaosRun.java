package io.fraudwatch.app.chaos;

import io.fraudwatch.app.runtime.FraudwatchRuntime;
import io.fraudwatch.app.runtime.RuntimeConfig;
import io.fraudwatch.config.Settings;
import io.fraudwatch.embedded.EmbeddedPostgresServer;
import io.fraudwatch.embedded.FreePorts;
import io.fraudwatch.features.HandbookFeatures;
import io.fraudwatch.models.ModelStore;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * One fault matrix against real processes: the Kafka broker in a JVM of its own ({@link
 * BrokerProcess}), the embedded PostgreSQL (a postgres process of its own), the scorer in a JVM of
 * its own ({@link ScorerProcess}), a frozen champion. Each fault sends its workload (unique ids;
 * the expected alerts follow from the amounts), injects the fault, waits until the stream is
 * drained and checks everything stored and sent so far ({@link StreamCheck}).
 */
public final class ChaosRun implements AutoCloseable {
  /**
   * One fault's outcome; {@code lost} and {@code duplicated} count everything stored and sent so
   * far.
   */
  public record FaultResult(
      String name,
      String injected,
      boolean passed,
      long lost,
      long duplicated,
      double recoverySeconds,
      List<String> problems) {}

  static final int PARTITIONS = 2;
  static final int MAX_RATE = 150;
  static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(8);
  private static final String REFUSED_TERMINAL = "T-REFUSED";
  private static final String REFUSED_LABEL = "L-REFUSED";

  private final Path dir;
  private final Random random;
  private final PrintWriter progress;
  private final long startNanos = System.nanoTime();
  private final BrokerProcess broker;
  private final FraudwatchRuntime runtime;
  private final StreamView view;
  private final Workload workload;
  private final DatabaseFaults db;
  private final ScorerProcess scorer;
  private List<String> scorerArgs =
      List.of(
          "--batch-interval",
          "500ms",
          "--max-rate",
          Integer.toString(MAX_RATE),
          "--set",
          "job.backpressure=false",
          "--set",
          "promotion.auto=false",
          "--set",
          "learning.version-every=20s",
          "--set",
          "history.refresh-interval=30s");
  private int partitions = PARTITIONS;

  // what the stream must hold once drained
  private final Set<String> scored = new HashSet<>();
  private final Set<String> alerts = new HashSet<>();
  private final Set<String> deadLetters = new HashSet<>();
  private final Set<String> labels = new HashSet<>();
  private final List<Workload.Tx> stored = new ArrayList<>();
  private long duplicates;
  private int blocks;
  private Instant nextStart = Workload.START;
  private long recoveryStart;
  private final java.util.concurrent.atomic.AtomicBoolean closed =
      new java.util.concurrent.atomic.AtomicBoolean();

  private ChaosRun(
      Path dir, long seed, PrintWriter progress, BrokerProcess broker, FraudwatchRuntime runtime) {
    this.dir = dir;
    this.random = new Random(seed);
    this.progress = progress;
    this.broker = broker;
    this.runtime = runtime;
    this.view = new StreamView(runtime.services());
    this.workload = new Workload(runtime.services());
    this.db = new DatabaseFaults(postgres().superuserDataSource(), runtime.services().jobUser());
    this.scorer =
        new ScorerProcess(dir, runtime.services(), dir.resolve("secrets").resolve("job.password"));
  }

  /**
   * Starts the broker, PostgreSQL (migrated, with the logins), the frozen champion and the scorer.
   */
  public static ChaosRun start(Path dir, long seed, PrintWriter progress) throws Exception {
    int kafkaPort = FreePorts.pick();
    RuntimeConfig config =
        RuntimeConfig.from(
            Settings.load(
                RuntimeConfig.KEYS,
                Optional.empty(),
                Map.of(),
                Map.of(
                    "work-dir",
                    dir.toString(),
                    "kafka.bootstrap",
                    "127.0.0.1:" + kafkaPort,
                    "kafka.partitions",
                    Integer.toString(PARTITIONS))));
    progress.printf(
        "Starting the Kafka broker in a JVM of its own on port %d (log in %s) ...%n",
        kafkaPort, dir.resolve("kafka"));
    progress.flush();
    BrokerProcess broker =
        BrokerProcess.start(dir, kafkaPort, config.kafka().topics().all(), PARTITIONS);
    FraudwatchRuntime runtime = null;
    try {
      runtime = FraudwatchRuntime.start(config, progress);
      ChaosRun run = new ChaosRun(dir, seed, progress, broker, runtime);
      // the embedded server runs with synchronous_commit=off, which a crash (postgres-stop) may
      // make lose commits
      // the job saw succeed; a production server commits durably, and so does the job's login here
      run.db.execute("ALTER ROLE " + runtime.services().jobUser() + " SET synchronous_commit = on");
      FrozenChampion.promote(
          new ModelStore(runtime.services().jobDataSource(), HandbookFeatures.SCHEMA), "chaos");
      run.startScorer();
      return run;
    } catch (Exception | Error e) {
      if (runtime != null) {
        runtime.close();
      }
      broker.close();
      throw e;
    }
  }

  /** Runs one fault, then drains and checks. */
  public FaultResult run(ChaosFault fault) {
    long t0 = System.nanoTime();
    say("%s: %s", fault.key(), fault.description());
    String injected;
    try {
      if (!scorer.running()) {
        startScorer();
      }
      injected = fault.inject(this);
    } catch (Exception e) {
      say("%s: the injection failed: %s", fault.key(), e);
      return new FaultResult(
          fault.key(), "injection failed: " + e, false, 0, 0, 0, List.of("injection failed: " + e));
    }
    List<String> problems = new ArrayList<>();
    double recovery = 0;
    StreamCheck.Result result = new StreamCheck.Result(0, 0, List.of());
    try {
      say("%s: injected (%s); draining ...", fault.key(), injected);
      awaitDrained();
      recovery = (System.nanoTime() - recoveryStart) / 1e9;
      result =
          StreamCheck.check(
              view, new StreamCheck.Expected(scored, alerts, deadLetters), duplicates);
      problems.addAll(result.problems());
      problems.addAll(checkLabels());
      problems.addAll(fault.afterCheck(this));
    } catch (Exception e) {
      problems.add("not drained or not checked: " + e.getMessage());
    }
    FaultResult r =
        new FaultResult(
            fault.key(),
            injected,
            problems.isEmpty(),
            result.lost(),
            result.duplicated(),
            Math.round(recovery * 10) / 10.0,
            problems);
    say(
        "%s: %s in %.0f s (recovery %.1f s, lost %d, duplicated %d)%s",
        fault.key(),
        r.passed() ? "passed" : "FAILED",
        (System.nanoTime() - t0) / 1e9,
        r.recoverySeconds(),
        r.lost(),
        r.duplicated(),
        problems.isEmpty() ? "" : ": " + String.join("; ", problems));
    return r;
  }

  // ---- the faults (ChaosFault calls these) ----

  String scorerKills(int kills) throws Exception {
    int windowKill = 1 + random.nextInt(kills);
    List<String> points = new ArrayList<>();
    for (int k = 1; k <= kills; k++) {
      long before = view.scored();
      int n = 1000;
      sendBlock(n);
      if (k == windowKill) {
        db.holdCommits();
        awaitCondition(
            "a commit of the scorer held after its alerts were sent",
            Duration.ofMinutes(3),
            () -> db.backendsInCommitWindow() > 0);
        scorer.kill();
        long held = db.releaseHeldCommits();
        points.add("in the commit window (" + held + " held)");
      } else {
        long at = before + (long) (n * (0.05 + 0.9 * random.nextDouble()));
        awaitCondition(
            "the scorer to store " + at + " rows",
            Duration.ofMinutes(3),
            () -> view.scored() >= at);
        scorer.kill();
        points.add(Long.toString(view.scored()));
      }
      say("scorer-kill: SIGKILL %d/%d at %s", k, kills, points.get(points.size() - 1));
      startScorer();
    }
    recoveryStart = System.nanoTime();
    return kills + " SIGKILLs of the scorer, at stored rows " + String.join(", ", points);
  }

  String failingCommits() throws Exception {
    db.failCommits(2);
    sendBlock(2000);
    recoveryStart = System.nanoTime();
    return "the first 2 commits storing alerts failed at commit, after Kafka confirmed the alerts";
  }

  List<String> failingCommitsCheck() throws Exception {
    long seen = db.commitsSeen();
    db.stopFailingCommits();
    return seen > 2 ? List.of() : List.of("only " + seen + " commits reached the failing trigger");
  }

  String brokerKills(int kills) throws Exception {
    List<String> downs = new ArrayList<>();
    for (int k = 1; k <= kills; k++) {
      long before = view.scored();
      sendBlock(1500);
      long at = before + 300 + random.nextInt(900);
      awaitCondition(
          "the scorer to store " + at + " rows", Duration.ofMinutes(3), () -> view.scored() >= at);
      broker.kill();
      long down = 2 + random.nextInt(9);
      say(
          "broker-kill: SIGKILL %d/%d at %d stored rows; down for %d s",
          k, kills, view.scored(), down);
      Thread.sleep(down * 1000); // how long the broker stays down is the fault injected
      broker.startAgain();
      downs.add(down + " s");
    }
    recoveryStart = System.nanoTime();
    return kills
        + " SIGKILLs of the broker, restarted on the same port and log directory after "
        + String.join(", ", downs);
  }

  String postgresStop(Duration outage) throws Exception {
    long before = view.scored();
    sendBlock(2000);
    awaitCondition(
        "the scorer to store rows", Duration.ofMinutes(3), () -> view.scored() >= before + 300);
    // zonky's own stop, which releases its lock, finds no server and would log that as an error
    // with its stack
    String zonky = "io.zonky.test.db.postgres.embedded.EmbeddedPostgres";
    org.apache.logging.log4j.Level level =
        org.apache.logging.log4j.LogManager.getLogger(zonky).getLevel();
    org.apache.logging.log4j.core.config.Configurator.setLevel(
        zonky, org.apache.logging.log4j.Level.OFF);
    try {
      postgres().stopImmediately();
    } finally {
      org.apache.logging.log4j.core.config.Configurator.setLevel(zonky, level);
    }
    sendBlock(1000);
    Thread.sleep(outage.toMillis()); // the outage's length is the fault injected
    postgres().startAgain();
    recoveryStart = System.nanoTime();
    return "PostgreSQL stopped immediately (SIGQUIT) for "
        + outage.toSeconds()
        + " s, 1000 transactions sent meanwhile";
  }

  String terminateBackends(int rounds) throws Exception {
    long before = view.scored();
    sendBlock(3000);
    long ended = 0;
    for (int k = 1; k <= rounds; k++) {
      long at = before + 600L * k;
      awaitCondition(
          "the scorer to store " + at + " rows", Duration.ofMinutes(3), () -> view.scored() >= at);
      ended += db.terminateJobBackends();
    }
    recoveryStart = System.nanoTime();
    return "pg_terminate_backend of the job's connections "
        + rounds
        + " times: "
        + ended
        + " backends ended";
  }

  private final Map<String, Long> poisonKinds = new LinkedHashMap<>();
  private final Set<String> poisonSources = new HashSet<>();

  String poison(int count) throws Exception {
    db.execute(
        "ALTER TABLE fraudwatch.scored_transactions ADD CONSTRAINT chaos_refused_terminal CHECK (terminal_id <> '"
            + REFUSED_TERMINAL
            + "')",
        "ALTER TABLE fraudwatch.labels ADD CONSTRAINT chaos_refused_label CHECK (transaction_id <> '"
            + REFUSED_LABEL
            + "')");
    String prefix = "p" + (++blocks) + "-";
    List<Workload.Tx> valid = Workload.transactions(prefix, 2 * count, nextStart);
    nextStart = nextStart.plus(Duration.ofSeconds(30L * 2 * count)).plus(Duration.ofDays(1));
    List<Future<RecordMetadata>> poison = new ArrayList<>();
    poisonKinds.clear();
    for (int i = 0; i < count; i++) {
      for (Workload.Tx tx : valid.subList(2 * i, 2 * i + 2)) {
        workload.send(tx);
        expect(tx);
      }
      Workload.Tx near = valid.get(2 * i);
      PoisonRecords.Kind kind = PoisonRecords.Kind.values()[i % PoisonRecords.Kind.values().length];
      poisonKinds.merge(kind.code(), 1L, Long::sum);
      byte[] bytes =
          PoisonRecords.transaction(
              kind,
              new Workload.Tx(
                  prefix + "x" + i,
                  near.time().plusSeconds(1),
                  near.customer(),
                  near.terminal(),
                  500),
              REFUSED_TERMINAL);
      poison.add(workload.send(runtime.services().topics().transactions(), near.customer(), bytes));
    }
    // labels: one that is no Avro, one invalid, one PostgreSQL refuses
    String labelTopic = runtime.services().topics().labels();
    poison.add(workload.send(labelTopic, "l", "not a label".getBytes(StandardCharsets.UTF_8)));
    poison.add(workload.send(labelTopic, "l", PoisonRecords.label("l\u0000", nextStart)));
    poison.add(workload.send(labelTopic, "l", PoisonRecords.label(REFUSED_LABEL, nextStart)));
    poisonKinds.merge("NOT_SINGLE_OBJECT", 1L, Long::sum);
    poisonKinds.merge("INVALID", 1L, Long::sum);
    poisonKinds.merge("REFUSED", 1L, Long::sum);
    workload.flush();
    poisonSources.clear();
    for (Future<RecordMetadata> f : poison) {
      poisonSources.add(Workload.source(f));
    }
    deadLetters.addAll(poisonSources);
    recoveryStart = System.nanoTime();
    return count
        + " poison transactions ("
        + PoisonRecords.Kind.values().length
        + " kinds) among "
        + 2 * count
        + " valid ones, and 3 poison labels";
  }

  /**
   * Each poison record's dead letter has the reason code of its kind, and the constraints go again.
   */
  List<String> poisonCheck() throws Exception {
    Map<String, Long> codes = new LinkedHashMap<>();
    Set<String> seen = new HashSet<>();
    for (ConsumerRecord<byte[], byte[]> r :
        view.readTopic(runtime.services().topics().deadLetter(), deadLetters.size())) {
      String source = StreamCheck.header(r, "fraudwatch.source");
      if (poisonSources.contains(source) && seen.add(source)) {
        codes.merge(StreamCheck.header(r, "fraudwatch.reason-code"), 1L, Long::sum);
      }
    }
    db.execute(
        "ALTER TABLE fraudwatch.scored_transactions DROP CONSTRAINT chaos_refused_terminal",
        "ALTER TABLE fraudwatch.labels DROP CONSTRAINT chaos_refused_label");
    return codes.equals(poisonKinds)
        ? List.of()
        : List.of("dead letters by reason code " + codes + ", poison sent " + poisonKinds);
  }

  String repeatedIds(int repeats) throws Exception {
    List<Workload.Tx> pool = new ArrayList<>(stored);
    java.util.Collections.shuffle(pool, random);
    List<Future<RecordMetadata>> conflicts = new ArrayList<>();
    for (int i = 0; i < repeats; i++) {
      Workload.Tx tx = pool.get(i);
      if (i % 2 == 0) {
        workload.send(tx);
        duplicates++;
      } else {
        conflicts.add(
            workload.send(
                new Workload.Tx(
                    tx.id(),
                    tx.time().plus(Duration.ofHours(1)),
                    tx.customer(),
                    tx.terminal(),
                    tx.amount())));
      }
    }
    sendBlock(500);
    for (Future<RecordMetadata> f : conflicts) {
      deadLetters.add(Workload.source(f));
    }
    recoveryStart = System.nanoTime();
    return repeats
        + " earlier transaction ids at new offsets: "
        + (repeats + 1) / 2
        + " as stored (duplicates), "
        + repeats / 2
        + " with the event time an hour later (conflicts)";
  }

  String lockAlerts(Duration hold) throws Exception {
    long storedMeanwhile;
    try (Connection lock = db.lockAlerts()) {
      long before = view.scored();
      sendBlock(2000);
      Thread.sleep(hold.toMillis()); // how long the lock is held is the fault injected
      storedMeanwhile = view.scored() - before;
      lock.rollback();
    }
    recoveryStart = System.nanoTime();
    return "ACCESS EXCLUSIVE lock on fraudwatch.alerts for "
        + hold.toSeconds()
        + " s, 2000 transactions sent meanwhile, "
        + storedMeanwhile
        + " stored while it was held";
  }

  String overload(Duration length) throws Exception {
    int rate = 2 * MAX_RATE * partitions;
    String prefix = "o" + (++blocks) + "-";
    long ticks = length.toMillis() / 100;
    int perTick = rate / 10;
    List<Workload.Tx> txs = Workload.transactions(prefix, (int) (ticks * perTick), nextStart);
    nextStart = nextStart.plus(Duration.ofSeconds(30L * txs.size())).plus(Duration.ofDays(1));
    long t0 = System.nanoTime();
    for (int tick = 0; tick < ticks; tick++) {
      for (Workload.Tx tx : txs.subList(tick * perTick, (tick + 1) * perTick)) {
        workload.send(tx);
        expect(tx);
      }
      long next = t0 + (tick + 1) * 100_000_000L;
      long wait = next - System.nanoTime();
      if (wait > 0) {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      }
    }
    workload.flush();
    recoveryStart = System.nanoTime();
    return txs.size()
        + " transactions at "
        + rate
        + "/s for "
        + length.toSeconds()
        + " s, twice the "
        + rate / 2
        + "/s the scorer is set to take ("
        + MAX_RATE
        + "/s per partition)";
  }

  String restartReconfigured() throws Exception {
    scorer.stop();
    partitions++;
    try (Admin admin = Admin.create(runtime.services().kafkaClient(new HashMap<>()))) {
      admin
          .createPartitions(
              Map.of(
                  runtime.services().topics().transactions(), NewPartitions.increaseTo(partitions)))
          .all()
          .get();
    }
    List<String> args = new ArrayList<>(scorerArgs);
    args.set(args.indexOf("--batch-interval") + 1, "1s");
    scorerArgs = List.copyOf(args);
    startScorer();
    String topic = runtime.services().topics().transactions();
    awaitCondition(
        "the producer to see " + partitions + " partitions",
        Duration.ofSeconds(60),
        () -> workload.partitions(topic) == partitions);
    sendBlock(2000);
    recoveryStart = System.nanoTime();
    return "scorer stopped (SIGTERM), transactions topic grown to "
        + partitions
        + " partitions, started again with"
        + " a 1s batch interval (was 500ms)";
  }

  /** The added partition got records, and the job stored its offset like the others'. */
  List<String> restartReconfiguredCheck() throws Exception {
    String topic = runtime.services().topics().transactions();
    long end =
        view.endOffsets(topic)
            .get(new org.apache.kafka.common.TopicPartition(topic, partitions - 1));
    return end > 0
        ? List.of()
        : List.of("the added partition " + (partitions - 1) + " got no records");
  }

  // ---- workload and checks ----

  private void sendBlock(int n) throws Exception {
    String prefix = "b" + (++blocks) + "-";
    List<Workload.Tx> txs = Workload.transactions(prefix, n, nextStart);
    nextStart = nextStart.plus(Duration.ofSeconds(30L * n)).plus(Duration.ofDays(1));
    for (Workload.Tx tx : txs) {
      workload.send(tx);
      expect(tx);
    }
    workload.flush();
  }

  private void expect(Workload.Tx tx) throws Exception {
    scored.add(tx.id());
    stored.add(tx);
    if (tx.alerts()) {
      alerts.add(tx.id());
    }
    // one label in 20, known the label delay after the transaction: learned online, never promoted
    if (scored.size() % 20 == 0) {
      labels.add(tx.id());
      workload.sendLabel(tx.id(), tx.alerts(), tx.time().plus(Duration.ofDays(7)));
    }
  }

  /** Labels stored once each; no label learned twice along the newest online version's lineage. */
  private List<String> checkLabels() throws Exception {
    List<String> problems = new ArrayList<>();
    long rows = view.count("select count(*) from fraudwatch.labels");
    long distinct = view.count("select count(distinct transaction_id) from fraudwatch.labels");
    if (rows != labels.size() || distinct != labels.size()) {
      problems.add(
          "labels: " + rows + " rows, " + distinct + " distinct, " + labels.size() + " sent");
    }
    // along the newest online version's lineage, each version counts the labels it learned; a label
    // learned twice
    // makes them more than the labels known up to the newest version's watermark
    List<long[]> lineage =
        view.query(
            """
        with recursive lineage as (
          select id, parent_id, label_watermark, coalesce((metrics->>'online.labels_learned')::float8, 0) as learned
          from fraudwatch.model_versions where id = (select max(id) from fraudwatch.model_versions where kind = 'online')
          union all
          select v.id, v.parent_id, v.label_watermark, coalesce((v.metrics->>'online.labels_learned')::float8, 0)
          from fraudwatch.model_versions v join lineage l on v.id = l.parent_id where v.kind = 'online')
        select coalesce(sum(learned), 0)::bigint, count(*),
          (select count(*) from fraudwatch.labels where known_at <= (select max(label_watermark) from lineage))
        from lineage""",
            rs -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)});
    long learned = lineage.get(0)[0];
    long known = lineage.get(0)[2];
    if (learned > known) {
      problems.add(
          "the newest online version's lineage ("
              + lineage.get(0)[1]
              + " versions) learned "
              + learned
              + " labels, only "
              + known
              + " are known up to its watermark: a label was learned twice");
    }
    return problems;
  }

  private void awaitDrained() throws Exception {
    long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
    while (!view.drained()) {
      if (!scorer.running()) {
        throw new IllegalStateException(
            "the scorer exited with " + scorer.exitCode() + "; see " + scorer.log());
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException(
            "the job did not take every record within " + DRAIN_TIMEOUT.toMinutes() + " min");
      }
      Thread.sleep(500);
    }
  }

  private void awaitCondition(String what, Duration timeout, Callable<Boolean> condition)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.call()) {
      if (!scorer.running()) {
        throw new IllegalStateException(
            "the scorer exited with "
                + scorer.exitCode()
                + " while waiting for "
                + what
                + "; see "
                + scorer.log());
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("waited " + timeout.toSeconds() + " s for " + what);
      }
      Thread.sleep(100);
    }
  }

  private void startScorer() throws Exception {
    scorer.start(scorerArgs);
  }

  private EmbeddedPostgresServer postgres() {
    return runtime.embeddedPostgresServer().orElseThrow();
  }

  void say(String format, Object... args) {
    long s = (System.nanoTime() - startNanos) / 1_000_000_000L;
    progress.printf("[%02d:%02d] %s%n", s / 60, s % 60, String.format(format, args));
    progress.flush();
  }

  public Path dir() {
    return dir;
  }

  @Override
  public void close() throws Exception {
    if (closed.getAndSet(true)) {
      return;
    }
    try {
      scorer.close();
      workload.close();
    } finally {
      try {
        runtime.close();
      } finally {
        broker.close();
      }
    }
  }
}
