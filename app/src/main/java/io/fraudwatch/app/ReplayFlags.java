package io.fraudwatch.app;

import io.fraudwatch.app.replay.ReplayOptions;
import io.fraudwatch.config.Cli;
import io.fraudwatch.config.CommandFailure;
import io.fraudwatch.config.Durations;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.OptionalDouble;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** The replay flags that {@code simulate --to-kafka} and {@code replay} share (a picocli mixin). */
final class ReplayFlags {

  static final Duration DEFAULT_LABEL_DELAY = Duration.ofDays(7);

  @Option(
      names = "--label-delay",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "how long after a transaction its label becomes known, e.g. 7d, 36h (default: 7d)")
  Duration labelDelay;

  @Option(
      names = "--rate",
      paramLabel = "N",
      description = "transactions per second, open loop (default: as fast as Kafka takes them)")
  Double rate;

  @Option(
      names = "--no-trailing-labels",
      description = "do not send the labels that become known after the last transaction")
  boolean noTrailingLabels;

  /** Whether any of these flags was given, for commands where they do not apply. */
  boolean given() {
    return labelDelay != null || rate != null || noTrailingLabels;
  }

  ReplayOptions options() {
    if (rate != null && (!(rate > 0) || rate.isInfinite())) {
      throw new CommandFailure(
          Cli.USAGE, "--rate must be a positive number of transactions per second, got " + rate);
    }
    return new ReplayOptions(
        labelDelay == null ? DEFAULT_LABEL_DELAY : labelDelay,
        rate == null ? OptionalDouble.empty() : OptionalDouble.of(rate),
        !noTrailingLabels);
  }

  static final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      try {
        Duration d = Durations.parse(value);
        if (!d.isNegative()) {
          return d;
        }
      } catch (DateTimeParseException | ArithmeticException e) {
        // reported below with the accepted forms
      }
      throw new TypeConversionException(
          "'" + value + "' is not a duration such as 7d, 36h, 30m or 0s");
    }
  }
}
