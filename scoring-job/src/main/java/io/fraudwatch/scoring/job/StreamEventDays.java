package io.fraudwatch.scoring.job;

import io.fraudwatch.scoring.core.DecodedTransaction;
import io.fraudwatch.scoring.core.TransactionDecoder;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At start, the event-time days the stream begins and (so far) ends with: the first record the job
 * will read in each partition of the transactions topic and the last one there now. A replay of old
 * data (2018, say) thus has its first days' partitions before the first batch; the days in between
 * are made ahead as batches reach them.
 */
final class StreamEventDays {
  private static final Logger LOG = LoggerFactory.getLogger(StreamEventDays.class);
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(5);

  private StreamEventDays() {}

  /**
   * Days of the records at each partition's start offset and at its end; empty where nothing can be
   * read.
   */
  static Set<LocalDate> at(
      Map<String, Object> kafkaParams, Map<TopicPartition, Long> from, Instant latestEventTime) {
    Set<LocalDate> days = new TreeSet<>();
    Map<String, Object> p = new HashMap<>(kafkaParams);
    p.remove(ConsumerConfig.GROUP_ID_CONFIG);
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "fraudwatch-start");
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      Map<TopicPartition, Long> ends = consumer.endOffsets(from.keySet(), READ_TIMEOUT);
      for (Map.Entry<TopicPartition, Long> e : from.entrySet()) {
        long end = ends.getOrDefault(e.getKey(), 0L);
        if (e.getValue() < end) {
          read(consumer, e.getKey(), e.getValue(), latestEventTime, days);
          read(consumer, e.getKey(), end - 1, latestEventTime, days);
        }
      }
    } catch (KafkaException e) {
      LOG.warn(
          "could not read the stream's first records to prepare their days' partitions: {}",
          e.toString());
    }
    return days;
  }

  private static void read(
      KafkaConsumer<byte[], byte[]> consumer,
      TopicPartition tp,
      long offset,
      Instant latestEventTime,
      Set<LocalDate> days) {
    consumer.assign(List.of(tp));
    consumer.seek(tp, offset);
    long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
        if (TransactionDecoder.decode(
                r.key(), r.value(), r.partition(), r.offset(), latestEventTime)
            instanceof DecodedTransaction.Valid v) {
          days.add(LocalDate.ofInstant(v.transaction().eventTime(), ZoneOffset.UTC));
        }
        return;
      }
    }
  }
}
