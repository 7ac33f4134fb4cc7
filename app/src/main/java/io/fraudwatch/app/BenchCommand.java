package io.fraudwatch.app;

import io.fraudwatch.app.bench.BenchDatabase;
import io.fraudwatch.app.bench.BenchPlan;
import io.fraudwatch.app.bench.BenchReport;
import io.fraudwatch.app.bench.BenchResult;
import io.fraudwatch.app.bench.BenchTopics;
import io.fraudwatch.app.bench.ClusterShape;
import io.fraudwatch.app.bench.ExecutorFootprint;
import io.fraudwatch.app.bench.ExecutorProbe;
import io.fraudwatch.app.bench.SystemBench;
import io.fraudwatch.app.cluster.LocalSparkCluster;
import io.fraudwatch.app.pipeline.StreamPartitions;
import io.fraudwatch.app.runtime.FraudwatchRuntime;
import io.fraudwatch.app.runtime.RuntimeConfig;
import io.fraudwatch.app.runtime.Services;
import io.fraudwatch.bench.BenchModel;
import io.fraudwatch.bench.BenchWorkload;
import io.fraudwatch.config.Cli;
import io.fraudwatch.config.CommandFailure;
import io.fraudwatch.config.ConfigOptions;
import io.fraudwatch.config.DatabaseLogin;
import io.fraudwatch.config.Durations;
import io.fraudwatch.config.Settings;
import io.fraudwatch.features.HandbookFeatures;
import io.fraudwatch.models.ModelStore;
import io.fraudwatch.scoring.job.BatchReport;
import io.fraudwatch.scoring.job.ConsumerLoopScorer;
import io.fraudwatch.scoring.job.JobSettings;
import io.fraudwatch.scoring.job.ScoringConfig;
import io.fraudwatch.scoring.job.ScoringJobRunner;
import io.fraudwatch.sparkdist.SparkJars;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.launcher.JavaModuleOptions;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@DatabaseLogin(DatabaseLogin.Login.JOB)
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Benchmark the scoring job against a hand-written baseline on one workload.",
      "Starts embedded Kafka and PostgreSQL (data in --work-dir, which a new bench",
      "wipes first; or uses the configured kafka.bootstrap / jdbc.url: then it writes",
      "bench topics, history and scores there, so use a sandbox), writes a seeded",
      "history for --customers, and runs in turn:",
      "  baseline  plain Kafka consumers in this JVM, one thread per partition, each",
      "            poll handled by the job's own partition code (decode, history,",
      "            score, alerts to Kafka, rows + offsets in one transaction);",
      "  spark     the real scoring job (Spark Streaming, local mode) on the same",
      "            records; with --cluster on a standalone cluster on this machine (a",
      "            Master and --workers Workers, separate JVMs on Spark's jars alone,",
      "            one single-core executor each, the job's code from the job jar; the",
      "            driver in this JVM), the report then gives each executor's history",
      "            snapshot loads, heap and peak RSS.",
      "Each gets a warm-up, then a drain phase (sent as fast as Kafka takes them:",
      "sustained events/s) and a rate phase (open loop at 70%% of its own drain rate,",
      "or --rate, after an unmeasured lead-in of half as many events at that rate:",
      "event-to-alert latency from each event's scheduled send time). Prints",
      "a table; --report writes it as JSON."
    },
    footer = {
      "%nExit codes: 0 done; 1 a system failed or stalled; 2 bad arguments or a",
      "--work-dir that a bench or demo did not make; 130 stopped with Ctrl-C (143 by",
      "SIGTERM)."
    })
final class BenchCommand implements Callable<Integer> {
  static final Path DEFAULT_WORK_DIR = Path.of("work", "bench");
  static final String BENCH_JOB_NAME = "fraudwatch-bench";
  static final String BENCH_MODEL_NAME = "fraud-lr-bench";
  static final Map<String, String> BENCH_DEFAULTS =
      Map.of("job.name", BENCH_JOB_NAME, "model.name", BENCH_MODEL_NAME);

  @Mixin ConfigOptions config;
  @Mixin ExistingDataGuard.Flag existingData;
  @Spec CommandSpec spec;

