package io.fraudwatch.models.cli;

import io.fraudwatch.config.Cli;
import io.fraudwatch.config.CommandFailure;
import io.fraudwatch.models.ModelJson;
import io.fraudwatch.models.ModelStore;
import io.fraudwatch.models.ModelVersion;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description =
        "Write a version to a JSON file with its checksum, for `import` into another database.")
final class ExportCommand extends StoreCommand {

  @Parameters(
      index = "0",
      paramLabel = "VERSION",
      converter = VersionConverter.class,
      description = "e.g. v12 or 12")
  long version;

  @Parameters(index = "1", paramLabel = "FILE", description = "where to write the JSON")
  Path file;

  @Option(names = "--force", description = "overwrite FILE if it exists")
  boolean force;

  @Override
  void run(ModelStore store, PrintWriter out) throws Exception {
    ModelVersion v = store.require(version);
    Path target = outputFile(file, v.label() + ".json");
    if (Files.exists(target) && !force) {
      throw new CommandFailure(
          Cli.REFUSED, target + " already exists; pass --force to overwrite it");
    }
    // write beside the target and move into place, so a failed export never leaves half a file
    Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
    try {
      Files.writeString(tmp, ModelJson.exportDocument(v), StandardCharsets.UTF_8);
      if (force) {
        Files.move(
            tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } else {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      }
    } catch (FileAlreadyExistsException e) {
      throw new CommandFailure(
          Cli.REFUSED, target + " already exists; pass --force to overwrite it");
    } finally {
      Files.deleteIfExists(tmp);
    }
    out.println(
        "exported "
            + v.label()
            + " of "
            + v.modelName()
            + " to "
            + target
            + " (sha256 "
            + v.checksum()
            + ")");
  }

  /**
   * {@code file} as a file to write: refused when it is a directory (usage) or its directory does
   * not exist (not found), before anything is written.
   *
   * @param example a file name to suggest for a directory
   */
  static Path outputFile(Path file, String example) {
    Path target = file.toAbsolutePath();
    if (Files.isDirectory(target)) {
      throw new CommandFailure(
          Cli.USAGE, target + " is a directory; name the file to write (e.g. " + example + ")");
    }
    if (!Files.isDirectory(target.getParent())) {
      throw new CommandFailure(
          Cli.NOT_FOUND, "directory " + target.getParent() + " does not exist");
    }
    return target;
  }
}
