package io.fraudwatch.app;

import io.fraudwatch.app.cluster.ClusterDatabase;
import io.fraudwatch.app.cluster.ClusterWatch;
import io.fraudwatch.app.cluster.LocalSparkCluster;
import io.fraudwatch.app.cluster.SubmittedJob;
import io.fraudwatch.app.demo.DemoData;
import io.fraudwatch.app.demo.DemoDatabase;
import io.fraudwatch.app.demo.DemoSummary;
import io.fraudwatch.app.pipeline.JobStream;
import io.fraudwatch.app.pipeline.ModelVersionLine;
import io.fraudwatch.app.pipeline.StreamPartitions;
import io.fraudwatch.app.runtime.FraudwatchRuntime;
import io.fraudwatch.app.runtime.RuntimeConfig;
import io.fraudwatch.app.runtime.Services;
import io.fraudwatch.app.submit.SparkSubmitter;
import io.fraudwatch.app.submit.SubmitPlan;
import io.fraudwatch.config.Cli;
import io.fraudwatch.config.CommandFailure;
import io.fraudwatch.config.ConfigKey;
import io.fraudwatch.config.ConfigOptions;
import io.fraudwatch.config.DatabaseLogin;
import io.fraudwatch.config.Durations;
import io.fraudwatch.config.Settings;
import io.fraudwatch.features.HandbookFeatures;
import io.fraudwatch.models.ModelStore;
import io.fraudwatch.scoring.job.ScoringConfig;
import io.fraudwatch.scoring.job.ScoringJobMain;
import io.fraudwatch.sparkdist.SparkJars;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.spark.launcher.JavaModuleOptions;
import org.postgresql.ds.PGSimpleDataSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@DatabaseLogin(DatabaseLogin.Login.JOB)
@Command(
    name = "cluster-demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run the demo on a Spark standalone cluster on this machine, in cluster mode.",
      "Starts a Master and --workers Workers (separate JVMs on Spark's jars alone),",
      "embedded Kafka and PostgreSQL (data in --work-dir, which a new run wipes first),",
      "simulates and bootstraps as the demo does, submits the job jar with spark-submit",
      "--deploy-mode cluster --supervise, streams the workload, and checks the outcome",
      "in PostgreSQL and on the alert topic. --kill-driver SIGKILLs the driver JVM at",
      "30 %% (the Master restarts it), --kill-executor an executor JVM at 60 %% (its",
      "tasks are retried, the Master replaces it)."
    },
    footer = {
      "%nExit codes: 0 every transaction scored once, alerts consistent, each requested",
      "fault ridden out; 1 otherwise (the summary says what); 2 bad arguments."
    })
final class ClusterDemoCommand implements Callable<Integer> {
  static final Path DEFAULT_WORK_DIR = Path.of("work", "cluster-demo");
  static final String JOB_NAME = "fraudwatch-cluster-demo";

  @Mixin ConfigOptions config;
  @Mixin DemoWorkload workload;
  @Spec CommandSpec spec;

  @Option(
      names = "--workers",
      defaultValue = "2",
      paramLabel = "N",
      description = "Worker JVMs (default: ${DEFAULT-VALUE})")
  int workers;

  @Option(
      names = "--worker-cores",
      defaultValue = "2",
      paramLabel = "N",
      description =
          "cores each Worker offers; the driver takes one of them (default: ${DEFAULT-VALUE})")
  int workerCores;

  @Option(
      names = "--worker-memory",
      defaultValue = "2g",
      paramLabel = "SIZE",
      description =
          "memory each Worker offers to the driver and executors (default: ${DEFAULT-VALUE})")
  String workerMemory;

  @Option(
      names = "--driver-memory",
      defaultValue = "1g",
      paramLabel = "SIZE",
      description = "(default: ${DEFAULT-VALUE})")
  String driverMemory;

  @Option(
      names = "--executor-memory",
      defaultValue = "1g",
      paramLabel = "SIZE",
      description = "(default: ${DEFAULT-VALUE})")
  String executorMemory;

