package io.fraudwatch.app.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fraudwatch.app.CommandRun;
import io.fraudwatch.config.Cli;
import io.fraudwatch.embedded.EmbeddedKafkaBroker;
import io.fraudwatch.testsupport.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The product's Kafka clients against a broker that authenticates (SASL/SCRAM) and encrypts (TLS):
 * good credentials carry a stream through the real job; wrong ones end the command quickly with
 * exit 6 and a message that says what was refused.
 */
class KafkaSecurityIT {
  private static final String USER = "scorer";
  private static final String PASSWORD = "scram-" + Long.toHexString(System.nanoTime());

  @TempDir static Path dir;
  private static TestCertificates certs;
  private static TestCertificates otherCa;
  private static EmbeddedKafkaBroker broker;
  private static Path passwordFile;

  @BeforeAll
  static void startAnAuthenticatingBroker() throws Exception {
    certs = TestCertificates.create(dir.resolve("ca"), "fraudwatch-test-ca");
    otherCa = TestCertificates.create(dir.resolve("other-ca"), "someone-elses-ca");
    broker =
        EmbeddedKafkaBroker.start(
            dir.resolve("kafka"),
            0,
            new EmbeddedKafkaBroker.SecureListeners(
                List.of("SASL_PLAINTEXT", "SASL_SSL"),
                Map.of(USER, PASSWORD),
                certs.serverKeystore(),
                certs.password()));
    broker.createTopics(
        List.of(
            "fraud.transactions",
            "fraud.labels",
            "fraud.alerts",
            "fraud.transactions.dlq",
            "sim.transactions",
            "sim.labels"),
        2);
    passwordFile = Files.writeString(dir.resolve("kafka.password"), PASSWORD + "\n");
  }

  @AfterAll
  static void stop() {
    if (broker != null) {
      broker.close();
    }
  }

  private static Map<String, String> sasl(String protocol, Path passwordFile) {
    return new HashMap<>(
        Map.of(
            "FRAUDWATCH_KAFKA_BOOTSTRAP",
            broker.bootstrapServers(protocol),
            "FRAUDWATCH_KAFKA_SECURITY_PROTOCOL",
            protocol,
            "FRAUDWATCH_KAFKA_SASL_MECHANISM",
            "SCRAM-SHA-256",
            "FRAUDWATCH_KAFKA_SASL_USERNAME",
            USER,
            "FRAUDWATCH_KAFKA_SASL_PASSWORD_FILE",
            passwordFile.toString()));
  }

  private static long records(String topic) throws Exception {
    try (Admin admin = broker.admin()) {
      Map<TopicPartition, OffsetSpec> latest =
          Map.of(
              new TopicPartition(topic, 0),
              OffsetSpec.latest(),
              new TopicPartition(topic, 1),
              OffsetSpec.latest());
      return admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).values().stream()
          .mapToLong(i -> i.offset())
          .sum();
    }
  }

  @Test
  @Timeout(600)
  void withGoodCredentialsTheDemoStreamsThroughTheJobOverScram() throws Exception {
    Path report = dir.resolve("demo.json");

    CommandRun demo =
        CommandRun.of(
            sasl("SASL_PLAINTEXT", passwordFile),
            "demo",
            "--customers",
            "100",
            "--terminals",
            "200",
            "--days",
            "14",
            "--bootstrap-days",
            "7",
            "--seed",
            "5",
            "--work-dir",
            dir.resolve("demo").toString(),
            "--report",
            report.toString());

    assertThat(demo.exit()).as(demo.err()).isEqualTo(Cli.OK);
    JsonNode json = new ObjectMapper().readTree(report.toFile());
    long streamed = json.get("transactions_streamed").asLong();
    assertThat(streamed).isPositive();
    assertThat(json.get("transactions_scored").asLong()).isEqualTo(streamed);
    assertThat(records("fraud.transactions")).isEqualTo(streamed);
    assertThat(records("fraud.alerts")).isGreaterThanOrEqualTo(json.get("alerts").asLong());
  }

  @Test
  @Timeout(300)
  void overSaslSslTheClientsCheckTheBrokersCertificate() throws Exception {
    Map<String, String> env = sasl("SASL_SSL", passwordFile);
    env.put("FRAUDWATCH_KAFKA_SSL_TRUSTSTORE", certs.truststore().toString());
    env.put("FRAUDWATCH_KAFKA_SSL_TRUSTSTORE_PASSWORD", certs.password());
    String[] simulate = {
      "simulate",
      "--to-kafka",
      "--customers",
      "20",
      "--terminals",
      "50",
      "--days",
      "2",
      "--seed",
      "3",
      "--label-delay",
      "1d",
      "--set",
      "topics.transactions=sim.transactions",
      "--set",
      "topics.labels=sim.labels"
    };

    CommandRun good = CommandRun.of(env, simulate);
    assertThat(good.exit()).as(good.err()).isEqualTo(Cli.OK);
    assertThat(records("sim.transactions")).isPositive();

    env.put("FRAUDWATCH_KAFKA_SSL_TRUSTSTORE", otherCa.truststore().toString());
    env.put("FRAUDWATCH_KAFKA_SSL_TRUSTSTORE_PASSWORD", otherCa.password());
    CommandRun untrusted = CommandRun.of(env, simulate);
    assertThat(untrusted.exit()).as(untrusted.err()).isEqualTo(Cli.ACCESS_DENIED);
    assertThat(untrusted.err()).contains("SSL handshake failed", "kafka.ssl-truststore");
    assertThat(untrusted.millis()).isLessThan(Duration.ofSeconds(60).toMillis());
  }

  @Test
  @Timeout(300)
  void aWrongPasswordEndsEachCommandWithExit6() throws Exception {
    Path wrong = Files.writeString(dir.resolve("wrong.password"), "definitely-wrong");
    Map<String, String> env = sasl("SASL_PLAINTEXT", wrong);

    CommandRun simulate =
        CommandRun.of(
            env,
            "simulate",
            "--to-kafka",
            "--customers",
            "10",
            "--terminals",
            "400",
            "--days",
            "1",
            "--set",
            "topics.transactions=sim.transactions",
            "--set",
            "topics.labels=sim.labels");
    CommandRun score = CommandRun.of(env, "score", "--set", "work-dir=" + dir.resolve("score"));

    for (CommandRun run : List.of(simulate, score)) {
      assertThat(run.exit()).as(run.err()).isEqualTo(Cli.ACCESS_DENIED);
      assertThat(run.err())
          .contains("Authentication failed", "invalid credentials", "kafka.sasl-username")
          .doesNotContain(PASSWORD);
      assertThat(run.millis())
          .as("refused, not retried")
          .isLessThan(Duration.ofSeconds(90).toMillis());
    }
  }
}
