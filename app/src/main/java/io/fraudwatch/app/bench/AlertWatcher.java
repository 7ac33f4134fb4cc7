package io.fraudwatch.app.bench;

import io.fraudwatch.app.runtime.Services;
import io.fraudwatch.bench.BenchWorkload;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a system's alert topic as a downstream service would and notes when each streamed
 * transaction's first alert arrived ({@link System#nanoTime()}, by stream position): the far end of
 * the event-to-alert latency.
 */
final class AlertWatcher implements AutoCloseable {
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Thread thread;
  private final AtomicLong seen = new AtomicLong();
  private final AtomicReference<Exception> failure = new AtomicReference<>();
  private volatile boolean closing;

  private AlertWatcher(
      KafkaConsumer<byte[], byte[]> consumer,
      BenchWorkload workload,
      AtomicLongArray alertedNanos) {
    this.consumer = consumer;
    this.thread = new Thread(() -> loop(workload, alertedNanos), "fraudwatch-bench-alerts");
    this.thread.setDaemon(true);
  }

  static AlertWatcher start(
      Services services, String topic, BenchWorkload workload, AtomicLongArray alertedNanos) {
    KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            services.kafkaClient(
                Map.of(
                    ConsumerConfig.CLIENT_ID_CONFIG,
                    "fraudwatch-bench-alerts",
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                    false)),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
    consumer.assign(
        consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
            .map(p -> new TopicPartition(topic, p.partition()))
            .toList());
    consumer.seekToBeginning(consumer.assignment());
    AlertWatcher w = new AlertWatcher(consumer, workload, alertedNanos);
    w.thread.start();
    return w;
  }

  private void loop(BenchWorkload workload, AtomicLongArray alertedNanos) {
    try {
      while (!closing) {
        var records = consumer.poll(Duration.ofMillis(100));
        long now = System.nanoTime();
        for (ConsumerRecord<byte[], byte[]> r : records) {
          long n = workload.streamPosition(new String(r.key(), StandardCharsets.UTF_8));
          if (n >= 0 && alertedNanos.compareAndSet((int) n, 0, now)) {
            seen.incrementAndGet();
          }
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (Exception e) {
      failure.set(e);
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  /** Distinct streamed transactions whose alert has been read. */
  long seen() {
    Exception e = failure.get();
    if (e != null) {
      throw new IllegalStateException("reading the alert topic failed: " + e, e);
    }
    return seen.get();
  }

  @Override
  public void close() throws InterruptedException {
    closing = true;
    consumer.wakeup();
    thread.join(10_000);
  }
}
