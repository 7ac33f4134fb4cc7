package io.fraudwatch.avro;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Checks a decoded {@link Transaction} for values the schema cannot rule out but the job cannot
 * score or store (see {@link StoreLimits} for the rules the tables and the feature history set, and
 * why). Pure functions: the streaming job sends a transaction with problems to the dead-letter
 * topic.
 */
public final class TransactionValidation {
  /** Latest accepted event time ({@link StoreLimits#LATEST_TIME}). */
  static final Instant LATEST_EVENT_TIME = StoreLimits.LATEST_TIME;

  // format only: checking against the JDK's ISO tables would reject codes newer than the JDK
  private static final Pattern CURRENCY_CODE = Pattern.compile("[A-Z]{3}");
  private static final Pattern COUNTRY_CODE = Pattern.compile("[A-Z]{2}");

  /** The field a problem is about; stable names for dead-letter reasons and metric labels. */
  public enum Field {
    TRANSACTION_ID,
    CUSTOMER_ID,
    TERMINAL_ID,
    AMOUNT,
    EVENT_TIME,
    CURRENCY,
    COUNTRY
  }

  public record Problem(Field field, String message) {}

  private TransactionValidation() {}

  /** Every problem found in {@code transaction}; empty when it can be scored and stored. */
  public static List<Problem> problems(Transaction transaction) {
    List<Problem> problems = new ArrayList<>(0);
    add(
        problems,
        Field.TRANSACTION_ID,
        StoreLimits.idProblem("transactionId", transaction.getTransactionId()));
    add(
        problems,
        Field.CUSTOMER_ID,
        StoreLimits.idProblem("customerId", transaction.getCustomerId()));
    add(
        problems,
        Field.TERMINAL_ID,
        StoreLimits.idProblem("terminalId", transaction.getTerminalId()));
    add(problems, Field.AMOUNT, StoreLimits.amountProblem("amount", transaction.getAmount()));
    add(
        problems,
        Field.EVENT_TIME,
        StoreLimits.timeProblem("eventTime", transaction.getEventTime()));
    requireFormat(
        problems,
        Field.CURRENCY,
        "currency",
        transaction.getCurrency(),
        CURRENCY_CODE,
        "an ISO 4217 code such as EUR");
    requireFormat(
        problems,
        Field.COUNTRY,
        "country",
        transaction.getCountry(),
        COUNTRY_CODE,
        "an ISO 3166-1 alpha-2 code such as BE");
    return problems.isEmpty() ? List.of() : List.copyOf(problems);
  }

  /** All problems of {@code transaction} in one line, or empty when it can be scored. */
  public static Optional<String> invalidReason(Transaction transaction) {
    List<Problem> problems = problems(transaction);
    return problems.isEmpty()
        ? Optional.empty()
        : Optional.of(problems.stream().map(Problem::message).collect(Collectors.joining("; ")));
  }

  private static void add(List<Problem> problems, Field field, String problem) {
    if (problem != null) {
      problems.add(new Problem(field, problem));
    }
  }

  /** Optional fields: null is fine, a present value must have the format. */
  private static void requireFormat(
      List<Problem> problems,
      Field field,
      String name,
      String value,
      Pattern format,
      String expected) {
    if (value != null && !format.matcher(value).matches()) {
      problems.add(new Problem(field, name + " '" + value + "' is not " + expected));
    }
  }
}
