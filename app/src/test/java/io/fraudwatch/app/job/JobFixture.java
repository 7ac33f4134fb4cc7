package io.fraudwatch.app.job;

import io.fraudwatch.avro.AvroCodec;
import io.fraudwatch.avro.Label;
import io.fraudwatch.avro.LabelSource;
import io.fraudwatch.avro.Transaction;
import io.fraudwatch.config.Settings;
import io.fraudwatch.app.runtime.FraudwatchRuntime;
import io.fraudwatch.app.runtime.RuntimeConfig;
import io.fraudwatch.app.runtime.Services;
import io.fraudwatch.features.HandbookFeatures;
import io.fraudwatch.models.ModelContent;
import io.fraudwatch.models.ModelKind;
import io.fraudwatch.models.ModelStore;
import io.fraudwatch.models.NewModelVersion;
import io.fraudwatch.models.Slot;
import io.fraudwatch.models.TrainingData;
import io.fraudwatch.scoring.job.BatchReport;
import io.fraudwatch.scoring.job.ScoringConfig;
import io.fraudwatch.scoring.job.ScoringJobRunner;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.postgresql.ds.PGSimpleDataSource;

/** Embedded Kafka + PostgreSQL, a model store, producers and readers for the job's end-to-end tests. */
final class JobFixture implements AutoCloseable {
  final Path workDir;
  final FraudwatchRuntime runtime;
  final Services services;
  final ModelStore models;
  final List<BatchReport> batches = new CopyOnWriteArrayList<>();
  private final KafkaProducer<byte[], byte[]> producer;
  private final List<java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata>> sends =
      new ArrayList<>();
  private ScoringJobRunner job;

