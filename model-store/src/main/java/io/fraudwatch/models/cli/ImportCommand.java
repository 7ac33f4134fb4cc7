package io.fraudwatch.models.cli;

import io.fraudwatch.config.Cli;
import io.fraudwatch.config.CommandFailure;
import io.fraudwatch.models.ModelContent;
import io.fraudwatch.models.ModelJson;
import io.fraudwatch.models.ModelStore;
import io.fraudwatch.models.ModelVersion;
import io.fraudwatch.models.NewModelVersion;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "import", mixinStandardHelpOptions = true,
    description = {"Store a version from a file written by `export`.",
        "The checksum must match the content (an edited file is refused); the version gets a new id here",
        "and no parent, since ids do not carry across databases. Importing a version already stored is a no-op."})
final class ImportCommand extends StoreCommand {

  @Parameters(index = "0", paramLabel = "FILE", description = "a JSON file written by `models export`")
  Path file;

  @Override
  void run(ModelStore store, PrintWriter out) throws Exception {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new CommandFailure(Cli.NOT_FOUND, "file " + file + " does not exist");
    }
    ModelContent content = ModelJson.parseExport(text);
    Optional<Long> existing = store.findByChecksum(ModelJson.checksum(content));
    if (existing.isPresent()) {
      out.println("already stored as " + ModelVersion.label(existing.get()) + "; nothing imported");
      return;
    }
    long id = store.save(NewModelVersion.of(content));
    out.println("imported " + file + " as " + ModelVersion.label(id) + " of " + content.modelName());
  }
}
