package io.fraudwatch.scoring.outage;

import io.fraudwatch.config.Durations;
import java.time.Duration;
import java.util.Optional;

/**
 * A service stayed unreachable for longer than the job tolerates ({@code job.outage-tolerance}):
 * the job stops, and resumes from the stored offsets when it is started again. Crosses from
 * executors to the driver as the cause of the failed task.
 */
public final class ServiceUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private static final int MAX_CAUSES = 20;

  private final Service service;
  private final String target;

  public ServiceUnavailableException(
      Service service,
      String target,
      Duration unreachableFor,
      Duration tolerance,
      Throwable cause) {
    super(
        service
            + " at "
            + target
            + " has been unreachable for "
            + Durations.format(Duration.ofSeconds(Math.max(1, unreachableFor.toSeconds())))
            + ", longer than job.outage-tolerance ("
            + Durations.format(tolerance)
            + ")"
            + (cause == null ? "" : ": " + cause),
        cause);
    this.service = service;
    this.target = target;
  }

  public Service service() {
    return service;
  }

  public String target() {
    return target;
  }

  /** The first of these in {@code failure} and its causes. */
  public static Optional<ServiceUnavailableException> in(Throwable failure) {
    Throwable t = failure;
    for (int depth = 0; t != null && depth < MAX_CAUSES; depth++, t = t.getCause()) {
      if (t instanceof ServiceUnavailableException u) {
        return Optional.of(u);
      }
    }
    return Optional.empty();
  }
}
