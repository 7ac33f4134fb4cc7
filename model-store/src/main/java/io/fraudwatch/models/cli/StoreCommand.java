package io.fraudwatch.models.cli;

import com.zaxxer.hikari.HikariDataSource;
import io.fraudwatch.config.Cli;
import io.fraudwatch.config.CommandFailure;
import io.fraudwatch.config.ConfigOptions;
import io.fraudwatch.models.ModelNotFoundException;
import io.fraudwatch.models.ModelRefusedException;
import io.fraudwatch.models.ModelStore;
import io.fraudwatch.models.ModelStoreException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * A subcommand that works on the model store: opens the database, runs, maps store failures to exit
 * codes.
 */
abstract class StoreCommand implements Callable<Integer> {

  @Mixin ConfigOptions config;
  @ParentCommand ModelsCommand parent;
  @Spec CommandSpec spec;

  @Override
  public final Integer call() throws Exception {
    try (HikariDataSource db = parent.openDatabase(config)) {
      return withExitCodes(
          () -> run(new ModelStore(db, parent.currentSchema()), spec.commandLine().getOut()));
    }
  }

  /** What a store command does once the database is open. */
  @FunctionalInterface
  interface Work {
    void run() throws Exception;
  }

  /** Runs {@code work}, the store's failures mapped to exit codes (3 not found, 4 refused, 1). */
  static Integer withExitCodes(Work work) throws Exception {
    try {
      work.run();
      return Cli.OK;
    } catch (ModelNotFoundException e) {
      throw new CommandFailure(Cli.NOT_FOUND, e.getMessage(), e);
    } catch (ModelRefusedException e) {
      throw new CommandFailure(Cli.REFUSED, e.getMessage(), e);
    } catch (ModelStoreException e) {
      throw new CommandFailure(Cli.FAILURE, e.getMessage(), e);
    }
  }

  abstract void run(ModelStore store, PrintWriter out) throws Exception;

  /**
   * Refuses a model name the store does not hold while it holds others, so that a misspelt {@code
   * --model} is not read as a model without versions; a store with no model yet is no error.
   */
  static void requireKnownModel(ModelStore store, String model) {
    List<String> names = store.modelNames();
    if (!names.isEmpty() && !names.contains(model)) {
      throw new ModelNotFoundException(
          "no model " + model + " in the store; its models: " + String.join(", ", names));
    }
  }

  /** A non-blank --reason (picocli already makes it required). */
  static String reason(String reason) {
    if (reason.isBlank()) {
      throw new CommandFailure(
          Cli.USAGE, "--reason must not be blank: say why, it goes into the audit trail");
    }
    return reason;
  }

  /** Who is acting: --actor, else the login name from the environment. */
  String actor(String actorOption) {
    return actor(actorOption, parent.env());
  }

  static String actor(String actorOption, java.util.Map<String, String> env) {
    if (actorOption != null && !actorOption.isBlank()) {
      return actorOption;
    }
    String user = env.getOrDefault("USER", env.get("LOGNAME"));
    return user == null || user.isBlank() ? System.getProperty("user.name", "unknown") : user;
  }
}