  @Option(
      names = "--events",
      defaultValue = "200000",
      paramLabel = "N",
      description = "transactions per timed phase (default: ${DEFAULT-VALUE})")
  long events;

  @Option(
      names = "--customers",
      defaultValue = "10000",
      paramLabel = "C",
      description =
          "customers, each with --history-per-customer history rows (default: ${DEFAULT-VALUE})")
  int customers;

  @Option(
      names = "--partitions",
      defaultValue = "2",
      paramLabel = "P",
      description = "partitions of each system's transaction topic (default: ${DEFAULT-VALUE})")
  int partitions;

  @Mixin BatchIntervalOption batchInterval;

  static final class Mode {
    @Option(
        names = "--rate",
        paramLabel = "R",
        description =
            "only the rate phase, open loop at R transactions/s (default: drain, then 70%% of each system's drain rate)")
    Double rate;

    @Option(names = "--drain", description = "only the drain phase (no latency figures)")
    boolean drain;
  }

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Mode mode;

  @Mixin ReportOption report;

  @Option(
      names = "--rule-counts",
      split = ",",
      defaultValue = "0,10,100",
      paramLabel = "N",
      description =
          "active rule counts at which the rule stage's cost per event is measured first, compiled in"
              + " the task (as the job runs rules) and as a DataFrame per batch (default: ${DEFAULT-VALUE})")
  List<Integer> ruleCounts;

  @Option(
      names = "--rule-stage-only",
      description = "measure only the rule stage (seconds, no services), then stop")
  boolean ruleStageOnly;

  @Option(
      names = "--warmup",
      paramLabel = "N",
      description = "untimed transactions first (default: --events / 10, at least 1,000)")
  Long warmup;

  @Option(
      names = "--terminals",
      defaultValue = "10000",
      paramLabel = "N",
      description = "terminals (default: ${DEFAULT-VALUE})")
  int terminals;

  @Option(
      names = "--history-per-customer",
      defaultValue = "4",
      paramLabel = "N",
      description =
          "history rows per customer in the 29 days before the stream (default: ${DEFAULT-VALUE})")
  int historyPerCustomer;

  static final class Alerting {
    @Option(
        names = "--threshold",
        paramLabel = "P",
        description =
            "the bench model's alert threshold, 0 < P < 1 (default: "
                + BenchPlan.DEFAULT_THRESHOLD
                + ", about 3%% of the transactions alert, as in the demo)")
    Double threshold;

    @Option(
        names = "--alert-all",
        description =
            "every transaction alerts: each event is a latency sample and writes an alert row and"
                + " record (the worst case for the sinks)")
    boolean alertAll;

    double threshold() {
      return alertAll
          ? BenchPlan.ALERT_ALL
          : threshold == null ? BenchPlan.DEFAULT_THRESHOLD : threshold;
    }
  }

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Alerting alerting;

  @Option(
      names = "--seed",
      defaultValue = "0",
      paramLabel = "N",
      description = "workload seed (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(
      names = "--work-dir",
      paramLabel = "DIR",
      description =
          "directory for the embedded services' data (default: work/bench); emptied first if a bench made it")
  Path workDir;

  static final class Cluster {
    @Option(
        names = "--cluster",
        required = true,
        description =
            "run the spark system on a local standalone cluster (its logs stay in --work-dir/cluster)")
    boolean cluster;

    @Option(
        names = "--workers",
        defaultValue = "2",
        paramLabel = "N",
        description =
            "with --cluster: Workers, each running one executor (default: ${DEFAULT-VALUE})")
    int workers;

    @Option(
        names = "--executor-memory",
        defaultValue = "1g",
        paramLabel = "SIZE",
        description =
            "with --cluster: each executor's heap, e.g. 1500m or 2g (default: ${DEFAULT-VALUE})")
    String executorMemory;

    @Option(
        names = "--job-jar",
        paramLabel = "FILE",
        description = "with --cluster: the job jar (default: the one this launcher carries)")
    Path jobJar;
  }

  @ArgGroup(exclusive = false, multiplicity = "0..1")
  Cluster cluster;

  private final Map<String, String> env;
  private final StopSignal stopSignal;

