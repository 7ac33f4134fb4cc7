package io.fraudwatch.models.cli;

import io.fraudwatch.config.Cli;
import java.io.PrintWriter;

/**
 * The model store as a standalone tool: {@code model-store list}, {@code model-store promote v3
 * --reason ...}.
 */
public final class ModelStoreMain {
  private ModelStoreMain() {}

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    int code =
        Cli.commandLine(new ModelsCommand(System.getenv()), out, err)
            .setCommandName("model-store")
            .execute(args);
    System.exit(code);
  }
}
