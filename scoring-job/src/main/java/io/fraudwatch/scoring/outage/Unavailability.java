package io.fraudwatch.scoring.outage;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.errors.RetriableException;

/**
 * Tells whether a failure means a service is unreachable (so that the work is worth repeating once
 * it is back), and which, from the exception and its causes:
 *
 * <ul>
 *   <li>PostgreSQL: SQLState class 08 (connection exception: refused, broken, closed),
 *       57P01/57P02/57P03 (the server shuts down, crashed or is starting: also a backend ended by
 *       {@code pg_terminate_backend}), 53300 (too many connections), and a pool that hands out no
 *       connection in time ({@link SQLTransientConnectionException}).
 *   <li>Kafka: the client's retriable errors that outlived its own retries, above all its timeouts
 *       (no broker answered within {@code default.api.timeout.ms}, {@code delivery.timeout.ms} or
 *       {@code max.block.ms}).
 * </ul>
 *
 * Anything else (a constraint the data breaks, a bug) is not an outage: repeating would fail the
 * same way.
 */
public final class Unavailability {

  private static final Set<String> POSTGRES_DOWN = Set.of("57P01", "57P02", "57P03", "53300");
  private static final int MAX_CAUSES = 20;

  private Unavailability() {}

  public static Optional<Service> of(Throwable failure) {
    Throwable t = failure;
    for (int depth = 0; t != null && depth < MAX_CAUSES; depth++, t = t.getCause()) {
      if (t instanceof ServiceUnavailableException u) {
        return Optional.of(u.service());
      }
      if (t instanceof SQLTransientConnectionException) {
        return Optional.of(Service.POSTGRESQL);
      }
      if (t instanceof SQLException e
          && e.getSQLState() != null
          && (e.getSQLState().startsWith("08") || POSTGRES_DOWN.contains(e.getSQLState()))) {
        return Optional.of(Service.POSTGRESQL);
      }
      if (t instanceof RetriableException) {
        return Optional.of(Service.KAFKA);
      }
    }
    return Optional.empty();
  }
}
