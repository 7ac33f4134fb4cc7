package io.fraudwatch.features.history;

/**
 * The history could not be read (PostgreSQL unreachable, query failed); retrying later may succeed.
 */
public class HistoryUnavailableException extends RuntimeException {

  public HistoryUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