  BenchCommand(Map<String, String> env, StopSignal stopSignal) {
    this.env = env;
    this.stopSignal = stopSignal;
  }

  @Override
  public Integer call() throws Exception {
    BenchPlan plan = plan();
    ClusterShape shape = clusterShape();
    Path jar = shape == null ? null : JobJar.locate(Optional.ofNullable(cluster.jobJar));
    report.requireWritable();
    PrintWriter console = spec.commandLine().getOut();
    console.println("Measuring the rule stage ...");
    console.flush();
    List<io.fraudwatch.app.bench.RuleStageBench.Figure> ruleStage =
        io.fraudwatch.app.bench.RuleStageBench.measure(ruleCounts, 200_000);
    console.print(io.fraudwatch.app.bench.RuleStageBench.table(ruleStage));
    console.flush();
    if (ruleStageOnly) {
      report.write(Map.of("rule_stage", ruleStage), console);
      return Cli.OK;
    }
    Map<String, String> flags = new LinkedHashMap<>();
    flags.put("work-dir", (workDir == null ? DEFAULT_WORK_DIR : workDir).toString());
    batchInterval.putInto(flags);
    // on shared services the bench must not take over a real scorer's offsets or promote over its
    // model
    Settings settings = ScratchRun.settings(config, env, flags, benchDefaults());
    String jobPrefix = settings.string("job.name");
    RuntimeConfig runtimeConfig = RuntimeConfig.from(settings);
    ScoringConfig base = ScoringConfig.from(settings);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ScratchRun.prepare(runtimeConfig, "bench", out, err);
    AtomicBoolean stopRequested = new AtomicBoolean();
    stopSignal.whenStopped("fraudwatch-bench-stop", () -> stopRequested.set(true));
    BenchWorkload workload =
        new BenchWorkload(
            plan.customers(),
            plan.terminals(),
            plan.historyPerCustomer(),
            plan.streamed(),
            plan.seed());
    long maxHeap = Runtime.getRuntime().maxMemory();
    if (shape == null && maxHeap < plan.heapNeeded()) {
      err.printf(
          Locale.ROOT,
          "note: the history of %,d customers needs about %,d MiB of heap while a snapshot loads,"
              + " this JVM may use %,d MiB; give it more with"
              + " FRAUDWATCH_JAVA_OPTS=-Xmx%dg (docs/benchmarks.md)%n",
          plan.customers(),
          plan.heapNeeded() >> 20,
          maxHeap >> 20,
          (plan.heapNeeded() >> 30) + 1);
    }
    CompletableFuture<LocalSparkCluster> starting = null;
    if (shape != null) {
      out.printf(
          "Starting a Spark standalone cluster: a Master and %d Workers (1 core and %s each) ...%n",
          shape.workers(), shape.workerMemory());
      if (plan.partitions() < shape.workers()) {
        err.printf(
            "note: %d partitions for %d executors: some executors get no task and load no history%n",
            plan.partitions(), shape.workers());
      }
      out.flush();
      starting =
          LocalSparkCluster.startInBackground(
              new LocalSparkCluster.Options(
                  runtimeConfig.workDir().resolve("cluster"),
                  SparkJars.on(System.getProperty("java.class.path")),
                  Arrays.asList(JavaModuleOptions.defaultModuleOptionArray()),
                  shape.workers(),
                  1,
                  shape.workerMemory()));
    }
    try (QuietLogs quiet = QuietLogs.forLiveProgress();
        FraudwatchRuntime runtime = FraudwatchRuntime.start(runtimeConfig, out);
        LocalSparkCluster sparkCluster =
            starting == null ? null : LocalSparkCluster.await(starting)) {
      if (sparkCluster != null) {
        out.printf(
            "Spark master %s (executor logs in %s)%n",
            sparkCluster.masterUrl(), sparkCluster.dir());
        flags.put("job.spark-master", sparkCluster.masterUrl());
      }
      Services services = runtime.services();
      ExistingDataGuard.check(
          "bench",
          runtimeConfig,
          services,
          java.util.stream.Stream.of("baseline", "spark")
              .flatMap(system -> BenchTopics.forSystem(services.topics(), system).all().stream())
              .toList(),
          existingData.allowExistingData,
          err);
      var ds = services.jobDataSource();
      BenchDatabase db = new BenchDatabase(ds, services.owner().orElse(ds));
      long t0 = System.nanoTime();
      ProgressLine seeding = ProgressLine.on(err);
      db.seedHistory(
          workload,
          base.labelDelay(),
          written ->
              seeding.show(
                  () ->
                      String.format(
                          Locale.ROOT,
                          "Writing history: %,d / %,d rows",
                          written,
                          workload.historyRows())));
      seeding.end();
      out.printf(
          Locale.ROOT,
          "History: %,d rows for %,d customers over %,d terminals written in %.1f s%n",
          workload.historyRows(),
          plan.customers(),
          plan.terminals(),
          (System.nanoTime() - t0) / 1e9);
      StreamPartitions.prepare(
          ds,
          base.maintenance().lockTimeout(),
          BenchWorkload.START,
          workload.streamTime(workload.streamed() - 1),
          out);
      long model =
          BenchModel.install(
              new ModelStore(ds, HandbookFeatures.SCHEMA),
              base.modelName(),
              plan.threshold(),
              workload);
      out.printf(
          Locale.ROOT,
          "Model %s v%d (threshold %s) is champion; %,d transactions per system: %,d warm-up + %s%n",
          base.modelName(),
          model,
          plan.threshold(),
          plan.streamed(),
          plan.warmup(),
          phases(plan));
      out.flush();
      SystemBench bench =
          new SystemBench(
              plan,
              workload,
              services,
              runtimeConfig.database().poolSize(),
              job -> scoringFor(flags, job),
              db,
              stopRequested::get,
              out,
              err);
      int threads = Math.min(plan.partitions(), Runtime.getRuntime().availableProcessors());
      BenchResult baseline =
          bench.run(
              "baseline",
              jobPrefix + "-baseline",
              (scoring, job, listener) -> {
                ConsumerLoopScorer s = ConsumerLoopScorer.start(scoring, job, threads, listener);
                return SystemBench.Running.of(s::awaitTermination, s::stop);
              });
      BenchResult spark =
          bench.run(
              "spark",
              jobPrefix + "-spark",
              (scoring, job, listener) -> {
                if (sparkCluster == null) {
                  ScoringJobRunner r = ScoringJobRunner.start(scoring, job, listener);
                  return SystemBench.Running.of(r::awaitTermination, () -> r.stop(false), true);
                }
                return onCluster(sparkCluster, shape, jar, scoring, job, listener);
              });
      Map<String, Object> used = plan.settings();
      used.put("batch_interval", Durations.format(base.batchInterval()));
      used.put(
          "spark_master", sparkCluster == null ? base.sparkMaster() : sparkCluster.masterUrl());
      if (shape != null) {
        used.putAll(shape.settings());
      }
      // what the job wrote besides the scored rows, alerts and history (the job's defaults): the
      // baseline writes none of these
      used.put("stream_state", base.streamState().enabled());
      used.put("lake", !base.lakePath().isEmpty());
      used.put("baseline_threads", threads);
      used.put("jdbc_pool_size", runtimeConfig.database().poolSize());
      used.put("cores", Runtime.getRuntime().availableProcessors());
      used.put("embedded_kafka", runtimeConfig.kafka().embedded());
      used.put("embedded_postgres", runtimeConfig.database().embedded());
      BenchReport result = new BenchReport(used, baseline, spark);
      out.printf(
          Locale.ROOT,
          "%nBench done in %.0f s (%,d customers, %,d events per phase, %d partitions, batch"
              + " interval %s, threshold %s; spark with sessions and activity windows %s, lake %s%s):%n%s",
          (System.nanoTime() - t0) / 1e9,
          plan.customers(),
          plan.events(),
          plan.partitions(),
          Durations.format(base.batchInterval()),
          plan.threshold() == BenchPlan.ALERT_ALL ? "alert-all" : plan.threshold(),
          base.streamState().enabled() ? "on" : "off",
          base.lakePath().isEmpty() ? "off" : "on",
          shape == null
              ? ""
              : String.format(
                  Locale.ROOT,
                  "; spark on %d executors of 1 core and %s",
                  shape.workers(),
                  shape.executorMemory()),
          result.table() + io.fraudwatch.app.bench.RuleStageBench.table(ruleStage));
      if (shape != null) {
        new ExecutorProbe(sparkCluster)
            .heapUnavailable()
            .ifPresent(why -> err.println("note: " + why));
      }
      report.write(new RuleStageReport(result.json(), ruleStage), out);
      out.flush();
    } finally {
      stopSignal.stopped();
    }
    return Cli.OK;
  }

