package io.fraudwatch.app;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import io.fraudwatch.config.Cli;
import io.fraudwatch.config.CommandFailure;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * What {@code simulate --csv} made, written beside the CSV ({@code d.csv.gz} gets {@code
 * d.scenario.json}), so that {@code backtest} of the file knows when its drift starts without being
 * told. It records the file's size: a manifest whose CSV was replaced since is not believed.
 *
 * @param scenario the scenario's name ({@code simulate --scenario})
 * @param description its parameters in a line
 * @param driftStartDay the first day of the change, null for {@code stationary}
 * @param csvBytes the size of the CSV it describes
 */
record ScenarioManifest(
    String scenario,
    String description,
    long seed,
    String startDate,
    int days,
    int customers,
    int terminals,
    String driftStartDay,
    long transactions,
    long frauds,
    long csvBytes) {

  static final String SUFFIX = ".scenario.json";

  private static final ObjectReader READER =
      ReportJson.MAPPER
          .readerFor(ScenarioManifest.class)
          .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** {@code d.csv.gz}, {@code d.csv} and {@code d} all have {@code d.scenario.json}. */
  static Path pathFor(Path csv) {
    String name = csv.getFileName().toString();
    for (String extension : new String[] {".gz", ".csv"}) {
      if (name.endsWith(extension) && name.length() > extension.length()) {
        name = name.substring(0, name.length() - extension.length());
      }
    }
    return csv.resolveSibling(name + SUFFIX);
  }

  void writeFor(Path csv) throws IOException {
    ReportJson.write(pathFor(csv), this);
  }

  /**
   * The manifest beside {@code csv}, if there is one and it describes the file as it is now (one
   * that does not is ignored with a warning on {@code err}).
   *
   * @throws CommandFailure ({@link Cli#USAGE}) if the manifest is there but unreadable
   */
  static Optional<ScenarioManifest> readFor(Path csv, PrintWriter err) throws IOException {
    Path path = pathFor(csv);
    if (!Files.isRegularFile(path)) {
      return Optional.empty();
    }
    ScenarioManifest manifest;
    try {
      manifest = READER.readValue(path.toFile());
      manifest.driftStart();
    } catch (IOException | DateTimeParseException e) {
      throw new CommandFailure(
          Cli.USAGE,
          path
              + ": not a scenario manifest as simulate writes it ("
              + e.getMessage().lines().findFirst().orElse("")
              + "); remove it or give --drift-start-day",
          e);
    }
    long size = Files.size(csv);
    if (size != manifest.csvBytes()) {
      err.printf(
          "warning: %s describes a file of %,d bytes, not %s (%,d bytes): ignored%n",
          path, manifest.csvBytes(), csv, size);
      return Optional.empty();
    }
    return Optional.of(manifest);
  }

  Optional<LocalDate> driftStart() {
    return Optional.ofNullable(driftStartDay).map(LocalDate::parse);
  }
}
