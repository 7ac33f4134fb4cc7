package io.fraudwatch.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fraudwatch.app.FraudwatchCommand;
import io.fraudwatch.app.StopSignal;
import io.fraudwatch.app.runtime.FraudwatchRuntime;
import io.fraudwatch.app.runtime.RuntimeConfig;
import io.fraudwatch.app.runtime.Services;
import io.fraudwatch.config.Cli;
import io.fraudwatch.config.Settings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The job on a real Spark standalone cluster, as a platform engineer runs it: a Master and two
 * Workers in JVMs of their own whose classpath holds Spark's jars only, the job jar submitted with
 * spark-submit in cluster deploy mode with --supervise, about 20,000 simulated transactions with
 * their labels, the driver JVM SIGKILLed once mid-stream and an executor JVM once. The run is
 * {@code bin/fraudwatch cluster-demo} against services this test started; the outcome is then
 * checked here, in PostgreSQL and on the topics, not taken from the command's own report.
 */
class StandaloneClusterIT {
  private static final Duration LABEL_DELAY = Duration.ofDays(7);

  @TempDir Path dir;

  @Test
  @Timeout(1200)
  void aSupervisedDriverAndAnExecutorKilledMidStreamLoseAndDuplicateNothing() throws Exception {
    // setup: Kafka and PostgreSQL of our own, which the run is configured to use
    RuntimeConfig servicesConfig =
        RuntimeConfig.from(
            Settings.load(
                RuntimeConfig.KEYS,
                Optional.empty(),
                Map.of(),
                Map.of("work-dir", dir.resolve("services").toString(), "kafka.partitions", "2")));
    try (FraudwatchRuntime runtime =
        FraudwatchRuntime.start(servicesConfig, new PrintWriter(new StringWriter()))) {
      Services services = runtime.services();
      Map<String, String> env =
          new HashMap<>(
              Map.of(
                  "FRAUDWATCH_KAFKA_BOOTSTRAP", services.kafkaBootstrap(),
                  "FRAUDWATCH_JDBC_URL", services.jdbcUrl(),
                  "FRAUDWATCH_JDBC_USER", services.jobUser(),
                  "FRAUDWATCH_JDBC_PASSWORD_FILE", services.jobPassword().orElseThrow().path(),
                  // the replay's lag bound paces the stream; backpressure would only slow the run
                  // down
                  "FRAUDWATCH_JOB_BACKPRESSURE", "false"));
      Path report = dir.resolve("report.json");
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();

      // act
      StopSignal never = () -> new java.util.concurrent.CountDownLatch(1).await();
      int exit =
          FraudwatchCommand.run(
              env,
              never,
              new PrintWriter(out, true),
              new PrintWriter(err, true),
              "cluster-demo",
              "--customers",
              "730",
              "--days",
              "35",
              "--kill-driver",
              "--kill-executor",
              "--work-dir",
              dir.resolve("run").toString(),
              "--report",
              report.toString());

      // verify: the command saw the faults it injected ridden out
      assertThat(exit).as("cluster-demo output:%n%s%n%s", out, err).isEqualTo(Cli.OK);
      JsonNode r = new ObjectMapper().readTree(report.toFile());
      assertThat(r.path("driver_restarts").asInt()).isGreaterThanOrEqualTo(1);
      assertThat(r.path("executor_losses").asInt()).isGreaterThanOrEqualTo(1);
      assertThat(r.path("executors").asInt()).isGreaterThanOrEqualTo(2);

      // verify, independently: every transaction sent was stored exactly once ...
      Map<TopicPartition, Long> txEnds = endOffsets(services, services.topics().transactions());
      long sent = txEnds.values().stream().mapToLong(Long::longValue).sum();
      assertThat(sent)
          .isGreaterThanOrEqualTo(20_000)
          .isEqualTo(r.path("transactions_sent").asLong());
      PGSimpleDataSource db = services.jobDataSource();
      assertThat(
              longs(
                  db,
                  "select count(*), count(distinct transaction_id) from fraudwatch.scored_transactions"))
          .containsExactly(sent, sent);
      // ... each alerting row has one stored alert, and the topic holds each of them (at least
      // once)
      long alerting =
          longs(db, "select count(*) from fraudwatch.scored_transactions where alert").get(0);
      assertThat(alerting).isPositive();
      assertThat(
              longs(db, "select count(*), count(distinct transaction_id) from fraudwatch.alerts"))
          .containsExactly(alerting, alerting);
      Set<String> stored =
          new HashSet<>(strings(db, "select transaction_id from fraudwatch.alerts"));
      assertThat(alertKeysOnTopic(services)).isEqualTo(stored);
      // ... the stored offsets end where the topics end, partition by partition (the job refuses
      // gaps as it goes)
      assertThat(storedOffsets(db, services.topics().transactions()))
          .isEqualTo(byPartition(txEnds));
      assertThat(storedOffsets(db, services.topics().labels()))
          .isEqualTo(byPartition(endOffsets(services, services.topics().labels())));
      // ... and no label was learned twice along the newest online version's lineage
      assertThat(r.path("labels_learned_along_lineage").isNumber())
          .as("an online version was stored")
          .isTrue();
      assertThat(r.path("labels_learned_along_lineage").asLong())
          .isLessThanOrEqualTo(r.path("labels_available").asLong());
      long labelsOfScored =
          longs(
                  db,
                  "select count(*) from fraudwatch.labels l join fraudwatch.scored_transactions s"
                      + " using (transaction_id) where greatest(l.known_at, s.event_time + interval '"
                      + LABEL_DELAY.toDays()
                      + " days') <= (select max(label_watermark) from fraudwatch.model_versions where kind = 'online')")
              .get(0);
      assertThat(r.path("labels_available").asLong()).isEqualTo(labelsOfScored);
    }
  }

