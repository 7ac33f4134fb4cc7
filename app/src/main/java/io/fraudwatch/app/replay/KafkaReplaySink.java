package io.fraudwatch.app.replay;

import io.fraudwatch.avro.AvroCodec;
import io.fraudwatch.avro.Label;
import io.fraudwatch.avro.Transaction;
import io.fraudwatch.scoring.job.KafkaClientSecurity;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Produces a replay to Kafka: transactions (Avro, key = customer id, so one customer's transactions
 * stay in order on one partition) and labels (Avro, key = transaction id). One idempotent producer
 * with acks=all: no duplicates or reordering from retries. Sends are asynchronous; the first
 * failure is kept and thrown from the next call, so nothing is dropped silently and the replay
 * stops at once.
 */
public final class KafkaReplaySink implements ReplaySink {
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

  private final KafkaProducer<String, byte[]> producer;
  private final String transactionsTopic;
  private final String labelsTopic;
  private final AtomicReference<KafkaReplayException> firstFailure = new AtomicReference<>();

  private KafkaReplaySink(
      KafkaProducer<String, byte[]> producer, String transactionsTopic, String labelsTopic) {
    this.producer = producer;
    this.transactionsTopic = transactionsTopic;
    this.labelsTopic = labelsTopic;
  }

  /**
   * Checks that the brokers answer within {@code timeout} and that both topics exist, then opens
   * the producer.
   *
   * @throws KafkaReplayException UNREACHABLE or MISSING_TOPIC
   */
  public static KafkaReplaySink connect(
      String bootstrapServers,
      KafkaClientSecurity security,
      String transactionsTopic,
      String labelsTopic,
      Duration timeout)
      throws InterruptedException {
    requireTopics(bootstrapServers, security, List.of(transactionsTopic, labelsTopic), timeout);
    KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            security.with(producerConfig(bootstrapServers)),
            new StringSerializer(),
            new ByteArraySerializer());
    try {
      // fetch the topics' metadata now, so that the first sends do not stall a paced replay
      producer.partitionsFor(transactionsTopic);
      producer.partitionsFor(labelsTopic);
    } catch (KafkaException e) {
      producer.close(Duration.ZERO);
      throw unreachable(bootstrapServers, timeout, e);
    }
    return new KafkaReplaySink(producer, transactionsTopic, labelsTopic);
  }

  /**
   * Throughput settings (batches of up to 256 KiB, lingering 10 ms, lz4) on top of the safe ones.
   */
  static Map<String, Object> producerConfig(String bootstrapServers) {
    return Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
        bootstrapServers,
        ProducerConfig.CLIENT_ID_CONFIG,
        "fraudwatch-replay",
        ProducerConfig.ACKS_CONFIG,
        "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
        true,
        ProducerConfig.LINGER_MS_CONFIG,
        10,
        ProducerConfig.BATCH_SIZE_CONFIG,
        256 * 1024,
        ProducerConfig.COMPRESSION_TYPE_CONFIG,
        "lz4");
  }

  private static void requireTopics(
      String bootstrapServers, KafkaClientSecurity security, List<String> topics, Duration timeout)
      throws InterruptedException {
    int timeoutMs = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    try (Admin admin =
        Admin.create(
            security.with(
                Map.of(
                    AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    bootstrapServers,
                    AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                    timeoutMs,
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                    timeoutMs)))) {
      admin.describeTopics(topics).allTopicNames().get(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof AuthenticationException
          || e.getCause() instanceof AuthorizationException) {
        throw new KafkaReplayException(
            KafkaReplayException.Reason.ACCESS_DENIED,
            "Kafka at " + bootstrapServers + " refused the client: " + e.getCause().getMessage(),
            e.getCause());
      }
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        throw new KafkaReplayException(
            KafkaReplayException.Reason.MISSING_TOPIC,
            "Kafka at "
                + bootstrapServers
                + " lacks topic(s) among "
                + topics
                + " ("
                + e.getCause().getMessage()
                + ")",
            e.getCause());
      }
      throw unreachable(bootstrapServers, timeout, e.getCause());
    } catch (TimeoutException e) {
      throw unreachable(bootstrapServers, timeout, e);
    } catch (KafkaException e) {
      throw unreachable(bootstrapServers, timeout, e);
    }
  }

  private static KafkaReplayException unreachable(
      String bootstrapServers, Duration timeout, Throwable cause) {
    return new KafkaReplayException(
        KafkaReplayException.Reason.UNREACHABLE,
        "Kafka at "
            + bootstrapServers
            + " did not answer within "
            + timeout.toSeconds()
            + " s: "
            + cause,
        cause);
  }

  @Override
  public void send(Transaction transaction) {
    send(transactionsTopic, transaction.getCustomerId(), AvroCodec.TRANSACTION.encode(transaction));
  }

  @Override
  public void send(Label label) {
    send(labelsTopic, label.getTransactionId(), AvroCodec.LABEL.encode(label));
  }

  private void send(String topic, String key, byte[] value) {
    throwIfFailed();
    try {
      producer.send(
          new ProducerRecord<>(topic, key, value),
          (metadata, e) -> {
            if (e != null) {
              firstFailure.compareAndSet(null, sendFailed(topic, key, e));
            }
          });
    } catch (KafkaException e) {
      firstFailure.compareAndSet(null, sendFailed(topic, key, e));
      throwIfFailed();
    }
  }

  private static KafkaReplayException sendFailed(String topic, String key, Exception e) {
    return new KafkaReplayException(
        KafkaReplayException.Reason.SEND_FAILED,
        "a record to " + topic + " (key " + key + ") was not delivered: " + e,
        e);
  }

  @Override
  public void flush() {
    producer.flush();
    throwIfFailed();
  }

  private void throwIfFailed() {
    KafkaReplayException failure = firstFailure.get();
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public void close() {
    producer.close(CLOSE_TIMEOUT);
  }
}
