package io.fraudwatch.scoring.job;

import io.fraudwatch.scoring.core.DecodedTransaction;
import io.fraudwatch.scoring.outage.Service;
import io.fraudwatch.scoring.outage.ServiceUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The records of one Kafka partition's share of a batch, read in full, kept so that any of them can
 * still go to the dead-letter topic with its original key and bytes after the database refused it.
 */
final class PartitionRecords {
  /**
   * How Spark's Kafka RDD says that no record arrived within its poll timeout
   * (spark-streaming-kafka-0-10).
   */
  private static final String NO_RECORDS = "Failed to get records for";

  private final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();

  private PartitionRecords() {}

  /**
   * Reads every record, handing each to {@code each} in order.
   *
   * @param pollTimeout how long Spark's consumer waits for records (the job sets it to the outage
   *     tolerance)
   * @throws ServiceUnavailableException when the broker gave no records within the poll timeout
   */
  static PartitionRecords read(
      Iterator<ConsumerRecord<byte[], byte[]>> iterator,
      String kafkaBootstrap,
      Duration pollTimeout,
      Consumer<ConsumerRecord<byte[], byte[]>> each) {
    PartitionRecords read = new PartitionRecords();
    try {
      while (iterator.hasNext()) {
        ConsumerRecord<byte[], byte[]> r = iterator.next();
        read.records.add(r);
        each.accept(r);
      }
    } catch (IllegalArgumentException | IllegalStateException e) {
      if (e.getMessage() != null && e.getMessage().contains(NO_RECORDS)) {
        throw new ServiceUnavailableException(
            Service.KAFKA, kafkaBootstrap, pollTimeout, pollTimeout, e);
      }
      throw e;
    }
    return read;
  }

  int size() {
    return records.size();
  }

  /** A dead letter for the record at {@code offset}: its original key and bytes with the reason. */
  DecodedTransaction.DeadLetter deadLetter(long offset, String reasonCode, String reason) {
    // in offset order, with gaps where a topic holds transaction markers
    int lo = 0;
    int hi = records.size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      long at = records.get(mid).offset();
      if (at < offset) {
        lo = mid + 1;
      } else if (at > offset) {
        hi = mid - 1;
      } else {
        return deadLetter(records.get(mid), reasonCode, reason);
      }
    }
    throw new IllegalArgumentException(
        "offset " + offset + " is not among the partition's records");
  }

  private static DecodedTransaction.DeadLetter deadLetter(
      ConsumerRecord<byte[], byte[]> r, String reasonCode, String reason) {
    return new DecodedTransaction.DeadLetter(
        r.key(), r.value(), reasonCode, reason, r.partition(), r.offset());
  }
}
