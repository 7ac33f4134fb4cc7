package io.fraudwatch.app;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * One run of {@code bin/fraudwatch ARGS} in this JVM, never stopped by Ctrl-C: its exit code,
 * output and time.
 */
public record CommandRun(int exit, String out, String err, long millis) {

  public static CommandRun of(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    long t0 = System.nanoTime();
    int exit =
        FraudwatchCommand.run(
            env,
            new CountDownLatch(1)::await,
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            args);
    return new CommandRun(
        exit, out.toString(), err.toString(), (System.nanoTime() - t0) / 1_000_000);
  }
}
