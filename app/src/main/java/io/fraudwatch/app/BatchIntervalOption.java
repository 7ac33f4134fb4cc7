package io.fraudwatch.app;

import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code --batch-interval}: the flag form of {@code job.batch-interval}, for every command that
 * runs the job.
 */
public final class BatchIntervalOption {
  @Option(
      names = "--batch-interval",
      paramLabel = "DURATION",
      description = "micro-batch interval (job.batch-interval, default 1s)")
  String value;

  /**
   * Adds the flag to the config flags when given (flags come last in defaults < file < env <
   * flags).
   */
  void putInto(Map<String, String> flags) {
    if (value != null) {
      flags.put("job.batch-interval", value);
    }
  }
}
