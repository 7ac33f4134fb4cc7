package io.fraudwatch.app.triage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which open alerts (not reviewed yet) {@code alerts list} shows: from a time on, of one customer
 * or terminal, at most {@code limit}, oldest first.
 *
 * @param since alerts whose transaction happened at or after this instant
 */
public record OpenAlertsFilter(
    Optional<Instant> since, Optional<String> customer, Optional<String> terminal, int limit) {

  public static final int MAX_LIMIT = 10_000;

  public OpenAlertsFilter {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("--limit must be 1.." + MAX_LIMIT + ", got " + limit);
    }
    customer.filter(String::isBlank).ifPresent(c -> reject("--customer"));
    terminal.filter(String::isBlank).ifPresent(t -> reject("--terminal"));
  }

  private static void reject(String option) {
    throw new IllegalArgumentException(option + " must not be blank");
  }

  /** The query, its parameters in {@link #parameters()} order. */
  public String sql() {
    StringBuilder sql =
        new StringBuilder(
            "SELECT transaction_id, event_time, customer_id, terminal_id, amount, score, threshold,"
                + " model_version, reason_codes, alerted_at, model_alert FROM fraudwatch.open_alerts"
                + " WHERE true");
    since.ifPresent(s -> sql.append(" AND event_time >= ?"));
    customer.ifPresent(c -> sql.append(" AND customer_id = ?"));
    terminal.ifPresent(t -> sql.append(" AND terminal_id = ?"));
    return sql.append(" ORDER BY event_time, transaction_id LIMIT ?").toString();
  }

  /** The values of the query's placeholders. */
  public List<Object> parameters() {
    List<Object> p = new ArrayList<>();
    since.ifPresent(p::add);
    customer.ifPresent(p::add);
    terminal.ifPresent(p::add);
    p.add(limit);
    return p;
  }
}
