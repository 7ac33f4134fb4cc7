package io.fraudwatch.app;

import io.fraudwatch.config.Cli;
import io.fraudwatch.config.CommandFailure;
import io.fraudwatch.features.handbook.HandbookCsv;
import io.fraudwatch.features.handbook.HandbookFormatException;
import io.fraudwatch.features.handbook.HandbookRow;
import io.fraudwatch.features.handbook.ReadReport;
import io.fraudwatch.features.handbook.SkippedRow;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The {@code --csv} files of a command: checked before anything starts, read with {@link
 * HandbookCsv}, and what was read and skipped said (a summary on stdout, the first skipped rows
 * with file and line and a count per file on stderr), so that no row is dropped silently. A file
 * that is missing, given twice, unreadable or not handbook CSV is a usage error naming it.
 */
final class CsvInput {

  private CsvInput() {}

  static void requireReadable(List<Path> files) {
    Map<Path, Path> seen = new HashMap<>();
    for (Path f : files) {
      if (!Files.isRegularFile(f) || !Files.isReadable(f)) {
        throw new CommandFailure(
            Cli.USAGE,
            "--csv " + f + ": " + (Files.exists(f) ? "not a readable file" : "no such file"));
      }
      Path real;
      try {
        real = f.toRealPath();
      } catch (IOException e) {
        throw new CommandFailure(Cli.USAGE, "--csv " + f + ": " + e.getMessage(), e);
      }
      Path earlier = seen.putIfAbsent(real, f);
      if (earlier != null) {
        throw new CommandFailure(
            Cli.USAGE, "--csv " + f + " is the same file as " + earlier + ", given twice");
      }
    }
  }

  /**
   * Reads the rows that {@code keep} accepts, in file order; {@code window} describes the filter in
   * the summary. The caller has checked the files with {@link #requireReadable} before starting
   * anything.
   */
  static HandbookCsv.Loaded read(
      List<Path> files,
      Predicate<? super HandbookRow> keep,
      String window,
      PrintWriter out,
      PrintWriter err) {
    err.printf("Reading %d file(s) ...%n", files.size());
    err.flush();
    HandbookCsv.Loaded loaded;
    try {
      loaded = new HandbookCsv().readAll(files, keep);
    } catch (HandbookFormatException e) {
      throw new CommandFailure(Cli.USAGE, e.getMessage(), e);
    } catch (IOException e) {
      throw new CommandFailure(Cli.USAGE, "cannot read " + e.getMessage(), e);
    }
    ReadReport report = loaded.report();
    out.printf(
        "Read %,d rows from %d file(s), %,d %s%s%n",
        report.rowsRead(),
        files.size(),
        loaded.rows().size(),
        window,
        report.rowsSkipped() == 0
            ? ""
            : String.format(", %,d unreadable rows skipped", report.rowsSkipped()));
    for (SkippedRow skipped : report.firstSkipped()) {
      err.println("warning: skipped " + skipped);
    }
    if (report.rowsSkipped() > report.firstSkipped().size()) {
      err.printf(
          "warning: ... and %,d more skipped rows%n",
          report.rowsSkipped() - report.firstSkipped().size());
    }
    if (files.size() > 1) {
      for (ReadReport.FileCount f : report.files()) {
        if (f.rowsSkipped() > 0) {
          err.printf(
              "warning: %s: %,d rows skipped, %,d read%n", f.file(), f.rowsSkipped(), f.rowsRead());
        }
      }
    }
    out.flush();
    err.flush();
    return loaded;
  }
}
