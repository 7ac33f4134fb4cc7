package io.fraudwatch.app.bench;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The local standalone cluster a {@code bench --cluster} runs the Spark system on: {@code workers}
 * Workers of one core each, each running one single-core executor of {@code executorMemory} heap;
 * the driver stays in the bench's JVM (client mode), so the bench hears of every batch as it does
 * in local mode, and the executors get the job's code from the job jar alone.
 */
public record ClusterShape(int workers, String executorMemory) {
  /** Spark refuses an executor heap below 1.5 times its 300 MiB of reserved memory. */
  static final long MIN_EXECUTOR_MIB = 450;

  private static final Pattern SIZE = Pattern.compile("(\\d{1,7})([mg])");

  /**
   * @param executorMemory a JVM heap size in Spark's notation, e.g. {@code 1500m} or {@code 2g}
   * @throws IllegalArgumentException with the flag at fault
   */
  public ClusterShape {
    if (workers < 1 || workers > 16) {
      throw new IllegalArgumentException("--workers must be between 1 and 16, got " + workers);
    }
    if (mebibytes(executorMemory) < MIN_EXECUTOR_MIB) {
      throw new IllegalArgumentException(
          "--executor-memory must be at least "
              + MIN_EXECUTOR_MIB
              + "m (Spark's"
              + " minimum), got "
              + executorMemory);
    }
  }

  /** A size such as {@code 1500m} or {@code 2g} in MiB. */
  static long mebibytes(String size) {
    Matcher m = SIZE.matcher(size == null ? "" : size.toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "--executor-memory must be a size such as 1500m or 2g, got " + size);
    }
    return Long.parseLong(m.group(1)) * (m.group(2).equals("g") ? 1024 : 1);
  }

  /**
   * What each Worker offers: one core and exactly one executor's memory, so that each runs one
   * executor.
   */
  public String workerMemory() {
    return executorMemory;
  }

  /**
   * The Spark properties of the bench's driver on this cluster (the master aside).
   *
   * @param jobJar the job jar, shipped to the executors ({@code spark.jars})
   * @param tmpDir the executors' temporary directory
   */
  public Map<String, String> sparkProperties(Path jobJar, Path tmpDir) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("spark.jars", jobJar.toAbsolutePath().toString());
    p.put("spark.executor.memory", executorMemory);
    p.put("spark.executor.cores", "1");
    p.put("spark.cores.max", Integer.toString(workers));
    p.put("spark.driver.host", "127.0.0.1");
    p.put("spark.driver.bindAddress", "127.0.0.1");
    p.put("spark.executor.defaultJavaOptions", "-Djava.io.tmpdir=" + tmpDir.toAbsolutePath());
    return p;
  }

  /** The shape as the report's settings. */
  public Map<String, Object> settings() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cluster_workers", workers);
    m.put("executors", workers);
    m.put("executor_cores", 1);
    m.put("executor_memory", executorMemory);
    m.put("executor_memory_bytes", mebibytes(executorMemory) << 20);
    return m;
  }
}
