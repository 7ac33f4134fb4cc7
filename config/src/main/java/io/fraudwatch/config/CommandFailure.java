package io.fraudwatch.config;

/** Ends a command with a message for the user and a specific exit code (see {@link Cli}). */
public class CommandFailure extends RuntimeException {
  private final int exitCode;

  public CommandFailure(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public CommandFailure(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }

  /** The first command failure in {@code e}'s chain of causes, {@code e} included. */
  public static java.util.Optional<CommandFailure> in(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof CommandFailure f) {
        return java.util.Optional.of(f);
      }
    }
    return java.util.Optional.empty();
  }
}
