package io.fraudwatch.app.replay;

import io.fraudwatch.avro.Label;
import io.fraudwatch.avro.Transaction;

/**
 * Where a replay goes, in the order it is sent. {@link KafkaReplaySink} produces to Kafka; tests
 * collect. Implementations may send asynchronously, but must never drop a record silently: a
 * failure surfaces from a later call or from {@link #flush()} at the latest.
 */
public interface ReplaySink extends AutoCloseable {

  void send(Transaction transaction);

  void send(Label label);

  /** Returns when everything sent so far is delivered; throws if anything was not. */
  void flush();

  @Override
  default void close() {}
}
