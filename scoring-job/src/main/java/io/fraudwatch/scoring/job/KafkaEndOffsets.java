package io.fraudwatch.scoring.job;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Driver side: the topics' end offsets after each batch, for the consumer-lag metric. One consumer of its own (no
 * group, it reads nothing); a slow or unreachable broker costs the metric at most {@link #TIMEOUT} per batch, never
 * the batch.
 */
final class KafkaEndOffsets implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaEndOffsets.class);
  static final Duration TIMEOUT = Duration.ofSeconds(2);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private boolean failing;

  KafkaEndOffsets(Map<String, Object> kafkaParams) {
    Map<String, Object> p = new HashMap<>(kafkaParams);
    p.remove(ConsumerConfig.GROUP_ID_CONFIG);
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "fraudwatch-lag");
    this.consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /** Per partition of {@code topic}, its end offset; empty when the broker did not answer in time. */
  synchronized Map<Integer, Long> of(String topic, Collection<Integer> partitions) {
    try {
      Map<TopicPartition, Long> ends = consumer.endOffsets(
          partitions.stream().map(p -> new TopicPartition(topic, p)).toList(), TIMEOUT);
      if (failing) {
        LOG.info("end offsets of {} readable again", topic);
        failing = false;
      }
      return ends.entrySet().stream().collect(Collectors.toMap(e -> e.getKey().partition(), Map.Entry::getValue));
    } catch (KafkaException e) {
      if (!failing) {
        LOG.warn("cannot read the end offsets of {} for the lag metric: {}", topic, e.toString());
        failing = true;
      }
      return Map.of();
    }
  }

  @Override
  public synchronized void close() {
    consumer.close(Duration.ofSeconds(5));
  }
}
