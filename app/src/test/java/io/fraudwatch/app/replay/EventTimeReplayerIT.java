package io.fraudwatch.app.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fraudwatch.avro.AvroCodec;
import io.fraudwatch.avro.Label;
import io.fraudwatch.avro.Transaction;
import io.fraudwatch.embedded.EmbeddedKafkaBroker;
import io.fraudwatch.embedded.FreePorts;
import io.fraudwatch.scoring.job.KafkaClientSecurity;
import io.fraudwatch.simulator.Simulation;
import io.fraudwatch.simulator.SimulationParameters;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The replayer producing a simulation into a real broker, read back by a plain consumer. */
@Timeout(300)
class EventTimeReplayerIT {
  private static final String TRANSACTIONS = "fraud.transactions";
  private static final String LABELS = "fraud.labels";

  @TempDir static Path brokerDir;
  private static EmbeddedKafkaBroker broker;

  @BeforeAll
  static void startBroker() throws Exception {
    broker = EmbeddedKafkaBroker.start(brokerDir, 0);
    broker.createTopics(List.of(TRANSACTIONS, LABELS), 3);
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void replaysASimulationWithEveryLabelOneDelayLater() throws Exception {
    // setup: ~2,000 simulated transactions over 10 days, labels 2 days late
    Simulation simulation =
        Simulation.create(
            SimulationParameters.builder()
                .customers(100)
                .terminals(1000)
                .days(10)
                .startDate(LocalDate.of(2018, 4, 1))
                .seed(11)
                .build());
    List<ReplayTransaction> input = simulation.transactions().map(ReplayTransaction::of).toList();
    assertThat(input).hasSizeBetween(1_500, 3_000);
    Duration delay = Duration.ofDays(2);

    // act
    ReplayResult result;
    try (KafkaReplaySink sink =
        KafkaReplaySink.connect(
            broker.bootstrapServers(),
            KafkaClientSecurity.PLAINTEXT,
            TRANSACTIONS,
            LABELS,
            Duration.ofSeconds(30))) {
      result =
          new EventTimeReplayer(
                  sink,
                  new ReplayOptions(delay, OptionalDouble.empty(), true),
                  WallClock.SYSTEM,
                  p -> {})
              .replay(input.iterator());
    }

    // verify: every transaction once, keyed by customer, in event-time order per customer's
    // partition
    assertThat(result.transactions()).isEqualTo(input.size());
    assertThat(result.labels()).isEqualTo(input.size());
    List<ConsumerRecord<String, byte[]>> txRecords =
        TopicReader.readAll(broker.bootstrapServers(), TRANSACTIONS, input.size());
    assertThat(txRecords).hasSize(input.size());
    Map<String, Transaction> sent = new HashMap<>();
    Map<Integer, Instant> lastEventTimeByPartition = new HashMap<>();
    for (ConsumerRecord<String, byte[]> r : txRecords) {
      Transaction t = AvroCodec.TRANSACTION.decode(r.value());
      assertThat(r.key()).isEqualTo(t.getCustomerId());
      Instant previous = lastEventTimeByPartition.put(r.partition(), t.getEventTime());
      assertThat(previous == null || !t.getEventTime().isBefore(previous))
          .as("event-time order in partition %d", r.partition())
          .isTrue();
      assertThat(sent.put(t.getTransactionId(), t))
          .as("duplicate %s", t.getTransactionId())
          .isNull();
    }
    for (ReplayTransaction expected : input) {
      assertThat(sent.get(expected.transactionId())).isEqualTo(expected.toAvro());
    }

    // verify: every transaction's label once, keyed by transaction id, known one delay after the
    // event
    List<ConsumerRecord<String, byte[]>> labelRecords =
        TopicReader.readAll(broker.bootstrapServers(), LABELS, input.size());
    assertThat(labelRecords).hasSize(input.size());
    Map<String, Boolean> fraudById = new HashMap<>();
    input.forEach(t -> fraudById.put(t.transactionId(), t.fraud()));
    List<String> labelled = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> r : labelRecords) {
      Label label = AvroCodec.LABEL.decode(r.value());
      assertThat(r.key()).isEqualTo(label.getTransactionId());
      assertThat(label.getKnownAt())
          .isEqualTo(sent.get(label.getTransactionId()).getEventTime().plus(delay));
      assertThat(label.getFraud()).isEqualTo(fraudById.get(label.getTransactionId()));
      assertThat(label.getSource()).isEqualTo(LabelPolicy.sourceOf(label.getFraud()));
      labelled.add(label.getTransactionId());
    }
    assertThat(labelled).containsExactlyInAnyOrderElementsOf(fraudById.keySet());
    assertThat(fraudById).containsValue(true);
  }

  @Test
  void aRecordKafkaRefusesFailsTheReplayInsteadOfBeingDropped() throws Exception {
    String huge = "t".repeat(2 * 1024 * 1024); // above the producer's max.request.size
    try (KafkaReplaySink sink =
        KafkaReplaySink.connect(
            broker.bootstrapServers(),
            KafkaClientSecurity.PLAINTEXT,
            TRANSACTIONS,
            LABELS,
            Duration.ofSeconds(30))) {
      sink.send(
          new ReplayTransaction("big", Instant.parse("2018-04-01T00:00:00Z"), "c", huge, 1.0, false)
              .toAvro());
      assertThatThrownBy(sink::flush)
          .isInstanceOf(KafkaReplayException.class)
          .hasMessageContaining("a record to fraud.transactions (key c) was not delivered")
          .extracting(e -> ((KafkaReplayException) e).reason())
          .isEqualTo(KafkaReplayException.Reason.SEND_FAILED);
    }
  }

  @Test
  void aMissingTopicIsReportedBeforeAnythingIsSent() {
    assertThatThrownBy(
            () ->
                KafkaReplaySink.connect(
                    broker.bootstrapServers(),
                    KafkaClientSecurity.PLAINTEXT,
                    TRANSACTIONS,
                    "no.such.topic",
                    Duration.ofSeconds(30)))
        .isInstanceOf(KafkaReplayException.class)
        .hasMessageContaining("no.such.topic")
        .extracting(e -> ((KafkaReplayException) e).reason())
        .isEqualTo(KafkaReplayException.Reason.MISSING_TOPIC);
  }

  @Test
  void aBrokerThatDoesNotAnswerIsReportedWithinTheTimeout() throws Exception {
    String nobody = "127.0.0.1:" + FreePorts.pick();
    long t0 = System.nanoTime();
    assertThatThrownBy(
            () ->
                KafkaReplaySink.connect(
                    nobody,
                    KafkaClientSecurity.PLAINTEXT,
                    TRANSACTIONS,
                    LABELS,
                    Duration.ofSeconds(2)))
        .isInstanceOf(KafkaReplayException.class)
        .hasMessageContaining("Kafka at " + nobody + " did not answer within 2 s")
        .extracting(e -> ((KafkaReplayException) e).reason())
        .isEqualTo(KafkaReplayException.Reason.UNREACHABLE);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(20));
  }
}