  @Option(
      names = "--kill-driver",
      description = "SIGKILL the driver JVM once, when 30 %% of the transactions are taken")
  boolean killDriver;

  @Option(
      names = "--kill-executor",
      description = "SIGKILL an executor JVM once, when 60 %% are taken")
  boolean killExecutor;

  @Option(
      names = "--max-lag",
      paramLabel = "N",
      description =
          "at most N transactions sent ahead of the job (default: a tenth of the workload when killing,"
              + " else 20,000)")
  Long maxLag;

  @Mixin BatchIntervalOption batchInterval;

  @Mixin ReportOption report;

  @Option(
      names = "--work-dir",
      paramLabel = "DIR",
      description =
          "directory for the cluster and the embedded services' data (default: work/cluster-demo)")
  Path workDir;

  @Option(
      names = "--job-jar",
      paramLabel = "FILE",
      description = "the job jar (default: the one this launcher carries)")
  Path jobJar;

  private final Map<String, String> env;
  private final StopSignal stopSignal;

  ClusterDemoCommand(Map<String, String> env, StopSignal stopSignal) {
    this.env = env;
    this.stopSignal = stopSignal;
  }

  /** What the run did, as {@code --report} writes it (snake_case keys). */
  record Report(
      int executors,
      int driverRestarts,
      int executorLosses,
      long transactionsSent,
      long transactionsScored,
      long scoredRows,
      long duplicates,
      long alerts,
      long alertingScoredRows,
      long alertRecordsOnTopic,
      long alertsOnTopic,
      Long labelsLearnedAlongLineage,
      Long labelsAvailable,
      double eventsPerSecond,
      double streamingSeconds,
      Double alertPrecision,
      Double fraudRecall,
      String masterUi,
      List<String> problems,
      Map<String, Object> settings) {}

