package io.fraudwatch.features.handbook;

import java.util.List;

/**
 * What reading handbook CSV files found.
 *
 * @param rowsRead rows parsed and passed on (whether or not a filter kept them)
 * @param rowsSkipped unparsable rows, all counted
 * @param firstSkipped the first of them, at most the reader's limit, with file and line
 */
public record ReadReport(long rowsRead, long rowsSkipped, List<SkippedRow> firstSkipped) {

  public ReadReport {
    firstSkipped = List.copyOf(firstSkipped);
  }

  /** One line for logs: the counts and, if any, where the first skipped rows are. */
  public String summary() {
    String head = rowsRead + " rows read, " + rowsSkipped + " skipped";
    return firstSkipped.isEmpty() ? head : head + "; first skipped: " + firstSkipped;
  }
}
