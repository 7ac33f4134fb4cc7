package io.fraudwatch.scoring.lake;

import java.time.LocalDate;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where things are in the lake, relative to its root ({@code lake.path}); plain names, no I/O.
 *
 * <pre>
 * event_date=2018-04-01/part-&lt;topic&gt;-&lt;partition&gt;-&lt;from&gt;-&lt;until&gt;.parquet   a committed batch share
 * event_date=2018-04-01/compacted-&lt;id&gt;.parquet                             maintain's merge of a day
 * _staging/&lt;topic&gt;-&lt;partition&gt;/&lt;attempt&gt;/2018-04-01.parquet.tmp           an attempt, not yet published
 * _staging/compact/2018-04-01-&lt;id&gt;/inputs, merged.parquet.tmp             a compaction under way
 * </pre>
 *
 * Staged files end in {@code .tmp} and live under {@code _staging}, so that neither a {@code
 * *.parquet} glob (DuckDB) nor Spark's file index (it skips {@code _} and {@code .} names) reads
 * them.
 */
public final class LakeLayout {
  public static final String STAGING = "_staging";
  static final String COMPACTIONS = STAGING + "/compact";
  static final String DATE_DIR_PREFIX = "event_date=";
  static final String PARQUET = ".parquet";
  static final String TMP = ".parquet.tmp";
  static final String INPUTS = "inputs";
  static final String MERGED = "merged" + TMP;
  private static final Pattern DATE_DIR = Pattern.compile("event_date=(\\d{4}-\\d{2}-\\d{2})");
  private static final Pattern COMPACTION_DIR =
      Pattern.compile("(\\d{4}-\\d{2}-\\d{2})-([0-9a-f-]{36})");

  private LakeLayout() {}

  /** The Hive-style directory of one UTC event date. */
  public static String dateDir(LocalDate date) {
    return DATE_DIR_PREFIX + date;
  }

  /** The date of a directory named by {@link #dateDir}; empty for any other name. */
  public static Optional<LocalDate> dateOf(String dirName) {
    Matcher m = DATE_DIR.matcher(dirName);
    return m.matches() ? Optional.of(LocalDate.parse(m.group(1))) : Optional.empty();
  }

  /**
   * The published file of a Kafka partition's batch share for one date. Named by the batch's whole
   * range, which only a committed batch has: ranges of committed batches never overlap, so no two
   * commits share a name.
   */
  public static String batchFile(
      String topic, int partition, long fromOffset, long untilOffset, LocalDate date) {
    return dateDir(date)
        + String.format(
            Locale.ROOT,
            "/part-%s-%d-%020d-%020d%s",
            topic,
            partition,
            fromOffset,
            untilOffset,
            PARQUET);
  }

  /** The staging directory of one Kafka partition's attempts. */
  public static String partitionStaging(String topic, int partition) {
    return STAGING + "/" + topic + "-" + partition;
  }

  /** One attempt's staging directory. */
  public static String attemptDir(String topic, int partition, String attempt) {
    return partitionStaging(topic, partition) + "/" + attempt;
  }

  /** One attempt's staged file of a date. */
  public static String stagedFile(String topic, int partition, String attempt, LocalDate date) {
    return attemptDir(topic, partition, attempt) + "/" + date + TMP;
  }

  /** A compaction of {@code date}: its staging directory (inputs list, merged file). */
  static String compactionDir(LocalDate date, String id) {
    return COMPACTIONS + "/" + date + "-" + id;
  }

  /** The date and id of a compaction staging directory's name; empty for any other name. */
  static Optional<Compaction> compactionOf(String dirName) {
    Matcher m = COMPACTION_DIR.matcher(dirName);
    return m.matches()
        ? Optional.of(new Compaction(LocalDate.parse(m.group(1)), m.group(2)))
        : Optional.empty();
  }

  /** A compaction's published file. */
  static String compactedFile(LocalDate date, String id) {
    return dateDir(date) + "/compacted-" + id + PARQUET;
  }

  static String newId() {
    return UUID.randomUUID().toString();
  }

  /** A compaction, by the date it merges and its id. */
  record Compaction(LocalDate date, String id) {
    String dir() {
      return compactionDir(date, id);
    }

    String merged() {
      return dir() + "/" + MERGED;
    }

    String inputs() {
      return dir() + "/" + INPUTS;
    }

    String target() {
      return compactedFile(date, id);
    }
  }
}
