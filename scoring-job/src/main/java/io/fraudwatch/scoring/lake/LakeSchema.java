package io.fraudwatch.scoring.lake;

import io.fraudwatch.avro.StoreLimits;
import io.fraudwatch.scoring.ReasonCode;
import io.fraudwatch.scoring.ScoredTransaction;
import io.fraudwatch.scoring.sink.ReasonCodeFormat;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * The lake's rows: one per scored transaction, the columns of {@code scored_transactions} with
 * Parquet's logical types (timestamps in UTC microseconds, the amount as DECIMAL(14,2) like
 * PostgreSQL's numeric, lists for the reason codes and the feature vector). The event date is not a
 * column of the files: it is the Hive partition directory ({@code event_date=...}), which DuckDB
 * ({@code hive_partitioning}) and Spark read as a column.
 */
public final class LakeSchema {

  public static final MessageType SCHEMA =
      MessageTypeParser.parseMessageType(
          """
          message scored_transaction {
            required binary transaction_id (STRING);
            required int64 event_time (TIMESTAMP(MICROS,true));
            required binary customer_id (STRING);
            required binary terminal_id (STRING);
            required int64 amount (DECIMAL(14,2));
            required double score;
            required int64 model_version;
            required double threshold;
            required boolean alert;
            required boolean model_alert;
            required group rule_hits (LIST) {
              repeated group list {
                required binary element (STRING);
              }
            }
            required int64 rule_set;
            optional double challenger_score;
            optional int64 challenger_version;
            required group reason_codes (LIST) {
              repeated group list {
                required binary element (STRING);
              }
            }
            required group features (LIST) {
              repeated group list {
                required double element;
              }
            }
            required int32 kafka_partition;
            required int64 kafka_offset;
            required int64 batch_time (TIMESTAMP(MICROS,true));
          }
          """);

  private static final SimpleGroupFactory GROUPS = new SimpleGroupFactory(SCHEMA);

  private LakeSchema() {}

  /** One row; {@code batchTime} is the batch that scored it, as in {@code scored_transactions}. */
  public static Group row(ScoredTransaction t, Instant batchTime) {
    Group g = GROUPS.newGroup();
    g.add("transaction_id", t.transactionId());
    g.add("event_time", micros(t.eventTime()));
    g.add("customer_id", t.customerId());
    g.add("terminal_id", t.terminalId());
    g.add("amount", StoreLimits.unscaledCents(t.amount()));
    g.add("score", t.score());
    g.add("model_version", t.modelVersion());
    g.add("threshold", t.threshold());
    g.add("alert", t.alert());
    g.add("model_alert", t.modelAlert());
    Group hits = g.addGroup("rule_hits");
    for (String rule : t.ruleHits()) {
      hits.addGroup("list").add("element", rule);
    }
    g.add("rule_set", t.ruleSet());
    if (t.challengerScore() != null) {
      g.add("challenger_score", t.challengerScore().doubleValue());
      g.add("challenger_version", t.challengerVersion().longValue());
    }
    Group codes = g.addGroup("reason_codes");
    for (ReasonCode code : t.reasonCodes()) {
      codes.addGroup("list").add("element", ReasonCodeFormat.format(code));
    }
    Group features = g.addGroup("features");
    for (double f : t.features()) {
      features.addGroup("list").add("element", f);
    }
    g.add("kafka_partition", t.kafkaPartition());
    g.add("kafka_offset", t.kafkaOffset());
    g.add("batch_time", micros(batchTime));
    return g;
  }

  static long micros(Instant t) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, t);
  }
}
