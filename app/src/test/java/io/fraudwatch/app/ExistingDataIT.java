package io.fraudwatch.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudwatch.app.runtime.FraudwatchRuntime;
import io.fraudwatch.app.runtime.RuntimeConfig;
import io.fraudwatch.config.Cli;
import io.fraudwatch.config.Settings;
import io.fraudwatch.embedded.EmbeddedKafkaBroker;
import io.fraudwatch.embedded.EmbeddedPostgresServer;
import io.fraudwatch.migrations.GroupRole;
import io.fraudwatch.migrations.Migrations;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * demo, bench and backtest refuse configured services that hold data they did not write (exit 4,
 * nothing written), unless --allow-existing-data; a run marks what it writes to, so a sandbox it
 * filled can be filled again.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExistingDataIT {
  private static final String JOB_PASSWORD = "job-password-unused-with-trust";

  @TempDir static Path dir;
  private static EmbeddedPostgresServer postgres;
  private static EmbeddedKafkaBroker kafka;
  private static Path csv;

  @BeforeAll
  static void servicesThatHoldSomeoneElsesData() throws Exception {
    postgres = EmbeddedPostgresServer.start(dir.resolve("pg"));
    Migrations.apply(postgres.superuserDataSource());
    Migrations.grantLogin(
        postgres.superuserDataSource(), GroupRole.JOB, "fraudwatch", JOB_PASSWORD.toCharArray());
    try (Connection c = postgres.superuserDataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          "INSERT INTO fraudwatch.alerts (transaction_id, customer_id, terminal_id, amount, event_time, score,"
              + " threshold, model_version) VALUES ('real-1', 'c', 't', 1, now(), 0.9, 0.5, 1)");
    }
    kafka = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0);
    kafka.createTopics(
        List.of("fraud.transactions", "fraud.labels", "fraud.alerts", "fraud.transactions.dlq"), 2);
    try (KafkaProducer<String, String> p =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", kafka.bootstrapServers()),
            new StringSerializer(),
            new StringSerializer())) {
      p.send(new ProducerRecord<>("fraud.transactions", "c", "a real transaction")).get();
    }
    csv = dir.resolve("input.csv");
    assertThat(
            CommandRun.of(
                    Map.of(),
                    "simulate",
                    "--csv",
                    csv.toString(),
                    "--customers",
                    "20",
                    "--terminals",
                    "40",
                    "--days",
                    "25",
                    "--start-date",
                    "2018-04-01")
                .exit())
        .isZero();
  }

  @AfterAll
  static void stop() {
    if (kafka != null) {
      kafka.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  private static Map<String, String> database() {
    return Map.of(
        "FRAUDWATCH_JDBC_URL", postgres.jdbcUrl(), "FRAUDWATCH_JDBC_PASSWORD", JOB_PASSWORD);
  }

  private static Map<String, String> broker() {
    return Map.of("FRAUDWATCH_KAFKA_BOOTSTRAP", kafka.bootstrapServers());
  }

  private static long count(String sql) throws Exception {
    try (Connection c = postgres.superuserDataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static long transactionRecords() throws Exception {
    try (Admin admin = kafka.admin()) {
      return admin
          .listOffsets(
              Map.of(
                  new TopicPartition("fraud.transactions", 0),
                  OffsetSpec.latest(),
                  new TopicPartition("fraud.transactions", 1),
                  OffsetSpec.latest()))
          .all()
          .get(30, TimeUnit.SECONDS)
          .values()
          .stream()
          .mapToLong(i -> i.offset())
          .sum();
    }
  }

  @Test
  @Order(1)
  void eachCommandRefusesADatabaseWithOthersDataBeforeWritingAnything() throws Exception {
    for (List<String> command :
        List.of(
            List.of("demo", "--work-dir", dir.resolve("w-demo").toString()),
            List.of("bench", "--work-dir", dir.resolve("w-bench").toString()),
            List.of(
                "backtest",
                "--csv",
                csv.toString(),
                "--work-dir",
                dir.resolve("w-backtest").toString()))) {
      CommandRun r = CommandRun.of(database(), command.toArray(String[]::new));

      assertThat(r.exit()).as(command + ": " + r.err()).isEqualTo(Cli.REFUSED);
      assertThat(r.err())
          .contains(
              "holds data that no demo, bench or backtest wrote",
              "fraudwatch.alerts",
              "--allow-existing-data")
          .doesNotContain(JOB_PASSWORD);
    }
    assertThat(count("SELECT count(*) FROM fraudwatch.scratch_runs")).isZero();
    assertThat(count("SELECT count(*) FROM fraudwatch.model_versions")).isZero();
    assertThat(count("SELECT count(*) FROM fraudwatch.customer_history")).isZero();
  }

  @Test
  @Order(2)
  void aBrokerWithOthersRecordsIsRefusedToo() throws Exception {
    CommandRun r =
        CommandRun.of(broker(), "demo", "--work-dir", dir.resolve("w-demo-kafka").toString());

    assertThat(r.exit()).as(r.err()).isEqualTo(Cli.REFUSED);
    assertThat(r.err())
        .contains(
            "Kafka at " + kafka.bootstrapServers(), "fraud.transactions", "--allow-existing-data");
    assertThat(transactionRecords()).isEqualTo(1);
  }

  @Test
  @Order(3)
  void theFlagLetsARunThroughAndItsMarkLetsTheNextOne() throws Exception {
    Map<String, String> both = new java.util.HashMap<>(database());
    both.putAll(broker());
    RuntimeConfig config =
        RuntimeConfig.from(
            Settings.load(
                RuntimeConfig.KEYS,
                Optional.empty(),
                both,
                Map.of("work-dir", dir.resolve("w-guard").toString())));
    StringWriter err = new StringWriter();
    try (FraudwatchRuntime runtime =
        FraudwatchRuntime.start(config, new PrintWriter(new StringWriter()))) {
      var topics = runtime.services().topics().all();
      ExistingDataGuard.check(
          "demo", config, runtime.services(), topics, true, new PrintWriter(err, true));
      ExistingDataGuard.check(
          "bench", config, runtime.services(), topics, false, new PrintWriter(err, true));
    }

    assertThat(err.toString()).contains("note: --allow-existing-data");
    assertThat(count("SELECT count(*) FROM fraudwatch.scratch_runs WHERE db_user = 'fraudwatch'"))
        .isEqualTo(2);
    try (Admin admin = kafka.admin()) {
      assertThat(admin.listTopics().names().get()).contains(ExistingDataGuard.MARKER_TOPIC);
    }
    assertThat(Files.exists(dir.resolve("w-guard"))).isFalse();
  }
}
