package io.fraudwatch.models.cli;

import io.fraudwatch.config.Cli;
import io.fraudwatch.config.CommandFailure;
import io.fraudwatch.models.ModelContent;
import io.fraudwatch.models.ModelJson;
import io.fraudwatch.models.ModelStore;
import io.fraudwatch.models.ModelVersion;
import io.fraudwatch.models.NewModelVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description = {
      "Store a version from a file written by `export`.",
      "The checksum must match the content: a damaged file is refused. It is a",
      "SHA-256 of the content, not a signature: it does not stop a deliberate edit.",
      "(`promote` refuses weights beyond the learner's bounds unless --force.)",
      "The version gets a new id here and no parent, since ids do not carry across",
      "databases.",
      "Importing a version already stored is a no-op. Files larger than 4 MiB are",
      "refused (exit 4)."
    })
final class ImportCommand extends StoreCommand {
  /** The largest file `import` reads. */
  static final int MAX_BYTES = 4 * 1024 * 1024;

  @Parameters(
      index = "0",
      paramLabel = "FILE",
      description = "a JSON file written by `models export`")
  Path file;

  @Override
  void run(ModelStore store, PrintWriter out) throws Exception {
    String text = readCapped(file);
    ModelContent content = ModelJson.parseExport(text);
    Optional<Long> existing = store.findByChecksum(ModelJson.checksum(content));
    if (existing.isPresent()) {
      out.println("already stored as " + ModelVersion.label(existing.get()) + "; nothing imported");
      return;
    }
    long id = store.save(NewModelVersion.of(content));
    out.println(
        "imported " + file + " as " + ModelVersion.label(id) + " of " + content.modelName());
  }

  /**
   * The file's text, refused past {@link #MAX_BYTES}: an export is a few kilobytes, and a huge or
   * endless file (a wrong path, /dev/zero) must not take the JVM's memory. Reads at most one byte
   * past the cap.
   */
  static String readCapped(Path file) throws IOException {
    if (Files.isDirectory(file)) {
      throw new CommandFailure(
          Cli.USAGE, file + " is a directory, not a file written by `models export`");
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_BYTES + 1);
    } catch (NoSuchFileException e) {
      throw new CommandFailure(Cli.NOT_FOUND, "file " + file + " does not exist");
    }
    if (bytes.length > MAX_BYTES) {
      throw new CommandFailure(
          Cli.REFUSED,
          "file "
              + file
              + " is larger than "
              + MAX_BYTES / (1024 * 1024)
              + " MiB; a model export is a few kilobytes: nothing imported");
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
