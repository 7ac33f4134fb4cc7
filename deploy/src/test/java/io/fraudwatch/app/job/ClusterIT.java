package io.fraudwatch.app.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fraudwatch.app.cluster.LocalSparkCluster;
import io.fraudwatch.avro.Alert;
import io.fraudwatch.avro.AvroCodec;
import io.fraudwatch.features.HandbookFeatures;
import io.fraudwatch.models.rules.RuleAction;
import io.fraudwatch.models.rules.RuleCompiler;
import io.fraudwatch.models.rules.RuleSpark;
import io.fraudwatch.models.rules.RuleStore;
import io.fraudwatch.scoring.job.ExecutorResources;
import io.fraudwatch.sparkdist.SparkJars;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.management.ObjectName;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.spark.launcher.JavaModuleOptions;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The scoring job on a real Spark standalone cluster (a Master, two Workers and two executor JVMs
 * on this machine, on Spark's jars alone), the driver in this JVM (client mode): what local mode
 * hides. The executors get the job's code only from the job jar ({@code spark.jars}) and tasks only
 * what their closures carry, so per-executor pools and producers, the model broadcast, Avro
 * decoding and the absence of driver-side statics are all exercised for real. It lives in deploy/,
 * which builds the job jar, and uses the application's test fixture. An alert rule enabled while
 * the job runs is compiled on the driver and evaluated in the executor JVMs.
 */
class ClusterIT {
  private static final String JOB = "cluster-scorer";
  private static final Path CLUSTER_DIR = Path.of("target", "cluster-it").toAbsolutePath();
  private static final int FIRST = 2000;
  private static final int SECOND = 800;

  /** An analyst's alert rule, enabled mid-stream: it fires where the model (above 100) cannot. */
  private static final String RULE = "small-amount";

  private static final double RULE_BELOW = 60;

  /** Read by the driver's SparkConf (it loads {@code spark.*} system properties). */
  private static final Map<String, String> SPARK_PROPERTIES =
      Map.of(
          "spark.executor.memory", "600m",
          "spark.executor.cores", "1",
          "spark.cores.max", "2",
          "spark.driver.host", "127.0.0.1",
          "spark.driver.bindAddress", "127.0.0.1",
          // the first batches wait for both executors instead of piling up while they start
          "spark.scheduler.minRegisteredResourcesRatio", "1.0",
          "spark.executor.defaultJavaOptions", "-Djava.io.tmpdir=" + CLUSTER_DIR.resolve("tmp"),
          "spark.extraListeners", ScoringTasks.class.getName(),
          "spark.jars", System.getProperty("fraudwatch.job-jar"));

  @TempDir Path workDir;

  @BeforeEach
  void sparkProperties() {
    ScoringTasks.TASKS.clear();
    SPARK_PROPERTIES.forEach(System::setProperty);
  }

  @AfterEach
  void clearSparkProperties() {
    SPARK_PROPERTIES.keySet().forEach(System::clearProperty);
  }

  @Test
  @Timeout(420)
  void executorJvmsBuildTheirOwnResourcesAndSwitchModelsAndRuleSetsAtOneBatchBoundary()
      throws Exception {
    // Kafka and PostgreSQL start while the cluster does
    CompletableFuture<JobFixture> services =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return new JobFixture(workDir, 2);
              } catch (Exception e) {
                throw new CompletionException(e);
              }
            });
    LocalSparkCluster cluster;
    try {
      cluster =
          LocalSparkCluster.start(
              new LocalSparkCluster.Options(
                  CLUSTER_DIR,
                  SparkJars.on(System.getProperty("java.class.path")),
                  Arrays.asList(JavaModuleOptions.defaultModuleOptionArray()),
                  2,
                  1,
                  "700m"));
    } catch (IOException | RuntimeException e) {
      services.thenAccept(JobFixture::close);
      throw e;
    }
    List<ProcessHandle> clusterJvms;
    try (cluster;
        JobFixture f = services.join()) {
      // setup: v1 alerts above 200, v2 above 100; a topic already holding the first transactions
      long v1 = f.amountModel(200);
      long v2 = f.amountModel(100);
      f.promote(v1, "first");
      sendTransactions(f, 0, FIRST);

      // act: score at a bounded rate; promote v2 and enable an alert rule mid-stream; send more
      int driverPoolsBefore = ExecutorResources.poolCount();
      f.startJob(
          Map.of(
              "job.name",
              JOB,
              "job.spark-master",
              cluster.masterUrl(),
              "job.batch-interval",
              "2s",
              "job.max-rate-per-partition",
              "100",
              "job.backpressure",
              "false"));
      await()
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> scored(f) >= FIRST / 4);
      long scoredBeforePromotion = scored(f);
      f.promote(v2, "second");
      // the check runs Spark SQL's analyzer on the job's SparkContext, the cluster's
      Consumer<String> check = new RuleCompiler(RuleSpark.local(), HandbookFeatures.SCHEMA)::check;
      RuleStore rules = new RuleStore(f.services.operatorDataSource().orElseThrow());
      rules.add(
          RULE, "amount < " + RULE_BELOW, RuleAction.ALERT, "ana", "small-ticket ring", check);
      rules.enable(RULE, OptionalInt.empty(), "ana", "go", check);
      long ruleSet = rules.ruleSetId();
      sendTransactions(f, FIRST, SECOND);
      await()
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> scored(f) == FIRST + SECOND && ScoringTasks.records() == FIRST + SECOND);
      clusterJvms = cluster.jvms();

      // verify: everything scored exactly once, Avro decoded on the executors (no dead letters)
      assertThat(
              f.count("select count(distinct transaction_id) from fraudwatch.scored_transactions"))
          .isEqualTo(FIRST + SECOND);
      assertThat(
              f.count(
                  "select coalesce(sum(next_offset), 0) from fraudwatch.stream_offsets where topic = '"
                      + f.services.topics().transactions()
                      + "'"))
          .isEqualTo(FIRST + SECOND);
      assertThat(f.endOffsets(f.services.topics().deadLetter()).values()).allMatch(end -> end == 0);

      // verify: one model per batch, v1 then v2, each transaction scored by its batch's model
      List<long[]> batches =
          f.query(
              "select extract(epoch from batch_time) * 1000, min(model_version),"
                  + " max(model_version) from fraudwatch.scored_transactions group by batch_time order by batch_time",
              rs -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)});
      assertThat(batches)
          .allSatisfy(b -> assertThat(b[1]).as("versions in batch %s", b[0]).isEqualTo(b[2]));
      assertThat(batches.stream().map(b -> b[1]).distinct().toList()).containsExactly(v1, v2);
      assertThat(
              f.count(
                  "select count(*) from fraudwatch.scored_transactions where model_version = "
                      + v1))
          .isGreaterThanOrEqualTo(scoredBeforePromotion);
      assertThat(
              f.count(
                  "select count(*) from fraudwatch.scored_transactions where transaction_id like 'second-%'"
                      + " and model_version = "
                      + v2))
          .isEqualTo(SECOND);
      // the model's own decision is its version's threshold; the rule only adds alerts, so the
      // row's decision is the model's or the rule's
      assertThat(
              f.count(
                  "select count(*) from fraudwatch.scored_transactions"
                      + " where model_alert <> (amount > case model_version when "
                      + v1
                      + " then 200 else 100 end)"))
          .isZero();
      assertThat(
              f.count(
                  "select count(*) from fraudwatch.scored_transactions"
                      + " where alert <> (model_alert or rule_hits @> array['"
                      + RULE
                      + "'])"))
          .isZero();

      // verify: the rule fired in the executors on every small transaction sent after it was
      // enabled (their batches all read its rule set), and on nothing else; its alerts say so in
      // the alerts table and on the alert topic
      List<String> smallSecond =
          IntStream.range(FIRST, FIRST + SECOND)
              .filter(i -> amount(i) < RULE_BELOW)
              .mapToObj(i -> "second-" + i)
              .toList();
      assertThat(smallSecond).isNotEmpty();
      List<String> ruleAlerts =
          f.query(
              "select transaction_id from fraudwatch.scored_transactions where rule_hits <> '{}'",
              rs -> rs.getString(1));
      assertThat(ruleAlerts).containsAll(smallSecond);
      assertThat(
              f.count(
                  "select count(*) from fraudwatch.scored_transactions where rule_hits <> '{}'"
                      + " and (rule_set <> "
                      + ruleSet
                      + " or amount >= "
                      + RULE_BELOW
                      + " or rule_hits <> array['"
                      + RULE
                      + "'] or model_alert or not alert)"))
          .isZero();
      assertThat(
              f.query(
                  "select transaction_id from fraudwatch.alerts where not model_alert"
                      + " and reason_codes[1] = 'rule:"
                      + RULE
                      + "' and rule_set = "
                      + ruleSet,
                  rs -> rs.getString(1)))
          .containsExactlyInAnyOrderElementsOf(ruleAlerts);
      long alerts = f.count("select count(*) from fraudwatch.alerts");
      Map<String, Alert> onTopic = new HashMap<>();
      for (ConsumerRecord<byte[], byte[]> r : f.readTopic(f.services.topics().alerts(), alerts)) {
        Alert a = AvroCodec.ALERT.decode(r.value());
        onTopic.put(a.getTransactionId().toString(), a);
      }
      assertThat(onTopic).hasSize((int) alerts);
      assertThat(ruleAlerts)
          .allSatisfy(
              id -> {
                assertThat(onTopic.get(id).getModelAlert()).isFalse();
                assertThat(onTopic.get(id).getRules()).containsExactly("rule:" + RULE);
                assertThat(onTopic.get(id).getRuleSet()).isEqualTo(ruleSet);
              });

      // verify: the work ran in two executor JVMs, each scoring with v1 and then with the
      // re-broadcast v2
      Map<String, ProcessHandle> executors =
          cluster.executors().stream()
              .collect(
                  Collectors.toMap(
                      LocalSparkCluster.ForkedJvm::id, LocalSparkCluster.ForkedJvm::process));
      assertThat(executors).hasSize(2);
      assertThat(executors.values())
          .extracting(ProcessHandle::pid)
          .doesNotHaveDuplicates()
          .doesNotContain(ProcessHandle.current().pid());
      Map<Long, Long> versionOfBatch =
          batches.stream().collect(Collectors.toMap(b -> b[0], b -> b[1]));
      Map<String, Map<Long, Long>> recordsByExecutorAndVersion =
          ScoringTasks.TASKS.stream()
              .collect(
                  Collectors.groupingBy(
                      ScoringTasks.Task::executorId,
                      Collectors.groupingBy(
                          t -> versionOfBatch.getOrDefault(t.batchTime(), -1L),
                          Collectors.summingLong(ScoringTasks.Task::records))));
      assertThat(recordsByExecutorAndVersion).containsOnlyKeys(executors.keySet());
      assertThat(recordsByExecutorAndVersion.values())
          .allSatisfy(
              byVersion ->
                  assertThat(byVersion)
                      .containsOnlyKeys(v1, v2)
                      .allSatisfy((version, records) -> assertThat(records).isPositive()));

      // verify: each executor built its own pool and producer; the driver only its own pool, no
      // producer
      Map<String, Path> logs = cluster.executorLogs();
      for (String executor : executors.keySet()) {
        List<String> log = Files.readAllLines(logs.get(executor));
        assertThat(log)
            .as("executor %s's log %s", executor, logs.get(executor))
            .filteredOn(l -> l.contains("creating PostgreSQL pool"))
            .hasSize(1);
        assertThat(log)
            .filteredOn(l -> l.contains("creating idempotent Kafka producer"))
            .hasSize(1);
      }
      assertThat(ExecutorResources.poolCount())
          .as("pools the job built in the driver JVM")
          .isEqualTo(driverPoolsBefore + 1);
      assertThat(
              ManagementFactory.getPlatformMBeanServer()
                  .queryNames(new ObjectName("kafka.producer:type=producer-metrics,*"), null))
          .as("client ids of the Kafka producers in the driver JVM: the fixture's, not the job's")
          .isNotEmpty()
          .extracting(name -> name.getKeyProperty("client-id"))
          .doesNotContain("fraudwatch-" + JOB);
    }
    assertThat(clusterJvms).hasSizeGreaterThanOrEqualTo(5).noneMatch(ProcessHandle::isAlive);
  }

  private static void sendTransactions(JobFixture f, int from, int count) throws Exception {
    for (int i = from; i < from + count; i++) {
      f.sendTransaction(
          (i < FIRST ? "first-" : "second-") + i,
          Instant.parse("2018-04-01T00:00:00Z").plusSeconds(60L * i),
          "C" + (i % 50),
          "T" + (i % 80),
          amount(i));
    }
    f.flush();
  }

  /** Amounts never whole, so no transaction sits exactly on a model's threshold or the rule's. */
  private static double amount(int i) {
    return 50.5 + (i * 37) % 200;
  }

  private static long scored(JobFixture f) throws Exception {
    return f.count("select count(*) from fraudwatch.scored_transactions");
  }

  /**
   * Driver-side Spark listener (registered through {@code spark.extraListeners}): for each
   * successful task that read transactions, its batch, its executor and how many records it read
   * (the job's "records" accumulator).
   */
  public static final class ScoringTasks extends SparkListener {
    record Task(long batchTime, String executorId, long records) {}

    static final Queue<Task> TASKS = new ConcurrentLinkedQueue<>();
    private static final String BATCH_TIME =
        "spark.streaming.internal.batchTime"; // set by Spark Streaming's JobScheduler
    private final Map<Integer, Long> batchOfStage = new ConcurrentHashMap<>();

    static long records() {
      return TASKS.stream().mapToLong(Task::records).sum();
    }

    @Override
    public void onJobStart(SparkListenerJobStart job) {
      String batchTime = job.properties() == null ? null : job.properties().getProperty(BATCH_TIME);
      if (batchTime != null) {
        CollectionConverters.asJava(job.stageIds())
            .forEach(stage -> batchOfStage.put((Integer) stage, Long.parseLong(batchTime)));
      }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
      Long batchTime = batchOfStage.get(end.stageId());
      if (batchTime == null || !end.taskInfo().successful()) {
        return;
      }
      for (AccumulableInfo a : CollectionConverters.asJava(end.taskInfo().accumulables())) {
        long records =
            a.name().isDefined() && a.name().get().equals("records") && a.update().isDefined()
                ? ((Number) a.update().get()).longValue()
                : 0;
        if (records > 0) {
          TASKS.add(new Task(batchTime, end.taskInfo().executorId(), records));
        }
      }
    }
  }
}
