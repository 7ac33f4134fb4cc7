package io.fraudwatch.avro;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Checks a decoded {@link Transaction} for values the schema cannot rule out but scoring cannot use.
 * Pure functions: the streaming job sends a transaction with problems to the dead-letter topic.
 */
public final class TransactionValidation {
  /**
   * Latest accepted event time. Anything later is corrupt (a seconds/microseconds mix-up, random bits)
   * and would overflow PostgreSQL's timestamp range or ISO-8601 four-digit years downstream.
   */
  static final Instant LATEST_EVENT_TIME = Instant.parse("9999-12-31T23:59:59.999Z");

  // format only: checking against the JDK's ISO tables would reject codes newer than the JDK
  private static final Pattern CURRENCY_CODE = Pattern.compile("[A-Z]{3}");
  private static final Pattern COUNTRY_CODE = Pattern.compile("[A-Z]{2}");

  /** The field a problem is about; stable names for dead-letter reasons and metric labels. */
  public enum Field { TRANSACTION_ID, CUSTOMER_ID, TERMINAL_ID, AMOUNT, EVENT_TIME, CURRENCY, COUNTRY }

  public record Problem(Field field, String message) {}

  private TransactionValidation() {}

  /** Every problem found in {@code transaction}; empty when it can be scored. */
  public static List<Problem> problems(Transaction transaction) {
    List<Problem> problems = new ArrayList<>();
    requireId(problems, Field.TRANSACTION_ID, "transactionId", transaction.getTransactionId());
    requireId(problems, Field.CUSTOMER_ID, "customerId", transaction.getCustomerId());
    requireId(problems, Field.TERMINAL_ID, "terminalId", transaction.getTerminalId());

    double amount = transaction.getAmount();
    if (Double.isNaN(amount) || Double.isInfinite(amount)) {
      problems.add(new Problem(Field.AMOUNT, "amount is not a finite number: " + amount));
    } else if (amount < 0) {
      problems.add(new Problem(Field.AMOUNT, "amount is negative: " + amount));
    }

    Instant eventTime = transaction.getEventTime();
    if (eventTime == null) {
      problems.add(new Problem(Field.EVENT_TIME, "eventTime is missing"));
    } else if (!eventTime.isAfter(Instant.EPOCH) || eventTime.isAfter(LATEST_EVENT_TIME)) {
      problems.add(new Problem(Field.EVENT_TIME, "eventTime is outside (1970-01-01, 9999-12-31]: "
          + eventTime.toEpochMilli() + " ms since the epoch"));
    }

    requireFormat(problems, Field.CURRENCY, "currency", transaction.getCurrency(), CURRENCY_CODE, "an ISO 4217 code such as EUR");
    requireFormat(problems, Field.COUNTRY, "country", transaction.getCountry(), COUNTRY_CODE, "an ISO 3166-1 alpha-2 code such as BE");
    return List.copyOf(problems);
  }

  /** All problems of {@code transaction} in one line, or empty when it can be scored. */
  public static Optional<String> invalidReason(Transaction transaction) {
    List<Problem> problems = problems(transaction);
    return problems.isEmpty()
        ? Optional.empty()
        : Optional.of(problems.stream().map(Problem::message).collect(Collectors.joining("; ")));
  }

  private static void requireId(List<Problem> problems, Field field, String name, String value) {
    if (value == null || value.isBlank()) {
      problems.add(new Problem(field, name + " is " + (value == null ? "missing" : "blank")));
    }
  }

  /** Optional fields: null is fine, a present value must have the format. */
  private static void requireFormat(List<Problem> problems, Field field, String name, String value, Pattern format, String expected) {
    if (value != null && !format.matcher(value).matches()) {
      problems.add(new Problem(field, name + " '" + value + "' is not " + expected));
    }
  }
}
