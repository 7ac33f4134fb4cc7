package io.fraudwatch.config;

/** Whether this JVM is shutting down. */
public final class JvmShutdown {

  private static volatile boolean stopsPostgres;

  private JvmShutdown() {}

  /**
   * Records that this JVM runs a PostgreSQL server of its own (embedded: the demo's, a scratch
   * command's), which its shutdown hooks stop at once, whatever still needs it.
   */
  public static void alsoStopsPostgres() {
    stopsPostgres = true;
  }

  /**
   * Whether this JVM's shutdown stops a PostgreSQL it runs: work that needs PostgreSQL cannot
   * finish during a shutdown then.
   */
  public static boolean stopsPostgres() {
    return stopsPostgres;
  }

  /**
   * Whether this JVM is shutting down (Ctrl-C, SIGTERM): its shutdown hooks, Spark's among them,
   * run at once and stop Spark contexts and embedded services under a command or a job that is
   * still using them.
   */
  public static boolean inProgress() {
    Thread probe = new Thread(() -> {});
    try {
      Runtime.getRuntime().addShutdownHook(probe);
      Runtime.getRuntime().removeShutdownHook(probe);
      return false;
    } catch (IllegalStateException e) {
      return true;
    }
  }
}