  /** The cluster the spark system runs on, null without --cluster. */
  private ClusterShape clusterShape() {
    if (cluster == null) {
      return null;
    }
    try {
      return new ClusterShape(cluster.workers, cluster.executorMemory);
    } catch (IllegalArgumentException e) {
      throw new CommandFailure(Cli.USAGE, e.getMessage(), e);
    }
  }

  /**
   * The scoring job with its driver in this JVM and its executors on the cluster; measured after
   * the warm-up (the history loaded) and before it stops.
   */
  private static SystemBench.Running onCluster(
      LocalSparkCluster cluster,
      ClusterShape shape,
      Path jobJar,
      ScoringConfig scoring,
      JobSettings job,
      Consumer<BatchReport> listener)
      throws Exception {
    SparkConf conf = ScoringJobRunner.sparkConf(scoring);
    shape.sparkProperties(jobJar, cluster.dir().resolve("tmp")).forEach(conf::set);
    ScoringJobRunner r = ScoringJobRunner.start(new JavaSparkContext(conf), scoring, job, listener);
    ExecutorProbe probe = new ExecutorProbe(cluster);
    return new SystemBench.Running() {
      @Override
      public boolean awaitTermination(long millis) throws Exception {
        return r.awaitTermination(millis);
      }

      @Override
      public void stop() {
        r.stop(false);
      }

      @Override
      public void warmedUp() throws Exception {
        probe.afterLoad();
      }

      @Override
      public boolean batchesOnSchedule() {
        return true;
      }

      @Override
      public List<ExecutorFootprint> executors() throws Exception {
        return probe.footprints();
      }
    };
  }

