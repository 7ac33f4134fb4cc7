package io.fraudwatch.config;

/** Whether this JVM is shutting down. */
public final class JvmShutdown {

  private JvmShutdown() {}

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
