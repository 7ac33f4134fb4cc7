package io.fraudwatch.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudwatch.avro.Alert;
import io.fraudwatch.avro.AvroCodec;
import io.fraudwatch.avro.ReasonCode;
import io.fraudwatch.config.Cli;
import io.fraudwatch.embedded.EmbeddedKafkaBroker;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code alerts tail} prints each alert on the topic as a line, and says so of a record that is not
 * an alert.
 */
class AlertsTailIT {
  @TempDir Path dir;

  @Test
  void printsEachAlertOfTheTopicAsALine() throws Exception {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir, 0)) {
      broker.createTopics(List.of("fraud.alerts"), 2);
      Alert alert =
          Alert.newBuilder()
              .setTransactionId("tx-42")
              .setCustomerId("c-7")
              .setTerminalId("t-3")
              .setAmount(1234.5)
              .setEventTime(Instant.parse("2018-08-08T10:15:00Z"))
              .setScore(0.91)
              .setThreshold(0.5)
              .setModelVersion(3)
              .setReasonCodes(
                  List.of(new ReasonCode("TX_AMOUNT", 2.31), new ReasonCode("NIGHT", 0.4)))
              .setScoredAt(Instant.parse("2026-12-06T07:00:00Z"))
              .build();
      try (KafkaProducer<byte[], byte[]> p =
          new KafkaProducer<>(
              Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
              new ByteArraySerializer(),
              new ByteArraySerializer())) {
        p.send(
                new ProducerRecord<>(
                    "fraud.alerts",
                    0,
                    "tx-42".getBytes(StandardCharsets.UTF_8),
                    AvroCodec.ALERT.encode(alert)))
            .get();
        p.send(
                new ProducerRecord<>(
                    "fraud.alerts",
                    0,
                    "junk".getBytes(StandardCharsets.UTF_8),
                    "not avro".getBytes(StandardCharsets.UTF_8)))
            .get();
      }
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      StopSignal never = () -> new java.util.concurrent.CountDownLatch(1).await();

      int exit =
          FraudwatchCommand.run(
              Map.of("FRAUDWATCH_KAFKA_BOOTSTRAP", broker.bootstrapServers()),
              never,
              new PrintWriter(out, true),
              new PrintWriter(err, true),
              "alerts",
              "tail",
              "--from-beginning",
              "--max",
              "2");

      assertThat(exit).as(err.toString()).isEqualTo(Cli.OK);
      assertThat(out.toString())
          .contains(
              "2018-08-08T10:15:00Z  tx-42  customer c-7  terminal t-3  1,234.50  score"
                  + " 0.910 >= 0.500  v3  TX_AMOUNT:+2.31 NIGHT:+0.40")
          .contains("partition 0 offset 1 key junk: not an alert");
    }
  }
}