  private static Map<TopicPartition, Long> endOffsets(Services services, String topic) {
    try (KafkaConsumer<byte[], byte[]> c = consumer(services)) {
      List<TopicPartition> partitions =
          c.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      return c.endOffsets(partitions);
    }
  }

  private static Map<Integer, Long> byPartition(Map<TopicPartition, Long> offsets) {
    Map<Integer, Long> m = new HashMap<>();
    offsets.forEach((tp, o) -> m.put(tp.partition(), o));
    return m;
  }

  private static Set<String> alertKeysOnTopic(Services services) {
    String topic = services.topics().alerts();
    Map<TopicPartition, Long> ends = endOffsets(services, topic);
    Set<String> keys = new HashSet<>();
    try (KafkaConsumer<byte[], byte[]> c = consumer(services)) {
      c.assign(ends.keySet());
      c.seekToBeginning(ends.keySet());
      while (ends.entrySet().stream().anyMatch(e -> c.position(e.getKey()) < e.getValue())) {
        for (ConsumerRecord<byte[], byte[]> rec : c.poll(Duration.ofSeconds(1))) {
          keys.add(new String(rec.key(), StandardCharsets.UTF_8));
        }
      }
    }
    return keys;
  }

  private static KafkaConsumer<byte[], byte[]> consumer(Services services) {
    return new KafkaConsumer<>(
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            services.kafkaBootstrap(),
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            false),
        new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
  }

  private static Map<Integer, Long> storedOffsets(PGSimpleDataSource db, String topic)
      throws Exception {
    Map<Integer, Long> m = new HashMap<>();
    try (Connection c = db.getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "select kafka_partition, next_offset from fraudwatch.stream_offsets"
                    + " where job_name = 'fraudwatch-cluster-demo' and topic = '"
                    + topic
                    + "'")) {
      while (rs.next()) {
        m.put(rs.getInt(1), rs.getLong(2));
      }
    }
    return m;
  }

  private static List<Long> longs(PGSimpleDataSource db, String sql) throws Exception {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      List<Long> values = new java.util.ArrayList<>();
      for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
        values.add(rs.getLong(i));
      }
      return values;
    }
  }

  private static List<String> strings(PGSimpleDataSource db, String sql) throws Exception {
    List<String> values = new java.util.ArrayList<>();
    try (Connection c = db.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        values.add(rs.getString(1));
      }
    }
    return values;
  }
}
