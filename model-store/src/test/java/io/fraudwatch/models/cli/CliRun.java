package io.fraudwatch.models.cli;

import io.fraudwatch.config.Cli;
import io.fraudwatch.features.FeatureSchema;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/**
 * One run of {@code models ...} through {@link Cli#execute}, as the launcher runs it: exit code and
 * output.
 */
record CliRun(int exitCode, String out, String err) {

  static CliRun run(Map<String, String> env, FeatureSchema schema, String... args) {
    return run(new ModelsCommand(env, schema), args);
  }

  /** One run of any command (models, rules). */
  static CliRun run(Object command, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Cli.execute(command, new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new CliRun(code, out.toString(), err.toString());
  }

  @Override
  public String toString() {
    return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
  }
}
