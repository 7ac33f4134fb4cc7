package io.fraudwatch.scoring.lake;

import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.function.Consumer;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.schema.MessageType;

/**
 * Merges the small per-batch files of finished event dates into one file per date and schema
 * ({@code bin/fraudwatch maintain}), while the stream goes on writing.
 *
 * <p>Per date: the files to merge are listed into the compaction's staging directory, merged into a
 * staged file whose row count is checked against theirs, and the staged file is renamed into the
 * date directory: that rename is the commit. Then the merged files are deleted. A compaction killed
 * before the rename leaves only staging, deleted at the next run; one killed after it is finished
 * by the next run ({@link LakeProtocol#compactionState}). The stream only ever adds files with new
 * names, so a file it publishes during a compaction is simply not among the listed ones. One
 * compaction at a time: the caller holds a lock ({@code maintain} takes a PostgreSQL advisory
 * lock).
 */
public final class LakeCompactor {

  /** A date to compact: its files with one schema (most dates have one schema, so one group). */
  public record DateGroup(LocalDate date, List<String> files, long rows) {}

  /** What a run would do: compactions a killed run left, and the dates to merge. */
  public record Plan(List<String> unfinished, List<DateGroup> groups) {
    public List<String> describe() {
      List<String> lines = new ArrayList<>();
      if (!unfinished.isEmpty()) {
        lines.add("  lake: finish or roll back " + unfinished.size() + " interrupted compactions");
      }
      if (groups.isEmpty()) {
        lines.add("  lake: no finished date with small files to compact");
      }
      for (DateGroup g : groups) {
        lines.add(
            String.format(
                Locale.ROOT,
                "  lake: compact %s: %,d files, %,d rows into one file",
                g.date(),
                g.files().size(),
                g.rows()));
      }
      return lines;
    }
  }

  /** What a run did. */
  public record Result(int dates, int filesMerged, long rows) {}

  /** A finished date with this many files or more is compacted. */
  public static final int MIN_FILES = 2;

  private final LakeFiles files;
  private final int minFiles;

  /**
   * @param minFiles a finished date is compacted once it has at least this many files
   */
  public LakeCompactor(LakeFiles files, int minFiles) {
    this.files = files;
    this.minFiles = minFiles;
  }

  public Plan plan() throws IOException {
    SortedMap<LocalDate, List<String>> all = files.dataFiles();
    Map<LocalDate, Integer> counts = new LinkedHashMap<>();
    all.forEach((date, list) -> counts.put(date, list.size()));
    List<DateGroup> groups = new ArrayList<>();
    for (LocalDate date : LakeProtocol.datesToCompact(counts, minFiles)) {
      Map<MessageType, List<String>> bySchema = new LinkedHashMap<>();
      Map<MessageType, Long> rows = new LinkedHashMap<>();
      for (String file : all.get(date)) {
        LakeFiles.Footer f = files.footer(file);
        bySchema.computeIfAbsent(f.schema(), s -> new ArrayList<>()).add(file);
        rows.merge(f.schema(), f.rows(), Long::sum);
      }
      bySchema.forEach(
          (schema, list) -> {
            if (list.size() >= minFiles) {
              groups.add(new DateGroup(date, List.copyOf(list), rows.get(schema)));
            }
          });
    }
    return new Plan(files.list(LakeLayout.COMPACTIONS, true), groups);
  }

  public Result apply(Plan plan, Consumer<String> progress) throws IOException {
    for (String dir : plan.unfinished()) {
      recover(dir, progress);
    }
    int merged = 0;
    long rows = 0;
    for (DateGroup g : plan.groups()) {
      compact(g);
      merged += g.files().size();
      rows += g.rows();
      progress.accept(
          String.format(
              Locale.ROOT,
              "lake: compacted %s: %,d files, %,d rows",
              g.date(),
              g.files().size(),
              g.rows()));
    }
    return new Result(plan.groups().size(), merged, rows);
  }

  private void compact(DateGroup g) throws IOException {
    LakeLayout.Compaction c = new LakeLayout.Compaction(g.date(), LakeLayout.newId());
    files.writeText(c.inputs(), String.join("\n", g.files()) + "\n");
    MessageType schema = files.footer(g.files().get(0)).schema();
    try (ParquetWriter<Group> out = files.writer(c.merged(), schema)) {
      for (String file : g.files()) {
        try (ParquetReader<Group> in = files.reader(file)) {
          for (Group row = in.read(); row != null; row = in.read()) {
            out.write(row);
          }
        }
      }
    }
    long written = files.footer(c.merged()).rows();
    if (written != g.rows()) {
      files.delete(c.dir());
      throw new IOException(
          "compacting "
              + g.date()
              + " wrote "
              + written
              + " rows of "
              + g.rows()
              + "; nothing was changed");
    }
    files.publish(c.merged(), c.target());
    finish(c);
  }

  private void recover(String dirName, Consumer<String> progress) throws IOException {
    var found = LakeLayout.compactionOf(dirName);
    if (found.isEmpty()) {
      return; // not ours
    }
    LakeLayout.Compaction c = found.get();
    switch (LakeProtocol.compactionState(files.exists(c.merged()), files.exists(c.target()))) {
      case COMMITTED -> {
        finish(c);
        progress.accept("lake: finished the interrupted compaction of " + c.date());
      }
      case NOT_COMMITTED -> {
        files.delete(c.dir());
        progress.accept("lake: rolled back the interrupted compaction of " + c.date());
      }
    }
  }

  /** After the commit: deletes the merged inputs that are still there, then the staging. */
  private void finish(LakeLayout.Compaction c) throws IOException {
    for (String input : files.readText(c.inputs()).lines().filter(l -> !l.isBlank()).toList()) {
      files.delete(input);
    }
    files.delete(c.dir());
  }
}
