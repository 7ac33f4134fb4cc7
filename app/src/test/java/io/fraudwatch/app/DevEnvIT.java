package io.fraudwatch.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fraudwatch.avro.AvroCodec;
import io.fraudwatch.avro.Transaction;
import io.fraudwatch.config.Cli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * `bin/fraudwatch dev-env` as a user meets it: started, used with plain clients, stopped with
 * Ctrl-C.
 */
class DevEnvIT {

  @TempDir Path workDir;

  @Test
  @Timeout(300)
  void devEnvServesTheAnalystAndTheTransactionTopicThenStopsCleanly() throws Exception {
    // setup: dev-env running in the background, as in a terminal
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CountDownLatch ctrlC = new CountDownLatch(1);
    StopSignal stop = ctrlC::await;
    CompletableFuture<Integer> exit =
        CompletableFuture.supplyAsync(
            () ->
                FraudwatchCommand.run(
                    Map.of(),
                    stop,
                    new PrintWriter(out, true),
                    new PrintWriter(err, true),
                    "dev-env",
                    "--work-dir",
                    workDir.toString()));
    await()
        .atMost(Duration.ofMinutes(2))
        .until(() -> out.toString().contains("Press Ctrl-C") || exit.isDone());
    assertThat(exit).as("dev-env exited early: %s", err).isNotDone();

    String banner = out.toString();
    String bootstrap = find(banner, "Kafka bootstrap servers\\s+(\\S+)");
    String psql = find(banner, "(PGPASSFILE=\\S+ psql -h \\S+ -p \\d+ -U analyst fraudwatch)");
    int pgPort = Integer.parseInt(find(psql, "-p (\\d+)"));
    assertThat(Files.readString(workDir.resolve("dev-env.sh")))
        .contains("FRAUDWATCH_KAFKA_BOOTSTRAP=" + bootstrap)
        .doesNotContain(Files.readString(workDir.resolve("secrets/job.password")));
    assertThat(banner + err)
        .doesNotContain(Files.readString(workDir.resolve("secrets/analyst.password")));
    String envFile = Files.readString(workDir.resolve("dev-env.sh"));
    assertThat(envFile)
        .contains(
            "FRAUDWATCH_JDBC_OPERATOR_USER=operator",
            "FRAUDWATCH_JDBC_OPERATOR_PASSWORD_FILE="
                + workDir.resolve("secrets/operator.password"))
        .doesNotContain(Files.readString(workDir.resolve("secrets/operator.password")));

    // the models CLI, with what dev-env.sh exports, logs in as the operator
    Map<String, String> exported = new java.util.HashMap<>();
    for (String line : envFile.split("\n")) {
      Matcher m = Pattern.compile("export (\\w+)='?([^']*)'?").matcher(line);
      if (m.matches()) {
        exported.put(m.group(1), m.group(2));
      }
    }
    StringWriter modelsOut = new StringWriter();
    StringWriter modelsErr = new StringWriter();
    assertThat(
            FraudwatchCommand.run(
                exported,
                stop,
                new PrintWriter(modelsOut, true),
                new PrintWriter(modelsErr, true),
                "models",
                "list"))
        .as(modelsErr.toString())
        .isEqualTo(Cli.OK);
    assertThat(modelsOut.toString()).contains("no versions of model");
    // and the triage commands as the investigator
    StringWriter alertsOut = new StringWriter();
    assertThat(
            FraudwatchCommand.run(
                exported,
                stop,
                new PrintWriter(alertsOut, true),
                new PrintWriter(modelsErr, true),
                "alerts",
                "list"))
        .as(modelsErr.toString())
        .isEqualTo(Cli.OK);
    assertThat(alertsOut.toString()).contains("0 open alerts");
    assertThat(banner).contains("-U investigator fraudwatch");

    // act + verify: the analyst reads the (empty) alerts and cannot write them
    String analystPassword =
        Files.readAllLines(workDir.resolve("secrets/pgpass")).get(0).split(":")[4];
    try (Connection c =
            DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + pgPort + "/fraudwatch",
                "analyst",
                analystPassword);
        Statement st = c.createStatement()) {
      try (var rs = st.executeQuery("select count(*) from fraudwatch.alerts")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong(1)).isZero();
      }
      assertThatThrownBy(() -> st.executeUpdate("delete from fraudwatch.alerts"))
          .isInstanceOf(SQLException.class);
    }

    // act + verify: an Avro Transaction produced to fraud.transactions is read back intact
    Transaction sent =
        Transaction.newBuilder()
            .setTransactionId("tx-1")
            .setEventTime(Instant.parse("2018-04-01T10:15:30Z"))
            .setCustomerId("c-42")
            .setTerminalId("t-7")
            .setAmount(57.16)
            .build();
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true),
            new StringSerializer(),
            new ByteArraySerializer())) {
      producer
          .send(
              new ProducerRecord<>(
                  "fraud.transactions", sent.getCustomerId(), AvroCodec.TRANSACTION.encode(sent)))
          .get();
    }
    List<Transaction> received = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG,
                "dev-env-it",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest"),
            new StringDeserializer(),
            new ByteArrayDeserializer())) {
      consumer.subscribe(List.of("fraud.transactions"));
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                  received.add(AvroCodec.TRANSACTION.decode(r.value()));
                }
                return !received.isEmpty();
              });
    }
    assertThat(received).containsExactly(sent);

    // act: Ctrl-C; verify: clean exit
    ctrlC.countDown();
    assertThat(exit.get(Duration.ofSeconds(60).toSeconds(), java.util.concurrent.TimeUnit.SECONDS))
        .isEqualTo(Cli.OK);
    assertThat(out.toString()).contains("Stopped cleanly.");
  }

  private static String find(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    assertThat(m.find()).as("/%s/ in:%n%s", regex, text).isTrue();
    return m.group(1);
  }
}