  JobFixture(Path workDir, int partitions) throws Exception {
    this.workDir = workDir;
    RuntimeConfig config = RuntimeConfig.from(Settings.load(RuntimeConfig.KEYS, Optional.empty(), Map.of(),
        Map.of("work-dir", workDir.toString(), "kafka.partitions", Integer.toString(partitions))));
    runtime = FraudwatchRuntime.start(config, new PrintWriter(new StringWriter()));
    services = runtime.services();
    models = new ModelStore(dataSource(), HandbookFeatures.SCHEMA);
    // one request in flight: tests need every record exactly once and in order, not throughput
    producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, services.kafkaBootstrap(),
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1),
        new ByteArraySerializer(), new ByteArraySerializer());
  }

  io.fraudwatch.embedded.EmbeddedPostgresServer postgres() {
    return runtime.embeddedPostgresServer().orElseThrow();
  }

  io.fraudwatch.embedded.EmbeddedKafkaBroker kafka() {
    return runtime.embeddedKafkaBroker().orElseThrow();
  }

  /** Runs statements as the database's superuser (faults the job's login may not cause). */
  void asSuperuser(String... statements) throws Exception {
    try (Connection c = postgres().superuserDataSource().getConnection(); Statement st = c.createStatement()) {
      for (String sql : statements) {
        st.execute(sql);
      }
    }
  }

  /** Ends every backend of the job's login (pg_terminate_backend); returns how many. */
  long terminateJobBackends() throws Exception {
    try (Connection c = postgres().superuserDataSource().getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            + " WHERE usename = '" + services.jobUser() + "' AND pid <> pg_backend_pid()")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  PGSimpleDataSource dataSource() {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setUrl(services.jdbcUrl());
    ds.setUser(services.jobUser());
    ds.setPassword(services.jobPassword().orElseThrow().read());
    return ds;
  }

  /** A model scoring on the raw features: {@code sigmoid(weights · [features, 1])}. */
  long storeModel(double[] weights, double threshold) {
    int n = HandbookFeatures.SIZE;
    double[] stds = new double[n];
    java.util.Arrays.fill(stds, 1);
    ModelContent content = ModelContent.create(Clock.systemUTC(), ModelContent.DEFAULT_MODEL, "test", ModelKind.BATCH,
        HandbookFeatures.SCHEMA, new double[n], stds, weights, threshold,
        TrainingData.batch(Instant.parse("2018-04-01T00:00:00Z"), Instant.parse("2018-04-02T00:00:00Z"), "hand-made"),
        Map.of());
    return models.save(NewModelVersion.of(content));
  }

  /** Alerts when the amount exceeds {@code amount} (weight 1 on TX_AMOUNT, bias -amount, threshold 0.5). */
  long amountModel(double amount) {
    double[] w = new double[HandbookFeatures.SIZE + 1];
    w[0] = 1;
    w[HandbookFeatures.SIZE] = -amount;
    return storeModel(w, 0.5);
  }

  void promote(long version, String reason) {
    models.promote(version, Slot.CHAMPION, "test", reason);
  }

  ScoringConfig scoringConfig(Map<String, String> overrides) {
    Map<String, String> flags = new HashMap<>(Map.of("job.batch-interval", "500ms", "history.refresh-interval", "30s"));
    flags.putAll(overrides);
    return ScoringConfig.from(Settings.load(ScoringConfig.KEYS, Optional.empty(), Map.of(), flags));
  }


  ScoringJobRunner startJob(Map<String, String> overrides) throws Exception {
    ScoringConfig c = scoringConfig(overrides);
    job = ScoringJobRunner.start(c, services.jobSettings(c, 4), batches::add);
    return job;
  }

  void send(String topic, String key, byte[] value) {
    sends.add(producer.send(new ProducerRecord<>(topic, key == null ? null : key.getBytes(), value)));
  }

  void sendTransaction(String id, Instant time, String customer, String terminal, double amount) {
    Transaction tx = Transaction.newBuilder().setTransactionId(id).setEventTime(time).setCustomerId(customer)
        .setTerminalId(terminal).setAmount(amount).build();
    send(services.topics().transactions(), customer, AvroCodec.TRANSACTION.encode(tx));
  }

  void sendLabel(String id, boolean fraud, Instant knownAt) {
    Label l = Label.newBuilder().setTransactionId(id).setFraud(fraud).setKnownAt(knownAt)
        .setSource(fraud ? LabelSource.CHARGEBACK : LabelSource.INVESTIGATOR).build();
    send(services.topics().labels(), id, AvroCodec.LABEL.encode(l));
  }

  /** Waits until Kafka acknowledged everything sent; a failed send fails the test here. */
  void flush() throws Exception {
    producer.flush();
    for (var f : sends) {
      f.get();
    }
    sends.clear();
  }

  long count(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(services.jdbcUrl(), services.jobUser(),
        services.jobPassword().orElseThrow().read()); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  <T> List<T> query(String sql, RowMapper<T> mapper) throws Exception {
    try (Connection c = DriverManager.getConnection(services.jdbcUrl(), services.jobUser(),
        services.jobPassword().orElseThrow().read()); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      List<T> out = new ArrayList<>();
      while (rs.next()) {
        out.add(mapper.map(rs));
      }
      return out;
    }
  }

  interface RowMapper<T> {
    T map(ResultSet rs) throws java.sql.SQLException;
  }

  /** Every record of a topic, read with a plain consumer until {@code expected} arrived or 60 s passed. */
  List<ConsumerRecord<byte[], byte[]>> readTopic(String topic, long expected) {
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, services.kafkaBootstrap(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.GROUP_ID_CONFIG, "reader-" + System.nanoTime()), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (out.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
      }
      // whatever else is already there
      consumer.poll(Duration.ofMillis(500)).forEach(out::add);
    }
    return out;
  }

  Map<TopicPartition, Long> endOffsets(String topic) {
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, services.kafkaBootstrap()), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> tps = consumer.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      return consumer.endOffsets(tps);
    }
  }

  @Override
  public void close() {
    // a test that timed out was interrupted: the job must still stop, or the next test finds its SparkContext
    Thread.interrupted();
    try {
      if (job != null) {
        job.stop(false);
      }
    } finally {
      try {
        io.fraudwatch.scoring.job.ExecutorResources.closeAll();
        producer.close();
      } finally {
        runtime.close();
      }
    }
  }
}
