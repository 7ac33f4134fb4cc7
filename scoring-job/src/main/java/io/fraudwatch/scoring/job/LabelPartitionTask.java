package io.fraudwatch.scoring.job;

import io.fraudwatch.avro.AvroCodec;
import io.fraudwatch.avro.AvroDecodeException;
import io.fraudwatch.avro.Label;
import io.fraudwatch.scoring.core.DecodedTransaction;
import io.fraudwatch.scoring.sink.LabelRecord;
import io.fraudwatch.scoring.sink.LabelWriter;
import io.fraudwatch.scoring.sink.OffsetStore;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.spark.streaming.kafka010.OffsetRange;

/**
 * One Kafka partition of the label topic for a batch: labels into PostgreSQL (and so into the
 * terminals' history) with the partition's next offset, in one transaction. Undecodable labels go to
 * the dead-letter topic like transactions do.
 */
final class LabelPartitionTask {
  /** How many records were read (dead letters included) and the labels decoded from them, for the learner. */
  record Outcome(long read, List<LabelRecord> labels) {}

  private LabelPartitionTask() {}

  static Outcome run(JobSettings s, OffsetRange range, java.time.Instant batchTime,
      Iterator<ConsumerRecord<byte[], byte[]>> records) throws Exception {
    if (range.count() == 0) {
      return new Outcome(0, List.of());
    }
    List<LabelRecord> labels = new ArrayList<>();
    KafkaOutputs kafka = new KafkaOutputs(ExecutorResources.producer(s));
    long read = 0;
    while (records.hasNext()) {
      ConsumerRecord<byte[], byte[]> r = records.next();
      read++;
      try {
        Label l = AvroCodec.LABEL.decode(r.value());
        labels.add(new LabelRecord(l.getTransactionId(), l.getFraud(), l.getKnownAt(), l.getSource().name()));
      } catch (AvroDecodeException e) {
        kafka.deadLetter(s.topics().deadLetter(), range.topic(), new DecodedTransaction.DeadLetter(r.key(), r.value(),
            e.reason().name(), "label: " + e.getMessage(), r.partition(), r.offset()));
      }
    }
    try (Connection c = ExecutorResources.postgres(s).getConnection()) {
      try {
        OffsetStore.requireContinuous(c, s.jobName(), range.topic(), range.partition(), range.fromOffset(),
            range.untilOffset());
        LabelWriter.write(c, s.jobName(), range.topic(), range.partition(), range.untilOffset(), batchTime, labels);
        kafka.confirm();
        c.commit();
      } catch (Exception e) {
        c.rollback();
        throw e;
      }
    }
    return new Outcome(read, labels);
  }
}
