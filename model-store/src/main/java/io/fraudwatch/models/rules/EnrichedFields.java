package io.fraudwatch.models.rules;

import io.fraudwatch.features.FeatureSchema;
import io.fraudwatch.features.HandbookFeatures;
import java.util.ArrayList;
import java.util.List;

/**
 * What a rule can read: the enriched transaction as the job holds it when the champion has scored
 * it, one column each. Spark SQL resolves names case-insensitively, so {@code tx_amount} and {@code
 * TX_AMOUNT} are the same column.
 *
 * <ul>
 *   <li>{@code transaction_id}, {@code customer_id}, {@code terminal_id} (string), {@code
 *       event_time} (timestamp, UTC), {@code amount} (double): the raw transaction
 *   <li>every named feature of the schema (double), unstandardised, e.g. {@code
 *       CUSTOMER_ID_NB_TX_1DAY_WINDOW}, {@code TERMINAL_ID_RISK_7DAY_WINDOW}
 *   <li>{@code score} and {@code threshold} (double), {@code model_alert} (boolean): the champion's
 *   <li>{@code reason_codes} (array of string): the champion's reason codes' feature names,
 *       strongest first
 * </ul>
 */
public final class EnrichedFields {

  /** A column's type, in Spark SQL's terms. */
  public enum Type {
    STRING,
    TIMESTAMP,
    DOUBLE,
    BOOLEAN,
    STRING_ARRAY
  }

  public record Field(String name, Type type) {}

  /** Positions of the fixed columns; the features follow {@link #AMOUNT}. */
  public static final int TRANSACTION_ID = 0;

  public static final int CUSTOMER_ID = 1;
  public static final int TERMINAL_ID = 2;
  public static final int EVENT_TIME = 3;
  public static final int AMOUNT = 4;
  public static final int FIRST_FEATURE = 5;

  private EnrichedFields() {}

  /** The columns in row order, for the features of {@code schema}. */
  public static List<Field> of(FeatureSchema schema) {
    List<Field> fields = new ArrayList<>();
    fields.add(new Field("transaction_id", Type.STRING));
    fields.add(new Field("customer_id", Type.STRING));
    fields.add(new Field("terminal_id", Type.STRING));
    fields.add(new Field("event_time", Type.TIMESTAMP));
    fields.add(new Field("amount", Type.DOUBLE));
    for (String feature : schema.names()) {
      fields.add(new Field(feature, Type.DOUBLE));
    }
    fields.add(new Field("score", Type.DOUBLE));
    fields.add(new Field("threshold", Type.DOUBLE));
    fields.add(new Field("model_alert", Type.BOOLEAN));
    fields.add(new Field("reason_codes", Type.STRING_ARRAY));
    return List.copyOf(fields);
  }

  /** The product's columns: on the handbook features. */
  public static List<Field> handbook() {
    return of(HandbookFeatures.SCHEMA);
  }
}
