package io.fraudwatch.scoring.job;

import io.fraudwatch.avro.Alert;
import io.fraudwatch.avro.AvroCodec;
import io.fraudwatch.avro.Label;
import io.fraudwatch.avro.LabelSource;
import io.fraudwatch.models.rules.RuleDecision;
import io.fraudwatch.scoring.ScoredTransaction;
import io.fraudwatch.scoring.core.DecodedTransaction;
import io.fraudwatch.scoring.sink.LabelRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * What a partition sends to Kafka: alerts (key = transaction id, so consumers can drop repeats) and
 * dead letters; and the driver's relay, investigators' labels (the original key and bytes, the
 * reason in headers). Sends are confirmed before the partition's PostgreSQL transaction commits, so
 * a crash in between replays the batch and sends again: at least once, never lost.
 */
final class KafkaOutputs {
  static final String REASON = "fraudwatch.reason";
  static final String REASON_CODE = "fraudwatch.reason-code";
  static final String SOURCE = "fraudwatch.source";

  /**
   * Reason code of a record PostgreSQL refused although it passed validation; the reason has its
   * SQLState.
   */
  static final String REFUSED = "REFUSED";

  /**
   * Reason code of a transaction under an id that is stored (or earlier in the batch) with other
   * content.
   */
  static final String DUPLICATE_ID = "DUPLICATE_ID";

  private final Producer<byte[], byte[]> producer;
  private final List<Future<RecordMetadata>> pending = new ArrayList<>();

  KafkaOutputs(Producer<byte[], byte[]> producer) {
    this.producer = producer;
  }

  void alert(String topic, ScoredTransaction s, Instant scoredAt) {
    Alert alert =
        Alert.newBuilder()
            .setTransactionId(s.transactionId())
            .setCustomerId(s.customerId())
            .setTerminalId(s.terminalId())
            .setAmount(s.amount())
            .setEventTime(s.eventTime())
            .setScore(s.score())
            .setThreshold(s.threshold())
            .setModelVersion(s.modelVersion())
            .setReasonCodes(
                s.reasonCodes().stream()
                    .map(r -> new io.fraudwatch.avro.ReasonCode(r.feature(), r.contribution()))
                    .toList())
            .setScoredAt(scoredAt)
            .setModelAlert(s.modelAlert())
            .setRules(s.ruleHits().stream().map(RuleDecision::reasonCode).toList())
            .setRuleSet(s.ruleSet())
            .build();
    send(new ProducerRecord<>(topic, utf8(s.transactionId()), AvroCodec.ALERT.encode(alert)));
  }

  /** A label (key = transaction id, as the labels topic's producers key them). */
  void label(String topic, LabelRecord l) {
    Label label =
        Label.newBuilder()
            .setTransactionId(l.transactionId())
            .setFraud(l.fraud())
            .setKnownAt(l.knownAt())
            .setSource(LabelSource.valueOf(l.source()))
            .build();
    send(new ProducerRecord<>(topic, utf8(l.transactionId()), AvroCodec.LABEL.encode(label)));
  }

  void deadLetter(String topic, String sourceTopic, DecodedTransaction.DeadLetter d) {
    RecordHeaders headers = new RecordHeaders();
    headers.add(REASON_CODE, utf8(d.reasonCode()));
    headers.add(REASON, utf8(d.reason()));
    headers.add(SOURCE, utf8(sourceTopic + "-" + d.partition() + "@" + d.offset()));
    send(new ProducerRecord<>(topic, null, d.key(), d.value(), headers));
  }

  /**
   * A send that failed at once (no metadata for the topic within max.block.ms: the broker is
   * unreachable) fails the whole attempt here: each further send would wait as long again.
   */
  private void send(ProducerRecord<byte[], byte[]> record) {
    Future<RecordMetadata> f = producer.send(record);
    if (f.isDone()) {
      try {
        f.get();
      } catch (ExecutionException e) {
        throw new KafkaSendException(e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new KafkaSendException(e);
      }
    }
    pending.add(f);
  }

  /** A send Kafka refused or timed out; its cause says why. */
  static final class KafkaSendException extends RuntimeException {
    KafkaSendException(Throwable cause) {
      super("sending to Kafka failed: " + cause, cause);
    }
  }

  /**
   * Waits until Kafka acknowledged every send; throws if any failed, so that the attempt is
   * repeated.
   */
  void confirm() throws ExecutionException, InterruptedException {
    producer.flush();
    for (Future<RecordMetadata> f : pending) {
      f.get();
    }
    pending.clear();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
