package io.fraudwatch.scoring.job;

import io.fraudwatch.avro.AvroCodec;
import io.fraudwatch.avro.AvroDecodeException;
import io.fraudwatch.avro.Label;
import io.fraudwatch.avro.LabelValidation;
import io.fraudwatch.scoring.core.DecodedTransaction;
import io.fraudwatch.scoring.core.TransactionDecoder;
import io.fraudwatch.scoring.outage.Retry;
import io.fraudwatch.scoring.outage.Service;
import io.fraudwatch.scoring.sink.LabelRecord;
import io.fraudwatch.scoring.sink.LabelWriter;
import io.fraudwatch.scoring.sink.OffsetStore;
import io.fraudwatch.scoring.sink.Refused;
import io.fraudwatch.scoring.sink.SqlStates;
import io.fraudwatch.scoring.sink.StoredLabel;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.spark.streaming.kafka010.OffsetRange;

/**
 * One Kafka partition of the label topic for a batch: labels into PostgreSQL (and so into the
 * terminals' history) with the partition's next offset, in one transaction. Labels that cannot be
 * decoded, are invalid ({@link LabelValidation}) or that PostgreSQL refuses go to the dead-letter
 * topic like transactions do; the others are stored. The writes ride out outages as the
 * transactions' do.
 */
final class LabelPartitionTask {
  /**
   * How many labels were stored, the labels themselves (for the learner), the records sent to the
   * dead-letter topic by reason code, and the retries an outage cost.
   */
  record Outcome(
      long stored,
      List<StoredLabel> labels,
      Map<String, Long> deadLettersByReason,
      long outageRetries,
      long outageWaitMs)
      implements Serializable {

    /** The same counts without the labels, which only the learner needs on the driver. */
    Outcome withoutLabels() {
      return new Outcome(stored, List.of(), deadLettersByReason, outageRetries, outageWaitMs);
    }
  }

  /**
   * One attempt's result: the labels PostgreSQL refused (rolled back, nothing written), or none and
   * the transactions whose first label was written (committed).
   */
  private record Attempt(List<Refused<LabelRecord>> refused, Set<String> firstStored) {}

  private static final Set<Service> USES = EnumSet.allOf(Service.class);

  private LabelPartitionTask() {}

  static Outcome run(
      JobSettings s,
      OffsetRange range,
      Instant batchTime,
      Iterator<ConsumerRecord<byte[], byte[]>> records)
      throws Exception {
    if (range.count() == 0) {
      return new Outcome(0, List.of(), Map.of(), 0, 0);
    }
    Retry retry = s.retry();
    List<LabelRecord> labels = new ArrayList<>();
    // by identity: two equal labels from two records are two dead letters if refused
    Map<LabelRecord, Long> offsets = new IdentityHashMap<>();
    List<DecodedTransaction.DeadLetter> dead = new ArrayList<>();
    // a label known ahead of the clock would wait in the learner until the stream reached it
    Instant latestKnownAt = s.latestEventTime();
    PartitionRecords read =
        PartitionRecords.read(
            records,
            s.kafkaBootstrap(),
            retry.tolerance(),
            r -> {
              try {
                Label l = AvroCodec.LABEL.decode(r.value());
                Optional<String> invalid =
                    LabelValidation.invalidReason(l)
                        .or(
                            () ->
                                TransactionDecoder.aheadOfTheClock(
                                    "knownAt", l.getKnownAt(), latestKnownAt));
                if (invalid.isPresent()) {
                  dead.add(
                      new DecodedTransaction.DeadLetter(
                          r.key(),
                          r.value(),
                          TransactionDecoder.INVALID,
                          "label: " + invalid.get(),
                          r.partition(),
                          r.offset()));
                } else {
                  LabelRecord label =
                      new LabelRecord(
                          l.getTransactionId(), l.getFraud(), l.getKnownAt(), l.getSource().name());
                  labels.add(label);
                  offsets.put(label, r.offset());
                }
              } catch (AvroDecodeException e) {
                dead.add(
                    new DecodedTransaction.DeadLetter(
                        r.key(),
                        r.value(),
                        e.reason().name(),
                        "label: " + e.getMessage(),
                        r.partition(),
                        r.offset()));
              }
            });
    Retry.Stats stats = new Retry.Stats();
    while (true) {
      Attempt attempt =
          retry.call(
              USES,
              stats,
              TransactionPartitionTask::cancelled,
              () -> write(s, range, batchTime, labels, dead));
      if (attempt.refused().isEmpty()) {
        List<StoredLabel> stored =
            labels.stream()
                .map(l -> new StoredLabel(l, attempt.firstStored().contains(l.transactionId())))
                .toList();
        Map<String, Long> deadByReason = new TreeMap<>();
        dead.forEach(d -> deadByReason.merge(d.reasonCode(), 1L, Long::sum));
        return new Outcome(stored.size(), stored, deadByReason, stats.retries(), stats.waitedMs());
      }
      for (Refused<LabelRecord> r : attempt.refused()) {
        labels.removeIf(l -> l == r.row());
        dead.add(
            read.deadLetter(offsets.get(r.row()), KafkaOutputs.REFUSED, "label: " + r.reason()));
      }
    }
  }

  /** One attempt: commits, unless PostgreSQL refuses some labels (then rolled back). */
  private static Attempt write(
      JobSettings s,
      OffsetRange range,
      Instant batchTime,
      List<LabelRecord> labels,
      List<DecodedTransaction.DeadLetter> dead)
      throws Exception {
    KafkaOutputs kafka = new KafkaOutputs(ExecutorResources.producer(s));
    try (Connection c = ExecutorResources.postgres(s).getConnection()) {
      try {
        OffsetStore.requireContinuous(
            c,
            s.jobName(),
            range.topic(),
            range.partition(),
            range.fromOffset(),
            range.untilOffset());
        LabelWriter.Written written;
        try {
          written =
              LabelWriter.write(
                  c,
                  s.jobName(),
                  range.topic(),
                  range.partition(),
                  range.untilOffset(),
                  batchTime,
                  labels);
        } catch (SQLException e) {
          if (!SqlStates.refusesData(e)) {
            throw e;
          }
          c.rollback();
          List<Refused<LabelRecord>> refused = LabelWriter.findRefused(c, labels);
          c.rollback();
          if (refused.isEmpty()) {
            throw e;
          }
          return new Attempt(refused, Set.of());
        }
        for (DecodedTransaction.DeadLetter d : dead) {
          kafka.deadLetter(s.topics().deadLetter(), range.topic(), d);
        }
        kafka.confirm();
        c.commit();
        return new Attempt(List.of(), written.firstStored());
      } catch (Exception e) {
        throw TransactionPartitionTask.rolledBack(c, e);
      }
    }
  }
}
