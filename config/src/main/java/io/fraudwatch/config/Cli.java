package io.fraudwatch.config;

import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * How every Fraudwatch command runs: picocli with our exit codes and error messages. Tests call
 * {@link #execute} with their own writers and environment, exactly as the launcher does.
 */
public final class Cli {
  public static final int OK = 0;
  public static final int FAILURE = 1;
  public static final int USAGE = 2;
  public static final int NOT_FOUND = 3;
  public static final int REFUSED = 4;

  /**
   * A service the command needs (PostgreSQL, Kafka) stayed unreachable for longer than it
   * tolerates; starting it again once the service is back resumes where it stopped. A supervisor
   * may restart on this code.
   */
  public static final int UNAVAILABLE = 5;

  /**
   * A service refused our credentials or certificates (Kafka SASL/TLS, a PostgreSQL login), or
   * denied access.
   */
  public static final int ACCESS_DENIED = 6;

  private Cli() {}

  /** Parses and runs; returns the exit code. Never calls System.exit. */
  public static int execute(Object command, PrintWriter out, PrintWriter err, String... args) {
    return commandLine(command, out, err).execute(args);
  }

  public static CommandLine commandLine(Object command, PrintWriter out, PrintWriter err) {
    return configure(new CommandLine(command), out, err);
  }

  /**
   * Applies our writers and handlers to {@code cl} and every subcommand it has now (add them
   * first).
   */
  public static CommandLine configure(CommandLine cl, PrintWriter out, PrintWriter err) {
    cl.setOut(out);
    cl.setErr(err);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setExitCodeExceptionMapper(
        e -> e instanceof CommandLine.ParameterException ? USAGE : FAILURE);
    cl.setParameterExceptionHandler(
        (ex, a) -> {
          CommandLine c = ex.getCommandLine();
          c.getErr().println("error: " + ex.getMessage());
          c.getErr()
              .println(
                  "Try '" + c.getCommandSpec().qualifiedName() + " --help' for more information.");
          c.getErr().flush();
          return USAGE;
        });
    cl.setExecutionExceptionHandler(
        (ex, c, parseResult) -> {
          PrintWriter e = c.getErr();
          int code;
          if (ex instanceof CommandFailure f) {
            e.println("error: " + f.getMessage());
            code = f.exitCode();
          } else if (ex instanceof ConfigException ce) {
            e.println("config error: " + ce.getMessage());
            code = USAGE;
          } else {
            e.println("error: " + ex);
            ex.printStackTrace(e);
            code = FAILURE;
          }
          e.flush();
          return code;
        });
    return cl;
  }
}
