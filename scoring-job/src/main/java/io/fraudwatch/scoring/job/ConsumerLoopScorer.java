package io.fraudwatch.scoring.job;

import io.fraudwatch.features.HandbookFeatures;
import io.fraudwatch.models.ModelStore;
import io.fraudwatch.models.Slot;
import io.fraudwatch.scoring.core.ModelPair;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.spark.streaming.kafka010.OffsetRange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hand-written comparison point for the Spark job ({@code bin/fraudwatch bench}): plain Kafka
 * consumers in this JVM, one thread per share of the transaction topic's partitions, each poll's
 * records of a partition handed to the same {@link TransactionPartitionTask} the Spark executors
 * run (decode, history, score, alerts to Kafka, then rows, alerts, history and the partition's next
 * offset in one PostgreSQL transaction). It resumes from the same stored offsets and reads the
 * champion the same way (one slot query per poll). What it leaves out is the scheduler (no
 * micro-batches, no broadcast, no driver round trip) and the labels stream: what remains is the
 * practical limit of the per-record work on this machine.
 */
public final class ConsumerLoopScorer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ConsumerLoopScorer.class);

  /**
   * Records per poll across the thread's partitions: large enough that a PostgreSQL commit covers
   * thousands.
   */
  static final int MAX_POLL_RECORDS = 20_000;

  private static final int MAX_PARTITION_FETCH_BYTES = 8 << 20;

  /**
   * A fetch waits for this much data (or {@link #FETCH_MAX_WAIT_MS}): each poll's partition commits
   * once, and at a few hundred records per commit the fixed cost of the PostgreSQL transaction
   * would dominate.
   */
  private static final int FETCH_MIN_BYTES = 256 << 10;

  private static final int FETCH_MAX_WAIT_MS = 50;
  private static final Duration POLL_TIMEOUT = Duration.ofMillis(100);

  /** How long {@link #stop} waits for all threads together, under the launcher's 60 s. */
  private static final Duration STOP_WAIT = Duration.ofSeconds(30);

  private final List<Thread> threads = new ArrayList<>();
  private final List<KafkaConsumer<byte[], byte[]>> consumers = new ArrayList<>();

  private final StopInterrupts interrupts = new StopInterrupts();

  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final CountDownLatch finished;
  private volatile boolean stopRequested;

  private ConsumerLoopScorer(int threadCount) {
    this.finished = new CountDownLatch(threadCount);
  }

  /**
   * Starts {@code threads} consumer threads (at most one per partition) from the offsets stored for
   * {@code settings.jobName()}.
   *
   * @param listener called after each poll's records are committed, from the consumer threads
   */
  public static ConsumerLoopScorer start(
      ScoringConfig config, JobSettings settings, int threads, Consumer<BatchReport> listener)
      throws SQLException {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be positive, got " + threads);
    }
    Map<String, Object> params = new HashMap<>(ScoringJobRunner.kafkaParams(settings));
    params.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, MAX_POLL_RECORDS);
    params.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, MAX_PARTITION_FETCH_BYTES);
    params.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, FETCH_MIN_BYTES);
    params.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, FETCH_MAX_WAIT_MS);
    Map<TopicPartition, Long> from =
        ScoringJobRunner.startOffsets(settings, settings.topics().transactions(), params);
    List<List<TopicPartition>> shares =
        shares(
            from.keySet().stream()
                .sorted((a, b) -> Integer.compare(a.partition(), b.partition()))
                .toList(),
            threads);
    ConsumerLoopScorer scorer = new ConsumerLoopScorer(shares.size());
    ModelStore store =
        new ModelStore(ExecutorResources.postgres(settings), HandbookFeatures.SCHEMA);
    for (int i = 0; i < shares.size(); i++) {
      KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(params);
      List<TopicPartition> share = shares.get(i);
      consumer.assign(share);
      Map<TopicPartition, Long> next = new HashMap<>();
      for (TopicPartition tp : share) {
        consumer.seek(tp, from.get(tp));
        next.put(tp, from.get(tp));
      }
      scorer.consumers.add(consumer);
      Thread t =
          new Thread(
              () ->
                  scorer.loop(
                      consumer, next, settings, new Models(store, config.modelName()), listener),
              "fraudwatch-consumer-loop-" + i);
      t.setDaemon(true);
      scorer.threads.add(t);
    }
    scorer.threads.forEach(Thread::start);
    LOG.info(
        "consumer-loop scorer {} started: {} thread(s) over {}",
        settings.jobName(),
        shares.size(),
        from);
    return scorer;
  }

  /** The partitions dealt round-robin into at most {@code threads} non-empty shares. */
  static List<List<TopicPartition>> shares(List<TopicPartition> partitions, int threads) {
    int n = Math.min(threads, partitions.size());
    List<List<TopicPartition>> shares = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      shares.add(new ArrayList<>());
    }
    for (int i = 0; i < partitions.size(); i++) {
      shares.get(i % n).add(partitions.get(i));
    }
    return shares;
  }

  private void loop(
      KafkaConsumer<byte[], byte[]> consumer,
      Map<TopicPartition, Long> next,
      JobSettings settings,
      Models models,
      Consumer<BatchReport> listener) {
    try {
      while (!stopRequested && failure.get() == null) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL_TIMEOUT);
        if (records.isEmpty()) {
          continue;
        }
        long started = System.currentTimeMillis();
        Instant batchTime = Instant.ofEpochMilli(started);
        ModelPair pair = models.current();
        long count = 0;
        long deadLetters = 0;
        long alerts = 0;
        long duplicates = 0;
        long retries = 0;
        long waitedMs = 0;
        for (TopicPartition tp : records.partitions()) {
          List<ConsumerRecord<byte[], byte[]>> list = records.records(tp);
          long until = list.get(list.size() - 1).offset() + 1;
          OffsetRange range = OffsetRange.create(tp.topic(), tp.partition(), next.get(tp), until);
          TransactionPartitionTask.Outcome o =
              TransactionPartitionTask.run(settings, pair, range, batchTime, list.iterator());
          next.put(tp, until);
          count += o.records();
          deadLetters += o.deadLetters();
          alerts += o.alerts();
          duplicates += o.duplicates();
          retries += o.outageRetries();
          waitedMs += o.outageWaitMs();
        }
        listener.accept(
            new BatchReport(
                batchTime,
                count,
                deadLetters,
                alerts,
                0,
                System.currentTimeMillis() - started,
                0,
                pair.championVersion(),
                pair.challengerScorer().map(c -> c.versionId()).orElse(null),
                duplicates,
                retries,
                waitedMs));
      }
    } catch (WakeupException e) {
      if (!stopRequested) {
        failure.compareAndSet(null, e);
      }
    } catch (Exception | Error e) {
      if (stopRequested) {
        LOG.info(
            "consumer-loop thread stopped during a poll ({}); its records are handled again from"
                + " the stored offsets",
            e.toString());
      } else if (failure.compareAndSet(null, e)) {
        LOG.error(
            "consumer-loop scorer failed; it resumes from the stored offsets when restarted", e);
      }
      consumers.forEach(KafkaConsumer::wakeup);
    } finally {
      interrupts.closing();
      try {
        consumer.close(Duration.ofSeconds(5));
      } finally {
        finished.countDown();
      }
    }
  }

  /**
   * The champion (and challenger) the next poll scores with: one slot query per poll, versions
   * loaded on change.
   */
  private static final class Models {
    private final ModelStore store;
    private final String modelName;
    private Map<Slot, Long> slots;
    private ModelPair pair;

    Models(ModelStore store, String modelName) {
      this.store = store;
      this.modelName = modelName;
    }

    ModelPair current() {
      Map<Slot, Long> now = store.slots(modelName);
      if (pair == null || !now.equals(slots)) {
        pair = ModelTracker.load(store, modelName, now);
        slots = now;
      }
      return pair;
    }
  }

  /** Waits up to {@code millis}; true once every thread has ended. Rethrows the first failure. */
  public boolean awaitTermination(long millis) throws Exception {
    boolean ended = finished.await(millis, TimeUnit.MILLISECONDS);
    Throwable t = failure.get();
    if (t instanceof Exception e) {
      throw e;
    }
    if (t instanceof Error e) {
      throw e;
    }
    return ended;
  }

  /**
   * Stops the threads and closes this JVM's resources. A poll whose rows are being written commits;
   * one still waiting (a history snapshot being read, PostgreSQL or Kafka unreachable) is given up
   * and its records are handled again from the stored offsets at the next start.
   */
  public synchronized void stop() {
    stopRequested = true;
    consumers.forEach(KafkaConsumer::wakeup);
    // without this, a thread reading a snapshot (minutes at millions of customers) or retrying an
    // outage (up to job.outage-tolerance) kept stop() in its joins past the JVM's shutdown timeout:
    // the retries and the snapshot load give up on an interrupt, a statement under way does not
    interrupts.interrupt(threads);
    long deadline = System.nanoTime() + STOP_WAIT.toNanos();
    for (Thread t : threads) {
      try {
        t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    ExecutorResources.closeAll();
  }

  @Override
  public void close() {
    stop();
  }
}
