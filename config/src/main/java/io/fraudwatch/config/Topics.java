package io.fraudwatch.config;

import java.util.List;

/** The product's Kafka topics. */
public record Topics(String transactions, String labels, String alerts, String deadLetter)
    implements java.io.Serializable {

  public static final List<ConfigKey> KEYS =
      List.of(
          ConfigKey.of(
              "topics.transactions",
              "fraud.transactions",
              "card transactions (Avro Transaction, key = customer id)"),
          ConfigKey.of(
              "topics.labels", "fraud.labels", "fraud labels (Avro Label), arriving days later"),
          ConfigKey.of(
              "topics.alerts",
              "fraud.alerts",
              "alerts for downstream services (Avro Alert, key = transaction id)"),
          ConfigKey.of(
              "topics.dead-letter",
              "fraud.transactions.dlq",
              "undecodable or invalid transactions, original bytes + reason"));

  public static Topics from(Settings s) {
    return new Topics(
        s.string("topics.transactions"),
        s.string("topics.labels"),
        s.string("topics.alerts"),
        s.string("topics.dead-letter"));
  }

  public List<String> all() {
    return List.of(transactions, labels, alerts, deadLetter);
  }
}
