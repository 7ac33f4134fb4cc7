package io.fraudwatch.scoring.job;

import io.fraudwatch.scoring.metrics.JobMetrics;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Driver side: the consumer-lag metric. After each batch the topic's end offsets are read on a
 * thread of this class's own, with a consumer of its own (no group, it reads nothing), so a slow or
 * unreachable broker costs the metric, never the batch; while one read of a topic is under way,
 * later batches of it do not queue another.
 */
final class KafkaEndOffsets implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaEndOffsets.class);
  static final Duration TIMEOUT = Duration.ofSeconds(2);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final JobMetrics metrics;
  private final ExecutorService thread =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "fraudwatch-lag");
            t.setDaemon(true);
            return t;
          });
  private final Set<String> pending = ConcurrentHashMap.newKeySet();
  private boolean failing;

  KafkaEndOffsets(Map<String, Object> kafkaParams, JobMetrics metrics) {
    Map<String, Object> p = new HashMap<>(kafkaParams);
    p.remove(ConsumerConfig.GROUP_ID_CONFIG);
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "fraudwatch-lag");
    this.consumer =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.metrics = metrics;
  }

  /**
   * @param untilOffsets per partition of {@code topic}, where the batch just done ended
   */
  void afterBatch(String topic, Map<Integer, Long> untilOffsets) {
    if (pending.add(topic)) {
      thread.execute(
          () -> {
            try {
              metrics.recordLag(topic, untilOffsets, endOffsets(topic, untilOffsets.keySet()));
            } finally {
              pending.remove(topic);
            }
          });
    }
  }

  private Map<Integer, Long> endOffsets(String topic, Set<Integer> partitions) {
    try {
      Map<TopicPartition, Long> ends =
          consumer.endOffsets(
              partitions.stream().map(p -> new TopicPartition(topic, p)).toList(), TIMEOUT);
      if (failing) {
        LOG.info("end offsets of {} readable again", topic);
        failing = false;
      }
      return ends.entrySet().stream()
          .collect(Collectors.toMap(e -> e.getKey().partition(), Map.Entry::getValue));
    } catch (KafkaException e) {
      if (!failing) {
        LOG.warn("cannot read the end offsets of {} for the lag metric: {}", topic, e.toString());
        failing = true;
      }
      return Map.of();
    }
  }

  @Override
  public void close() throws InterruptedException {
    thread.shutdown();
    if (!thread.awaitTermination(5, TimeUnit.SECONDS)) {
      thread.shutdownNow();
    }
    consumer.close(Duration.ofSeconds(5));
  }
}