  private BenchPlan plan() {
    try {
      return BenchPlan.of(
          events,
          warmup,
          customers,
          terminals,
          historyPerCustomer,
          partitions,
          alerting == null ? BenchPlan.DEFAULT_THRESHOLD : alerting.threshold(),
          seed,
          mode != null && mode.drain,
          mode == null ? null : mode.rate);
    } catch (IllegalArgumentException e) {
      throw new CommandFailure(Cli.USAGE, e.getMessage(), e);
    }
  }

  private ScoringConfig scoringFor(Map<String, String> flags, String jobName) {
    Map<String, String> withJob = new LinkedHashMap<>(flags);
    withJob.put("job.name", jobName);
    return ScoringConfig.from(ScratchRun.settings(config, env, withJob, benchDefaults()));
  }

  private Map<String, String> benchDefaults() {
    return ScratchRun.checkpointsIn(workDir == null ? DEFAULT_WORK_DIR : workDir, BENCH_DEFAULTS);
  }

  private static String phases(BenchPlan plan) {
    return switch (plan.mode()) {
      case DRAIN -> String.format(Locale.ROOT, "%,d drained", plan.events());
      case RATE ->
          String.format(
              Locale.ROOT,
              "%,d at %,.0f/s after a lead-in of %,d",
              plan.events(),
              plan.rate().getAsDouble(),
              plan.rateLeadIn());
      case DRAIN_THEN_RATE ->
          String.format(
              Locale.ROOT,
              "%,d drained + %,d at %.0f%% of the drain rate after a lead-in of %,d",
              plan.events(),
              plan.events(),
              100 * BenchPlan.RATE_FRACTION,
              plan.rateLeadIn());
    };
  }

  /** The bench's report with the rule stage's figures beside it. */
  record RuleStageReport(
      @com.fasterxml.jackson.annotation.JsonUnwrapped Object bench,
      @com.fasterxml.jackson.annotation.JsonProperty("rule_stage")
          List<io.fraudwatch.app.bench.RuleStageBench.Figure> ruleStage) {}
}
