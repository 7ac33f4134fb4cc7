package io.fraudwatch.scoring.job;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.fraudwatch.config.DatabaseSettings;
import io.fraudwatch.config.JdbcUrls;
import io.fraudwatch.scoring.outage.Outage;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-JVM resources of the job, created lazily where they are used (on each executor, on first use
 * by a task) and never shipped from the driver: the PostgreSQL pool and the idempotent Kafka
 * producer. A checkpoint-recovered or re-scheduled job finds them by key and rebuilds what is
 * missing. No shutdown hook closes them: in the driver's JVM it would race the job's own stop, and
 * nothing is lost when an executor exits without closing (every send is confirmed before its batch
 * commits).
 *
 * <p>Both give up on an unreachable service within seconds rather than minutes (a connection from
 * the pool within {@value #CONNECTION_TIMEOUT_MS} ms, a send within {@value #DELIVERY_TIMEOUT_MS}
 * ms), so that the job's own retries ({@link io.fraudwatch.scoring.outage.Retry}) see an outage
 * early, log it once and count it; the pool is created without a connection, so that a job started
 * during an outage waits for it like any other work.
 */
public final class ExecutorResources {
  private static final Logger LOG = LoggerFactory.getLogger(ExecutorResources.class);
  private static final Map<String, HikariDataSource> POOLS = new ConcurrentHashMap<>();
  private static final Map<String, Producer<byte[], byte[]>> PRODUCERS = new ConcurrentHashMap<>();
  private static final Map<String, Object> SINGLETONS = new ConcurrentHashMap<>();
  static final long CONNECTION_TIMEOUT_MS = 10_000;
  static final int DELIVERY_TIMEOUT_MS = 30_000;
  private static final int REQUEST_TIMEOUT_MS = 15_000;

  private ExecutorResources() {}

  public static HikariDataSource postgres(JobSettings s) {
    return POOLS.computeIfAbsent(
        s.resourceKey(),
        k -> {
          HikariConfig c = new HikariConfig();
          c.setJdbcUrl(s.jdbcUrl());
          c.setUsername(s.jdbcUser());
          if (s.jdbcPassword() != null) {
            c.setPassword(s.jdbcPassword().read());
          }
          s.jdbcTls().driverProperties().forEach(c::addDataSourceProperty);
          c.setMaximumPoolSize(s.poolSize());
          c.setMinimumIdle(1);
          c.setAutoCommit(false);
          c.setConnectionTimeout(CONNECTION_TIMEOUT_MS);
          c.setInitializationFailTimeout(-1);
          c.setPoolName("fraudwatch-" + s.jobName() + "-" + POOLS.size());
          c.addDataSourceProperty("reWriteBatchedInserts", "true");
          c.addDataSourceProperty("ApplicationName", "fraudwatch " + s.jobName());
          c.addDataSourceProperty(
              "loginTimeout", Integer.toString(DatabaseSettings.LOGIN_TIMEOUT_SECONDS));
          LOG.info(
              "creating PostgreSQL pool {} ({} connections) for {}",
              c.getPoolName(),
              s.poolSize(),
              JdbcUrls.redact(s.jdbcUrl()));
          return new HikariDataSource(c);
        });
  }

  /**
   * One idempotent producer per JVM for alerts and dead letters: acks=all, ordered retries; a send
   * waits at most {@value #REQUEST_TIMEOUT_MS} ms for the topic's metadata and fails after {@value
   * #DELIVERY_TIMEOUT_MS} ms.
   */
  public static Producer<byte[], byte[]> producer(JobSettings s) {
    return PRODUCERS.computeIfAbsent(
        s.resourceKey(),
        k -> {
          LOG.info("creating idempotent Kafka producer for {}", s.kafkaBootstrap());
          return new KafkaProducer<>(
              s.kafkaSecurity()
                  .with(
                      Map.of(
                          ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                          s.kafkaBootstrap(),
                          ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                          true,
                          ProducerConfig.ACKS_CONFIG,
                          "all",
                          ProducerConfig.LINGER_MS_CONFIG,
                          5,
                          // a partition sends its alerts at once: fewer, larger batches (each a
                          // compressor and a request)
                          ProducerConfig.BATCH_SIZE_CONFIG,
                          256 * 1024,
                          ProducerConfig.COMPRESSION_TYPE_CONFIG,
                          "lz4",
                          ProducerConfig.MAX_BLOCK_MS_CONFIG,
                          REQUEST_TIMEOUT_MS,
                          ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                          REQUEST_TIMEOUT_MS,
                          ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                          DELIVERY_TIMEOUT_MS,
                          ProducerConfig.CLIENT_ID_CONFIG,
                          "fraudwatch-" + s.jobName())),
              new ByteArraySerializer(),
              new ByteArraySerializer());
        });
  }

  /** Any other per-JVM object of the job (e.g. the history cache), built once per settings key. */
  @SuppressWarnings("unchecked")
  public static <T> T singleton(JobSettings s, String name, Function<JobSettings, T> create) {
    return (T) SINGLETONS.computeIfAbsent(name + "|" + s.resourceKey(), k -> create.apply(s));
  }

  /** How many pools this JVM has built: the cluster test checks each executor builds its own. */
  public static int poolCount() {
    return POOLS.size();
  }

  /** Closes everything this JVM built (the driver calls it when a local-mode job stops). */
  public static synchronized void closeAll() {
    PRODUCERS
        .values()
        .forEach(
            p -> {
              try {
                p.close(java.time.Duration.ofSeconds(10));
              } catch (RuntimeException e) {
                LOG.warn("closing Kafka producer failed: {}", e.toString());
              }
            });
    PRODUCERS.clear();
    POOLS.values().forEach(HikariDataSource::close);
    POOLS.clear();
    SINGLETONS.clear();
    Outage.forgetAll();
  }
}