  @Override
  public Integer call() throws Exception {
    workload.validate();
    if (workers < 1 || workerCores < 2) {
      throw new CommandFailure(
          Cli.USAGE,
          "--workers must be at least 1 and --worker-cores at least 2 (the driver"
              + " takes a core of a Worker)");
    }
    report.requireWritable();
    Path jar = JobJar.locate(Optional.ofNullable(jobJar));
    Map<String, String> flags = new LinkedHashMap<>();
    flags.put("work-dir", (workDir == null ? DEFAULT_WORK_DIR : workDir).toString());
    flags.put("features.label-delay", Durations.format(workload.labelDelay));
    batchInterval.putInto(flags);
    Settings settings =
        ScratchRun.settings(
            config,
            env,
            flags,
            ScratchRun.checkpointsIn(
                workDir == null ? DEFAULT_WORK_DIR : workDir,
                Map.of("job.name", JOB_NAME, "learning.version-every", "5s")));
    RuntimeConfig runtimeConfig = RuntimeConfig.from(settings);
    ScoringConfig scoring = ScoringConfig.from(settings);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ScratchRun.prepare(runtimeConfig, "cluster-demo", out, err);
    SparkSubmitter submitter = new SparkSubmitter(Optional.empty());

    AtomicBoolean stopRequested = new AtomicBoolean();
    stopSignal.whenStopped("fraudwatch-cluster-demo-stop", () -> stopRequested.set(true));
    long t0 = System.nanoTime();
    out.printf(
        "Starting a Spark standalone cluster: a Master and %d Workers (%d cores, %s each) ...%n",
        workers, workerCores, workerMemory);
    out.flush();
    CompletableFuture<LocalSparkCluster> starting =
        LocalSparkCluster.startInBackground(
            new LocalSparkCluster.Options(
                runtimeConfig.workDir().resolve("cluster"),
                SparkJars.on(System.getProperty("java.class.path")),
                Arrays.asList(JavaModuleOptions.defaultModuleOptionArray()),
                workers,
                workerCores,
                workerMemory));
    try (QuietLogs quiet = QuietLogs.forLiveProgress();
        FraudwatchRuntime runtime = FraudwatchRuntime.start(runtimeConfig, out);
        LocalSparkCluster cluster = LocalSparkCluster.await(starting)) {
      out.printf(
          "Spark master %s, web UI %s (executor and driver logs in %s)%n",
          cluster.masterUrl(), cluster.masterUiUrl(), cluster.dir());
      Services services = runtime.services();
      DemoData data = workload.simulate(out);
      PGSimpleDataSource db = services.jobDataSource();
      ModelStore store = new ModelStore(db, HandbookFeatures.SCHEMA);
      workload.bootstrap(data, store, db, scoring, "cluster-demo", out);

      StreamPartitions.prepare(
          db,
          scoring.maintenance().lockTimeout(),
          data.streamingStart(),
          data.streaming().get(data.streaming().size() - 1).eventTime(),
          out);
      Settings jobConfig = jobConfig(settings, services);
      SubmitPlan plan =
          SubmitPlan.of(
              cluster.masterUrl(),
              SubmitPlan.DeployMode.CLUSTER,
              true,
              jar.toString(),
              jobConfig,
              new SubmitPlan.Resources(
                  Optional.of(driverMemory),
                  Optional.of(executorMemory),
                  Optional.of(1),
                  Optional.of(workers * workerCores - 1),
                  Optional.empty()),
              Map.of());
      String driverId = submit(cluster, submitter, plan, out);
      ClusterWatch watch = new ClusterWatch(cluster);
      ClusterDatabase jobDb = new ClusterDatabase(db, scoring.jobName());
      long total = data.streaming().size();
      long lag =
          maxLag != null ? maxLag : killDriver || killExecutor ? Math.max(500, total / 10) : 20_000;
      Optional<JobStream.Streamed> streamed;
      try (SubmittedJob job =
          new SubmittedJob(
              cluster,
              watch,
              submitter,
              jobDb,
              services.topics().transactions(),
              driverId,
              new SubmittedJob.Faults(killDriver, killExecutor, total),
              err)) {
        streamed =
            stopRequested.get()
                ? Optional.empty()
                : JobStream.run(
                    data.streaming(),
                    job,
                    services,
                    new JobStream.Options(
                        workload.labelDelay, OptionalDouble.empty(), OptionalLong.of(lag)),
                    stopRequested,
                    err);
      }
      if (streamed.isEmpty()) {
        err.println(
            "error: stopped before every transaction was scored (Ctrl-C); the data so far stays in "
                + runtimeConfig.workDir());
        return Cli.FAILURE;
      }
      Report r =
          report(
              data,
              streamed.get(),
              watch,
              jobDb,
              new DemoDatabase(db),
              services,
              store,
              scoring,
              cluster);
      out.printf("%nCluster demo done in %.0f s:%n%s", (System.nanoTime() - t0) / 1e9, table(r));
      report.write(r, out);
      out.flush();
      if (!r.problems().isEmpty()) {
        err.println("error: " + String.join("; ", r.problems()));
        return Cli.FAILURE;
      }
    } finally {
      stopSignal.stopped();
    }
    return Cli.OK;
  }

  /**
   * The job's configuration as the submitted driver reads it: the scorer's keys this run set
   * (secrets by their files), the services it runs against, and the job login's password as a file.
   */
  private Settings jobConfig(Settings settings, Services services) {
    Map<String, String> flags = new LinkedHashMap<>();
    for (ConfigKey key : ScoringJobMain.KEYS) {
      if (key.secret()) {
        settings.secretFile(key.name()).ifPresent(f -> flags.put(key.fileKey(), f.toString()));
      } else if (!settings.origin(key.name()).equals("default")) {
        settings.optional(key.name()).ifPresent(v -> flags.put(key.name(), v));
      }
    }
    flags.put("kafka.bootstrap", services.kafkaBootstrap());
    flags.put("jdbc.url", services.jdbcUrl());
    flags.put("jdbc.user", services.jobUser());
    services.jobPassword().ifPresent(f -> flags.put("jdbc.password-file", f.path()));
    return Settings.load(ScoringJobMain.KEYS, Optional.empty(), Map.of(), flags);
  }

