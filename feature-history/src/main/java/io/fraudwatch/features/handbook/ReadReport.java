package io.fraudwatch.features.handbook;

import java.nio.file.Path;
import java.util.List;

/**
 * What reading handbook CSV files found.
 *
 * @param rowsRead rows parsed and passed on (whether or not a filter kept them)
 * @param rowsSkipped unparsable or duplicate rows, all counted
 * @param firstSkipped the first of them, at most the reader's limit, with file and line
 * @param files the same counts per file, in reading order
 */
public record ReadReport(
    long rowsRead, long rowsSkipped, List<SkippedRow> firstSkipped, List<FileCount> files) {

  /** One file's share of the counts. */
  public record FileCount(Path file, long rowsRead, long rowsSkipped) {}

  public ReadReport {
    firstSkipped = List.copyOf(firstSkipped);
    files = List.copyOf(files);
  }

  /** One line for logs: the counts and, if any, where the first skipped rows are. */
  public String summary() {
    String head = rowsRead + " rows read, " + rowsSkipped + " skipped";
    return firstSkipped.isEmpty() ? head : head + "; first skipped: " + firstSkipped;
  }
}
