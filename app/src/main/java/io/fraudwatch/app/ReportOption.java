package io.fraudwatch.app;

import io.fraudwatch.config.Cli;
import io.fraudwatch.config.CommandFailure;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --report FILE}: the commands that measure something also write it as JSON (see {@link
 * ReportJson}).
 */
public final class ReportOption {
  @Option(
      names = "--report",
      paramLabel = "FILE",
      description = "also write the figures as JSON to FILE")
  Path file;

  /** Refuses a path that cannot be written, before the command starts anything. */
  public void requireWritable() {
    if (file != null) {
      Path dir = file.toAbsolutePath().getParent();
      if (Files.isDirectory(file) || !Files.isDirectory(dir) || !Files.isWritable(dir)) {
        throw new CommandFailure(Cli.USAGE, "--report " + file + ": cannot write there");
      }
    }
  }

  public boolean requested() {
    return file != null;
  }

  /** Writes the report when one was asked for, and says where. */
  public void write(Object report, PrintWriter out) throws IOException {
    if (file != null) {
      ReportJson.write(file, report);
      out.println("Report written to " + file);
    }
  }
}