  /** Runs spark-submit in cluster mode and returns the driver's id, once the Master runs it. */
  private static String submit(
      LocalSparkCluster cluster, SparkSubmitter submitter, SubmitPlan plan, PrintWriter out)
      throws Exception {
    Path log = cluster.dir().resolve("submit.log");
    out.printf(
        "Submitting %s in cluster mode with --supervise (spark-submit's output in %s) ...%n",
        plan.jobJarName(), log);
    out.flush();
    int exit =
        submitter
            .process(submitter.submitCommand(plan))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start()
            .waitFor();
    if (exit != 0) {
      throw new CommandFailure(Cli.FAILURE, "spark-submit exited with " + exit + "; see " + log);
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      Optional<String> running =
          cluster.driverStates().entrySet().stream()
              .filter(e -> e.getValue().equals("RUNNING"))
              .map(Map.Entry::getKey)
              .findFirst();
      if (running.isPresent()) {
        out.printf("Driver %s runs on the cluster%n", running.get());
        out.flush();
        return running.get();
      }
      Thread.sleep(250);
    }
    throw new CommandFailure(
        Cli.FAILURE,
        "the Master runs no driver a minute after spark-submit; see "
            + log
            + " and "
            + cluster.dir().resolve("logs"));
  }

  private Report report(
      DemoData data,
      JobStream.Streamed streamed,
      ClusterWatch watch,
      ClusterDatabase jobDb,
      DemoDatabase demoDb,
      Services services,
      ModelStore store,
      ScoringConfig scoring,
      LocalSparkCluster cluster)
      throws Exception {
    long[] scored = jobDb.rowsAndDistinctIds("scored_transactions");
    long[] alerts = jobDb.rowsAndDistinctIds("alerts");
    long alerting = jobDb.alertingScoredRows();
    long[] onTopic = alertsOnTopic(services);
    Optional<ClusterDatabase.Lineage> lineage =
        jobDb.lineage(scoring.modelName(), workload.labelDelay);
    Instant from = data.streamingStart();
    Instant to = data.streaming().get(data.streaming().size() - 1).eventTime().plusMillis(1);
    DemoSummary quality =
        DemoSummary.of(
            data.streaming().size(),
            data.streamingFraudIds(),
            scored[1],
            demoDb.alerts(from, to),
            streamed.seconds(),
            0,
            ModelVersionLine.of(store, scoring.modelName()));

    List<String> problems = new java.util.ArrayList<>();
    long sent = data.streaming().size();
    if (scored[1] != sent)
      problems.add(String.format(Locale.ROOT, "%,d of %,d transactions scored", scored[1], sent));
    if (scored[0] != scored[1] || alerts[0] != alerts[1]) problems.add("duplicate rows stored");
    if (alerts[1] != alerting)
      problems.add(
          String.format(
              Locale.ROOT, "%,d alerts stored for %,d alerting rows", alerts[1], alerting));
    if (onTopic[1] != alerts[1])
      problems.add(
          String.format(
              Locale.ROOT,
              "%,d distinct alerts on the topic for %,d" + " stored",
              onTopic[1],
              alerts[1]));
    if (lineage.isPresent() && lineage.get().learned() > lineage.get().available()) {
      problems.add(
          String.format(
              Locale.ROOT,
              "%,d labels learned along the lineage for %,d available: some twice",
              lineage.get().learned(),
              lineage.get().available()));
    }
    if (killDriver && watch.driverRestarts() < 1)
      problems.add("the driver was killed but not restarted");
    if (killExecutor && watch.executorLosses() < 1)
      problems.add("no executor was lost to the kill");
    if (watch.peakExecutors() < Math.min(2, workers * workerCores - 1)) {
      problems.add("fewer than two executors ran at once");
    }
    Map<String, Object> used = workload.reportSettings();
    used.put("workers", workers);
    used.put("worker_cores", workerCores);
    used.put("worker_memory", workerMemory);
    used.put("driver_memory", driverMemory);
    used.put("executor_memory", executorMemory);
    used.put("kill_driver", killDriver);
    used.put("kill_executor", killExecutor);
    used.put("batch_interval", batchInterval.value);
    return new Report(
        watch.peakExecutors(),
        watch.driverRestarts(),
        watch.executorLosses(),
        sent,
        scored[1],
        scored[0],
        (scored[0] - scored[1]) + (alerts[0] - alerts[1]),
        alerts[1],
        alerting,
        onTopic[0],
        onTopic[1],
        lineage.map(ClusterDatabase.Lineage::learned).orElse(null),
        lineage.map(ClusterDatabase.Lineage::available).orElse(null),
        streamed.eventsPerSecond(),
        streamed.seconds(),
        orNull(quality.alertPrecision()),
        orNull(quality.fraudRecall()),
        cluster.masterUiUrl(),
        List.copyOf(problems),
        used);
  }

