package io.fraudwatch.app.chaos;

import io.fraudwatch.app.runtime.Services;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What the job stored and sent, read as its users read it: SQL through the job's login, topics with
 * a plain consumer. The fault checks ({@link StreamCheck}) look through it.
 */
public final class StreamView {
  private final Services services;
  private final DataSource jobLogin;

  public StreamView(Services services) {
    this.services = services;
    this.jobLogin = services.jobDataSource();
  }

  public Services services() {
    return services;
  }

  public long count(String sql) throws SQLException {
    return query(sql, rs -> rs.getLong(1)).get(0);
  }

  public <T> List<T> query(String sql, RowMapper<T> mapper) throws SQLException {
    try (Connection c = jobLogin.getConnection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      List<T> out = new ArrayList<>();
      while (rs.next()) {
        out.add(mapper.map(rs));
      }
      return out;
    }
  }

  public interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  /**
   * Every record of a topic, read until {@code expected} arrived or 60 s passed, and whatever else
   * is there.
   */
  public List<ConsumerRecord<byte[], byte[]>> readTopic(String topic, long expected) {
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    Map<String, Object> props =
        new HashMap<>(
            Map.of(
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.GROUP_ID_CONFIG,
                "reader-" + System.nanoTime()));
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            services.kafkaClient(props),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (out.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
      }
      consumer.poll(Duration.ofMillis(500)).forEach(out::add);
    }
    return out;
  }

  public Map<TopicPartition, Long> endOffsets(String topic) {
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            services.kafkaClient(new HashMap<>()),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      List<TopicPartition> tps =
          consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      return consumer.endOffsets(tps, Duration.ofSeconds(30));
    }
  }

  /** Sum of the offsets the job stored for a topic: how many of its records it has taken. */
  public long taken(String topic) throws SQLException {
    return count(
        "select coalesce(sum(next_offset), 0) from fraudwatch.stream_offsets where topic = '"
            + topic
            + "'");
  }

  public long onTopic(String topic) {
    return endOffsets(topic).values().stream().mapToLong(Long::longValue).sum();
  }

  /** Whether the job has taken every record of the transactions and labels topics. */
  public boolean drained() throws SQLException {
    String transactions = services.topics().transactions();
    String labels = services.topics().labels();
    return taken(transactions) == onTopic(transactions) && taken(labels) == onTopic(labels);
  }

  public long scored() throws SQLException {
    return count("select count(*) from fraudwatch.scored_transactions");
  }
}
