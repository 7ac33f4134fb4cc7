package io.fraudwatch.scoring.job;

import io.fraudwatch.scoring.outage.Retry;
import io.fraudwatch.scoring.outage.Service;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.streaming.kafka010.ConsumerStrategies;
import org.apache.spark.streaming.kafka010.ConsumerStrategy;

/**
 * Spark's {@code Assign} strategy (the topic's partitions from given offsets), whose driver
 * consumer rides out a broker outage. The direct stream asks that consumer for the latest offsets
 * when it generates each batch ({@code position} after {@code seekToEnd}); a broker down for longer
 * than the consumer's {@code default.api.timeout.ms} (60 s by default) makes that throw, Spark
 * reports "Error generating jobs" and the streaming context stops. Here every call is retried with
 * the job's {@link Retry} instead: batch generation waits for the broker (the stream lags), and
 * only an outage past the tolerance stops the job, naming the broker.
 *
 * <p>The stream also calls the deprecated {@code poll(long)} (with 0), which waits for the
 * cluster's metadata without any time limit: with the broker down it never returns, while holding
 * the streaming graph's lock, so that not even a stop gets through. It is answered with {@code
 * poll(Duration)}, which keeps to its timeout.
 *
 * <p>The driver consumer gives up on a call after {@value #DRIVER_API_TIMEOUT_MS} ms so that an
 * outage is seen, logged and counted early; the executors' consumers keep the given parameters.
 */
final class RetryingConsumerStrategy extends ConsumerStrategy<byte[], byte[]>
    implements java.io.Serializable {
  private static final long serialVersionUID = 1L;
  static final int DRIVER_API_TIMEOUT_MS = 15_000;

  /**
   * Calls whose success shows that the broker answered (poll(0) returns nothing, answered or not).
   */
  private static final Set<String> ANSWERED_BY_BROKER =
      Set.of(
          "position",
          "partitionsFor",
          "beginningOffsets",
          "endOffsets",
          "offsetsForTimes",
          "committed",
          "listTopics");

  private final ConsumerStrategy<byte[], byte[]> assign;
  private final Map<String, Object> executorParams;
  private final Retry retry;
  private final Retry.Stats stats;
  private final AtomicBoolean stopping;

  /**
   * @param stopping set when the job stops: retries give up (the stream holds the graph's lock
   *     while it asks, so a stop would otherwise wait for the broker)
   */
  RetryingConsumerStrategy(
      Map<TopicPartition, Long> offsets,
      Map<String, Object> kafkaParams,
      Retry retry,
      Retry.Stats stats,
      AtomicBoolean stopping) {
    Map<String, Object> driverParams = new HashMap<>(kafkaParams);
    driverParams.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, DRIVER_API_TIMEOUT_MS);
    driverParams.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, DRIVER_API_TIMEOUT_MS);
    this.assign = ConsumerStrategies.Assign(offsets.keySet(), driverParams, offsets);
    this.executorParams = new HashMap<>(kafkaParams);
    this.retry = retry;
    this.stats = stats;
    this.stopping = stopping;
  }

  @Override
  public Map<String, Object> executorKafkaParams() {
    return executorParams;
  }

  @Override
  @SuppressWarnings("unchecked")
  public Consumer<byte[], byte[]> onStart(Map<TopicPartition, Long> currentOffsets) {
    Consumer<byte[], byte[]> consumer = assign.onStart(currentOffsets);
    return (Consumer<byte[], byte[]>)
        Proxy.newProxyInstance(
            Consumer.class.getClassLoader(),
            new Class<?>[] {Consumer.class},
            (proxy, method, args) -> invoke(consumer, method, args));
  }

  private Object invoke(Consumer<byte[], byte[]> consumer, Method method, Object[] args)
      throws Exception {
    Set<Service> proves =
        ANSWERED_BY_BROKER.contains(method.getName())
            ? EnumSet.of(Service.KAFKA)
            : EnumSet.noneOf(Service.class);
    return retry.call(
        proves,
        stats,
        () -> stopping.get() || Thread.currentThread().isInterrupted(),
        () -> {
          if (method.getName().equals("poll") && method.getParameterTypes()[0] == long.class) {
            return consumer.poll(Duration.ofMillis((Long) args[0]));
          }
          try {
            return method.invoke(consumer, args);
          } catch (InvocationTargetException e) {
            if (e.getCause() instanceof Exception cause) {
              throw cause;
            }
            throw (Error) e.getCause();
          }
        });
  }
}
