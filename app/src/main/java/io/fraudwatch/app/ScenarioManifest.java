package io.fraudwatch.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import io.fraudwatch.config.Cli;
import io.fraudwatch.config.CommandFailure;
import io.fraudwatch.simulator.SimulationParameters;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * What {@code simulate --csv} made, written beside the CSV ({@code d.csv.gz} gets {@code
 * d.scenario.json}), so that {@code backtest} of the file knows when its drift starts without being
 * told. It records the file's SHA-256: a manifest whose CSV has changed since is not believed.
 *
 * @param scenario the scenario's name ({@code simulate --scenario})
 * @param description its parameters in a line
 * @param seed the simulation's seed
 * @param startDate its first day
 * @param days how many days it simulated
 * @param customers its customers
 * @param terminals its terminals
 * @param driftStartDay the first day of the change, null for {@code stationary}
 * @param transactions the rows written
 * @param frauds of which fraud (the truth)
 * @param csvBytes the CSV's size
 * @param csvSha256 the CSV's SHA-256, in hex
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
    long csvBytes,
    String csvSha256) {

  static final String SUFFIX = ".scenario.json";

  private static final String REMEDY = "; remove it or give --drift-start-day";

  private static final ObjectReader READER =
      ReportJson.MAPPER
          .readerFor(ScenarioManifest.class)
          .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** The manifest of {@code csv} as written: the simulation's parameters and the file's digest. */
  static ScenarioManifest of(
      Path csv,
      String scenario,
      SimulationParameters p,
      Optional<LocalDate> driftStart,
      long transactions,
      long frauds)
      throws IOException {
    return new ScenarioManifest(
        scenario,
        p.drift().describe(),
        p.seed(),
        p.startDate().toString(),
        p.days(),
        p.customers(),
        p.terminals(),
        driftStart.map(LocalDate::toString).orElse(null),
        transactions,
        frauds,
        Files.size(csv),
        sha256(csv));
  }

  /**
   * {@code d.csv.gz}, {@code d.csv} and {@code d} all have {@code d.scenario.json} (the extensions
   * in any case).
   */
  static Path pathFor(Path csv) {
    String name = csv.getFileName().toString();
    for (String extension : new String[] {".gz", ".csv"}) {
      if (name.toLowerCase(Locale.ROOT).endsWith(extension) && name.length() > extension.length()) {
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
   * @throws CommandFailure ({@link Cli#USAGE}) if the manifest is there but unreadable or not one
   *     that {@code simulate} writes
   */
  static Optional<ScenarioManifest> readFor(Path csv, PrintWriter err) throws IOException {
    Path path = pathFor(csv);
    if (!Files.isRegularFile(path)) {
      return Optional.empty();
    }
    ScenarioManifest manifest;
    try {
      manifest = READER.readValue(path.toFile());
    } catch (JsonProcessingException e) {
      throw notAManifest(path, e.getOriginalMessage());
    } catch (IOException e) {
      throw new CommandFailure(
          Cli.USAGE, path + ": cannot read it (" + e.getMessage() + ")" + REMEDY, e);
    }
    if (manifest == null || manifest.scenario() == null || manifest.csvSha256() == null) {
      throw notAManifest(path, "no scenario or csv_sha256");
    }
    try {
      manifest.driftStart();
    } catch (DateTimeParseException e) {
      throw notAManifest(path, "drift_start_day " + e.getMessage());
    }
    if (!manifest.csvSha256().equals(sha256(csv))) {
      err.printf(
          "warning: %s describes another file than %s as it is now (its SHA-256 differs: the file"
              + " changed, or the manifest is another file's with the same stem, such as d.csv's"
              + " beside d.csv.gz): ignored%n",
          path, csv);
      return Optional.empty();
    }
    return Optional.of(manifest);
  }

  /** The first day of the change, if any. */
  Optional<LocalDate> driftStart() {
    return Optional.ofNullable(driftStartDay).map(LocalDate::parse);
  }

  private static CommandFailure notAManifest(Path path, String why) {
    return new CommandFailure(
        Cli.USAGE, path + ": not a scenario manifest as simulate writes it (" + why + ")" + REMEDY);
  }

  private static String sha256(Path file) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
