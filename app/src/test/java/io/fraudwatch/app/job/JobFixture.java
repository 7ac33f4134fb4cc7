package io.fraudwatch.app.job;

import io.fraudwatch.app.chaos.DatabaseFaults;
import io.fraudwatch.app.chaos.FrozenChampion;
import io.fraudwatch.app.chaos.ScorerProcess;
import io.fraudwatch.app.chaos.StreamView;
import io.fraudwatch.app.chaos.Workload;
import io.fraudwatch.app.runtime.FraudwatchRuntime;
import io.fraudwatch.app.runtime.RuntimeConfig;
import io.fraudwatch.app.runtime.Services;
import io.fraudwatch.config.Settings;
import io.fraudwatch.features.HandbookFeatures;
import io.fraudwatch.models.ModelStore;
import io.fraudwatch.models.Slot;
import io.fraudwatch.scoring.job.BatchReport;
import io.fraudwatch.scoring.job.ScoringConfig;
import io.fraudwatch.scoring.job.ScoringJobRunner;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Embedded Kafka + PostgreSQL, a model store, producers and readers for the job's end-to-end tests
 * (the job in-process); the reads, the workload and the database faults are the chaos command's
 * ({@code app.chaos}).
 */
final class JobFixture implements AutoCloseable {
  final Path workDir;
  final FraudwatchRuntime runtime;
  final Services services;
  final ModelStore models;
  final StreamView view;
  final Workload workload;
  final List<BatchReport> batches = new CopyOnWriteArrayList<>();
  private ScoringJobRunner job;

  JobFixture(Path workDir, int partitions) throws Exception {
    this.workDir = workDir;
    RuntimeConfig config =
        RuntimeConfig.from(
            Settings.load(
                RuntimeConfig.KEYS,
                Optional.empty(),
                Map.of(),
                Map.of(
                    "work-dir",
                    workDir.toString(),
                    "kafka.partitions",
                    Integer.toString(partitions))));
    runtime = FraudwatchRuntime.start(config, new PrintWriter(new StringWriter()));
    services = runtime.services();
    models = new ModelStore(dataSource(), HandbookFeatures.SCHEMA);
    view = new StreamView(services);
    workload = new Workload(services);
  }

  io.fraudwatch.embedded.EmbeddedPostgresServer postgres() {
    return runtime.embeddedPostgresServer().orElseThrow();
  }

  io.fraudwatch.embedded.EmbeddedKafkaBroker kafka() {
    return runtime.embeddedKafkaBroker().orElseThrow();
  }

  /** Faults the job's login may not cause, injected as the database's superuser. */
  DatabaseFaults databaseFaults() {
    return new DatabaseFaults(postgres().superuserDataSource(), services.jobUser());
  }

  /** Runs statements as the database's superuser. */
  void asSuperuser(String... statements) throws Exception {
    databaseFaults().execute(statements);
  }

  /** Ends every backend of the job's login (pg_terminate_backend); returns how many. */
  long terminateJobBackends() throws Exception {
    return databaseFaults().terminateJobBackends();
  }

  PGSimpleDataSource dataSource() {
    return services.jobDataSource();
  }

  /** A model scoring on the raw features: {@code sigmoid(weights · [features, 1])}. */
  long storeModel(double[] weights, double threshold) {
    return FrozenChampion.store(models, weights, threshold);
  }

  /**
   * Alerts when the amount exceeds {@code amount} (weight 1 on TX_AMOUNT, bias -amount, threshold
   * 0.5).
   */
  long amountModel(double amount) {
    return FrozenChampion.amountModel(models, amount);
  }

  /** A {@code score} process against these services, its work directory and logs in {@code dir}. */
  ScorerProcess scorer(Path dir) throws java.io.IOException {
    Path passwordFile = dir.resolve("job.password");
    java.nio.file.Files.writeString(
        passwordFile,
        services.jobPassword().orElseThrow().read(),
        java.nio.charset.StandardCharsets.UTF_8);
    return new ScorerProcess(dir, services, passwordFile);
  }

  void promote(long version, String reason) {
    models.promote(version, Slot.CHAMPION, "test", reason);
  }

  ScoringConfig scoringConfig(Map<String, String> overrides) {
    Map<String, String> flags =
        new HashMap<>(Map.of("job.batch-interval", "500ms", "history.refresh-interval", "30s"));
    flags.putAll(overrides);
    return ScoringConfig.from(Settings.load(ScoringConfig.KEYS, Optional.empty(), Map.of(), flags));
  }

  ScoringJobRunner startJob(Map<String, String> overrides) throws Exception {
    ScoringConfig c = scoringConfig(overrides);
    job = ScoringJobRunner.start(c, services.jobSettings(c, 4), batches::add);
    return job;
  }

  /**
   * The environment of a {@code bin/fraudwatch score} against these services, the job login's
   * password in a file under {@code dir} and the scorer's work directory there too.
   */
  Map<String, String> scoreEnvironment(Path dir) throws Exception {
    Path passwordFile = dir.resolve("job.password");
    java.nio.file.Files.writeString(
        passwordFile,
        services.jobPassword().orElseThrow().read(),
        java.nio.charset.StandardCharsets.UTF_8);
    return io.fraudwatch.app.chaos.ScorerProcess.environment(
        services, passwordFile, dir.resolve("scorer-work"));
  }

  /** Stops the running job gracefully, as demo and backtest do at the end of their stream. */
  void stopJob() {
    job.stop(true);
    job = null;
  }

  /** Stops the running job at once, as {@code score} does on Ctrl-C or SIGTERM. */
  void stopJobAtOnce() {
    job.stop(false);
    job = null;
  }

  void send(String topic, String key, byte[] value) {
    workload.send(topic, key, value);
  }

  void sendTransaction(String id, Instant time, String customer, String terminal, double amount) {
    workload.sendTransaction(id, time, customer, terminal, amount);
  }

  void sendLabel(String id, boolean fraud, Instant knownAt) {
    workload.sendLabel(id, fraud, knownAt);
  }

  /** Waits until Kafka acknowledged everything sent; a failed send fails the test here. */
  void flush() throws Exception {
    workload.flush();
  }

  long count(String sql) throws Exception {
    return view.count(sql);
  }

  <T> List<T> query(String sql, StreamView.RowMapper<T> mapper) throws Exception {
    return view.query(sql, mapper);
  }

  /**
   * Every record of a topic, read with a plain consumer until {@code expected} arrived or 60 s
   * passed.
   */
  List<ConsumerRecord<byte[], byte[]>> readTopic(String topic, long expected) {
    return view.readTopic(topic, expected);
  }

  Map<TopicPartition, Long> endOffsets(String topic) {
    return view.endOffsets(topic);
  }

  @Override
  public void close() {
    // a test that timed out was interrupted: the job must still stop, or the next test finds its
    // SparkContext
    Thread.interrupted();
    try {
      if (job != null) {
        job.stop(false);
      }
    } finally {
      try {
        io.fraudwatch.scoring.job.ExecutorResources.closeAll();
        workload.close();
      } finally {
        runtime.close();
      }
    }
  }
}