  /**
   * Alert records on the topic, and distinct keys (transaction ids): at least once, so records may
   * repeat.
   */
  private static long[] alertsOnTopic(Services services) {
    Map<String, Object> props =
        services.kafkaClient(Map.of(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false));
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(services.topics().alerts()).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long records = 0;
      Set<String> keys = new HashSet<>();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofSeconds(1))) {
          records++;
          keys.add(new String(r.key(), java.nio.charset.StandardCharsets.UTF_8));
        }
      }
      return new long[] {records, keys.size()};
    }
  }

  private static String table(Report r) {
    StringBuilder s = new StringBuilder();
    line(s, "executors", r.executors() + " at once");
    line(s, "driver restarts", Integer.toString(r.driverRestarts()));
    line(s, "executor losses", Integer.toString(r.executorLosses()));
    line(
        s,
        "transactions",
        String.format(
            Locale.ROOT,
            "%,d sent, %,d scored, %,d duplicates",
            r.transactionsSent(),
            r.transactionsScored(),
            r.duplicates()));
    line(
        s,
        "events/s",
        String.format(
            Locale.ROOT, "%,.0f (%.1f s streaming)", r.eventsPerSecond(), r.streamingSeconds()));
    line(
        s,
        "alerts",
        String.format(
            Locale.ROOT,
            "%,d stored for %,d alerting rows; %,d on the topic (%,d records)",
            r.alerts(),
            r.alertingScoredRows(),
            r.alertsOnTopic(),
            r.alertRecordsOnTopic()));
    line(
        s,
        "alert precision",
        r.alertPrecision() == null
            ? "-"
            : String.format(Locale.ROOT, "%.1f %%", 100 * r.alertPrecision()));
    line(
        s,
        "fraud recall",
        r.fraudRecall() == null
            ? "-"
            : String.format(Locale.ROOT, "%.1f %%", 100 * r.fraudRecall()));
    line(
        s,
        "labels learned",
        r.labelsLearnedAlongLineage() == null
            ? "- (no online version)"
            : String.format(
                Locale.ROOT,
                "%,d along the lineage of %,d available%s",
                r.labelsLearnedAlongLineage(),
                r.labelsAvailable(),
                r.labelsLearnedAlongLineage() < r.labelsAvailable()
                    ? " (the rest arrived after the learner had passed their label delay and were not yet"
                        + " learned when a driver stopped abruptly: stored, not learned)"
                    : ""));
    line(s, "outcome", r.problems().isEmpty() ? "ok" : String.join("; ", r.problems()));
    return s.toString();
  }

  private static void line(StringBuilder s, String name, String value) {
    s.append(String.format(Locale.ROOT, "  %-18s %s%n", name, value));
  }

  private static Double orNull(OptionalDouble v) {
    return v.isPresent() ? v.getAsDouble() : null;
  }
}
