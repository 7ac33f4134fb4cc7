package io.fraudwatch.app.chaos;

import io.fraudwatch.app.runtime.Services;
import io.fraudwatch.avro.AvroCodec;
import io.fraudwatch.avro.Label;
import io.fraudwatch.avro.LabelSource;
import io.fraudwatch.avro.Transaction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The fault runs' workload: transactions with unique ids whose alerts a frozen champion makes known
 * in advance (it alerts on amounts of {@link #ALERT_AMOUNT} and more, see {@link FrozenChampion}),
 * labels, and raw records (poison), sent with one request in flight so that every record is on the
 * topic once and in order.
 */
public final class Workload implements AutoCloseable {
  /** The champion alerts on amounts of this and more. */
  public static final double ALERT_AMOUNT = 150;

  public static final Instant START = Instant.parse("2018-04-01T00:00:00Z");

  /** One transaction as sent. */
  public record Tx(String id, Instant time, String customer, String terminal, double amount) {
    public boolean alerts() {
      return amount >= ALERT_AMOUNT;
    }

    public byte[] encode() {
      return AvroCodec.TRANSACTION.encode(
          Transaction.newBuilder()
              .setTransactionId(id)
              .setEventTime(time)
              .setCustomerId(customer)
              .setTerminalId(terminal)
              .setAmount(amount)
              .build());
    }
  }

  private final Services services;
  private final KafkaProducer<byte[], byte[]> producer;
  private final List<Future<RecordMetadata>> sends = new ArrayList<>();

  public Workload(Services services) {
    this.services = services;
    Map<String, Object> props =
        new HashMap<>(
            Map.of(
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true,
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION,
                1,
                // a broker killed under the producer: keep retrying until it is back
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                300_000,
                ProducerConfig.MAX_BLOCK_MS_CONFIG,
                300_000,
                // partitions added to a topic are written to within seconds, not after the default
                // 5 minutes
                ProducerConfig.METADATA_MAX_AGE_CONFIG,
                2_000));
    producer =
        new KafkaProducer<>(
            services.kafkaClient(props), new ByteArraySerializer(), new ByteArraySerializer());
  }

  /**
   * {@code n} transactions with ids {@code prefix} + number, 97 customers and 151 terminals, 30 s
   * apart in event time from {@code start}; amounts 20..219, so that 35% alert.
   */
  public static List<Tx> transactions(String prefix, int n, Instant start) {
    List<Tx> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(
          new Tx(
              prefix + i,
              start.plusSeconds(30L * i),
              "C" + (i % 97),
              "T" + (i % 151),
              20 + (i * 37) % 200));
    }
    return out;
  }

  /** Sends {@link #transactions}; returns the ids, and adds those that alert to {@code alerts}. */
  public Set<String> sendTransactions(String prefix, int n, Instant start, Set<String> alerts) {
    Set<String> ids = new HashSet<>();
    for (Tx tx : transactions(prefix, n, start)) {
      send(tx);
      ids.add(tx.id());
      if (tx.alerts()) {
        alerts.add(tx.id());
      }
    }
    return ids;
  }

  public Future<RecordMetadata> send(Tx tx) {
    return send(services.topics().transactions(), tx.customer(), tx.encode());
  }

  public void sendTransaction(
      String id, Instant time, String customer, String terminal, double amount) {
    send(new Tx(id, time, customer, terminal, amount));
  }

  public Future<RecordMetadata> sendLabel(String id, boolean fraud, Instant knownAt) {
    Label l =
        Label.newBuilder()
            .setTransactionId(id)
            .setFraud(fraud)
            .setKnownAt(knownAt)
            .setSource(fraud ? LabelSource.CHARGEBACK : LabelSource.INVESTIGATOR)
            .build();
    return send(services.topics().labels(), id, AvroCodec.LABEL.encode(l));
  }

  public Future<RecordMetadata> send(String topic, String key, byte[] value) {
    Future<RecordMetadata> f =
        producer.send(
            new ProducerRecord<>(
                topic, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value));
    sends.add(f);
    return f;
  }

  /** How many partitions the producer writes {@code topic}'s records to. */
  public int partitions(String topic) {
    return producer.partitionsFor(topic).size();
  }

  /** Waits until Kafka acknowledged everything sent; a failed send throws here. */
  public void flush() throws ExecutionException, InterruptedException {
    producer.flush();
    for (Future<RecordMetadata> f : sends) {
      f.get();
    }
    sends.clear();
  }

  /** The {@code fraudwatch.source} a dead letter of this (acknowledged) record carries. */
  public static String source(Future<RecordMetadata> sent)
      throws ExecutionException, InterruptedException {
    RecordMetadata m = sent.get();
    return m.topic() + "-" + m.partition() + "@" + m.offset();
  }

  @Override
  public void close() {
    producer.close();
  }
}
