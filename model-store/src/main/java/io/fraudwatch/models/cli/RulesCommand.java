package io.fraudwatch.models.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.zaxxer.hikari.HikariDataSource;
import io.fraudwatch.config.Cli;
import io.fraudwatch.config.CommandFailure;
import io.fraudwatch.config.ConfigOptions;
import io.fraudwatch.config.DatabaseLogin;
import io.fraudwatch.features.FeatureSchema;
import io.fraudwatch.features.HandbookFeatures;
import io.fraudwatch.models.ModelRefusedException;
import io.fraudwatch.models.rules.RuleAction;
import io.fraudwatch.models.rules.RuleCompiler;
import io.fraudwatch.models.rules.RuleEvent;
import io.fraudwatch.models.rules.RuleFile;
import io.fraudwatch.models.rules.RuleSpark;
import io.fraudwatch.models.rules.RuleState;
import io.fraudwatch.models.rules.RuleStatus;
import io.fraudwatch.models.rules.RuleStore;
import io.fraudwatch.models.rules.RuleVersion;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code bin/fraudwatch rules ...}: rules as boolean Spark SQL expressions over the enriched
 * transaction, versioned and audited like model versions ({@link RuleStore}), checked by Spark
 * SQL's own parser and analyzer before they are stored or enabled ({@link RuleCompiler}).
 */
@DatabaseLogin(DatabaseLogin.Login.OPERATOR)
@Command(
    name = "rules",
    mixinStandardHelpOptions = true,
    description = {
      "Rules: Spark SQL conditions that alert, suppress or review, next to the model.",
      "A rule is a boolean Spark SQL expression over the enriched transaction (raw",
      "fields, every feature, the champion's score and reason codes) with an action",
      "(alert, suppress, review), versioned and audited. Enabled rules decide with the",
      "model from the scoring job's next batch: model alert OR any alert rule, minus",
      "suppress rules; review rules only record their hits.",
      "Subcommands: add, list, show, diff, enable, disable, history, export, import,",
      "test. Columns: docs/rules.md."
    },
    subcommands = {
      RulesCommand.Add.class,
      RulesCommand.ListRules.class,
      RulesCommand.Show.class,
      RulesCommand.Diff.class,
      RulesCommand.Enable.class,
      RulesCommand.Disable.class,
      RulesCommand.History.class,
      RulesCommand.Export.class,
      RulesCommand.Import.class,
      RulesTestCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:ok",
      "1:failure (database unreachable, unexpected error)",
      "2:usage or configuration error",
      "3:rule, version or file not found",
      "4:refused (the rule does not check: Spark's message says why; already active; nothing to change)",
      "6:the database refused the operator's login"
    })
public final class RulesCommand implements Runnable {
  private final Map<String, String> env;
  private final FeatureSchema schema;

  @Spec CommandSpec spec;

  public RulesCommand(Map<String, String> env) {
    this(env, HandbookFeatures.SCHEMA);
  }

  public RulesCommand(Map<String, String> env, FeatureSchema schema) {
    this.env = Map.copyOf(env);
    this.schema = schema;
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing subcommand");
  }

  Map<String, String> env() {
    return env;
  }

  FeatureSchema schema() {
    return schema;
  }

  /** A rules subcommand: opens the database, runs, maps failures to exit codes, stops Spark. */
  abstract static class RuleStoreCommand implements Callable<Integer> {
    @Mixin ConfigOptions config;
    @ParentCommand RulesCommand parent;
    @Spec CommandSpec spec;
    private SparkSession spark;

    @Override
    public final Integer call() throws Exception {
      try (HikariDataSource db = ModelsCommand.openDatabase(config, parent.env())) {
        return StoreCommand.withExitCodes(
            () -> run(new RuleStore(db), spec.commandLine().getOut()));
      } finally {
        if (spark != null) {
          spark.stop();
        }
      }
    }

    abstract void run(RuleStore store, PrintWriter out) throws Exception;

    /** Spark SQL's check of an expression (a local session, started on first use). */
    Consumer<String> check() {
      return expression -> {
        if (spark == null) {
          spark = RuleSpark.local();
        }
        new RuleCompiler(spark, parent.schema()).check(expression);
      };
    }

    String actor(String option) {
      return StoreCommand.actor(option, parent.env());
    }
  }

  /** --actor and --reason of the commands that change something. */
  static final class Change {
    @Option(
        names = "--actor",
        description = "who is acting, for the audit trail (default: the login name)")
    String actor;

    @Option(
        names = "--reason",
        required = true,
        description = "why, for the audit trail (required, not blank)")
    String reason;
  }

  @Command(
      name = "add",
      mixinStandardHelpOptions = true,
      description =
          "Store a new version of a rule (its first if the name is new), as a draft: it runs once"
              + " enabled. The expression is checked first; a bad one is refused with Spark's message.")
  static final class Add extends RuleStoreCommand {
    @Parameters(index = "0", description = "rule name")
    String name;

    @Option(names = "--expr", required = true, description = "boolean Spark SQL expression")
    String expression;

    @Option(
        names = "--action",
        defaultValue = "alert",
        description = "alert, suppress or review (default: ${DEFAULT-VALUE})")
    String action;

    @Mixin Change change;

    @Option(names = "--json", description = "print the stored version as JSON")
    boolean json;

    @Override
    void run(RuleStore store, PrintWriter out) throws Exception {
      RuleAction a = action(action);
      RuleVersion v =
          store.add(
              name,
              expression,
              a,
              actor(change.actor),
              StoreCommand.reason(change.reason),
              check());
      if (json) {
        out.println(RuleFile.json(RuleFile.versionNode(v, Optional.empty())));
      } else {
        out.println("stored " + v.label() + " (draft; enable it with `rules enable " + name + "`)");
      }
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Every rule, by name.")
  static final class ListRules extends RuleStoreCommand {
    @Option(names = "--json", description = "print a JSON array instead of a table")
    boolean json;

    @Override
    void run(RuleStore store, PrintWriter out) throws Exception {
      List<RuleState> rules = store.list();
      if (json) {
        ArrayNode array = RuleFile.MAPPER.createArrayNode();
        rules.forEach(r -> array.add(RuleFile.stateNode(r)));
        out.println(RuleFile.json(array));
        return;
      }
      if (rules.isEmpty()) {
        out.println("no rules yet: add one with `rules add NAME --expr ... --reason ...`");
        return;
      }
      TextTable table =
          new TextTable("RULE", "STATUS", "IN FORCE", "LATEST", "ACTION", "EXPRESSION");
      for (RuleState r : rules) {
        RuleVersion shown = r.enabled().orElse(r.latest());
        table.row(
            r.latest().name(),
            r.status().label(),
            r.enabled().map(v -> "v" + v.version()).orElse(Format.NONE),
            "v" + r.latest().version(),
            shown.action().label(),
            shown.expression());
      }
      table.print(out);
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "One version of a rule (its newest by default) and its status.")
  static final class Show extends RuleStoreCommand {
    @Parameters(index = "0", description = "rule name")
    String name;

    @Option(names = "--rule-version", description = "version number (default: the newest)")
    Integer version;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Override
    void run(RuleStore store, PrintWriter out) throws Exception {
      RuleVersion v = store.require(name, optional(version));
      RuleStatus status = store.state(name).statusOf(v);
      if (json) {
        out.println(RuleFile.json(RuleFile.versionNode(v, Optional.of(status))));
        return;
      }
      out.println("rule        " + v.label());
      out.println("status      " + status.label());
      out.println("action      " + v.action().label());
      out.println("expression  " + v.expression());
      out.println("author      " + v.author());
      out.println("created     " + Format.time(v.createdAt()));
      out.println("reason      " + v.reason());
    }
  }

  @Command(
      name = "diff",
      mixinStandardHelpOptions = true,
      description =
          "What changed between two versions of a rule (default: the newest and the one before).")
  static final class Diff extends RuleStoreCommand {
    @Parameters(index = "0", description = "rule name")
    String name;

    @Parameters(index = "1", arity = "0..1", description = "older version number")
    Integer from;

    @Parameters(index = "2", arity = "0..1", description = "newer version number")
    Integer to;

    @Override
    void run(RuleStore store, PrintWriter out) throws Exception {
      RuleVersion b = store.require(name, optional(to));
      int older = from != null ? from : b.version() - 1;
      if (older < 1) {
        throw new ModelRefusedException(b.label() + " is the rule's only version: nothing to diff");
      }
      RuleVersion a = store.require(name, OptionalInt.of(older));
      out.println(a.label() + " -> " + b.label());
      line(out, "action", a.action().label(), b.action().label());
      line(out, "expression", a.expression(), b.expression());
      line(out, "author", a.author(), b.author());
      line(out, "reason", a.reason(), b.reason());
    }

    private static void line(PrintWriter out, String what, String a, String b) {
      out.println(a.equals(b) ? "  " + what + ": " + a : "~ " + what + ": " + a + "  ->  " + b);
    }
  }

  @Command(
      name = "enable",
      mixinStandardHelpOptions = true,
      description =
          "Make a version of a rule (its newest by default) the active one, from the job's next batch."
              + " It is checked again first; a bad rule is refused and nothing changes.")
  static final class Enable extends RuleStoreCommand {
    @Parameters(index = "0", description = "rule name")
    String name;

    @Option(names = "--rule-version", description = "version number (default: the newest)")
    Integer version;

    @Mixin Change change;

    @Override
    void run(RuleStore store, PrintWriter out) throws Exception {
      RuleEvent e =
          store.enable(
              name,
              optional(version),
              actor(change.actor),
              StoreCommand.reason(change.reason),
              check());
      out.println(done("enabled", e));
    }
  }

  @Command(
      name = "disable",
      mixinStandardHelpOptions = true,
      description = "Stop an active rule, from the job's next batch.")
  static final class Disable extends RuleStoreCommand {
    @Parameters(index = "0", description = "rule name")
    String name;

    @Mixin Change change;

    @Override
    void run(RuleStore store, PrintWriter out) throws Exception {
      RuleEvent e = store.disable(name, actor(change.actor), StoreCommand.reason(change.reason));
      out.println(done("disabled", e));
    }
  }

  @Command(
      name = "history",
      mixinStandardHelpOptions = true,
      description = "The audit trail of one rule, or of all rules, oldest first.")
  static final class History extends RuleStoreCommand {
    @Parameters(index = "0", arity = "0..1", description = "rule name (default: every rule)")
    String name;

    @Option(names = "--json", description = "print a JSON array instead of a table")
    boolean json;

    @Override
    void run(RuleStore store, PrintWriter out) throws Exception {
      List<RuleEvent> events = store.history(Optional.ofNullable(name));
      if (json) {
        ArrayNode array = RuleFile.MAPPER.createArrayNode();
        for (RuleEvent e : events) {
          ObjectNode n = array.addObject();
          n.put("event", e.id());
          n.put("at", e.at().toString());
          n.put("actor", e.actor());
          e.dbUser().ifPresentOrElse(u -> n.put("db_user", u), () -> n.putNull("db_user"));
          n.put("rule", e.rule());
          n.put("version", e.version());
          n.put("action", e.action().label());
          n.put("reason", e.reason());
        }
        out.println(RuleFile.json(array));
        return;
      }
      if (events.isEmpty()) {
        out.println("no rule events yet");
        return;
      }
      TextTable table =
          new TextTable("EVENT", "AT", "ACTOR", "DB USER", "RULE", "VERSION", "ACTION", "REASON");
      for (RuleEvent e : events) {
        table.row(
            Long.toString(e.id()),
            Format.time(e.at()),
            e.actor(),
            e.dbUser().orElse(Format.NONE),
            e.rule(),
            "v" + e.version(),
            e.action().label(),
            e.reason());
      }
      table.print(out);
    }
  }

  @Command(
      name = "export",
      mixinStandardHelpOptions = true,
      description =
          "Every rule as a rule file (JSON): the version in force, else the newest, with its status."
              + " `rules import` and `backtest --rules` read it.")
  static final class Export extends RuleStoreCommand {
    @Option(names = "--file", description = "write to FILE instead of printing")
    Path file;

    @Override
    void run(RuleStore store, PrintWriter out) throws Exception {
      String text = RuleFile.json(RuleFile.export(store.list()));
      if (file == null) {
        out.println(text);
      } else {
        Path target = ExportCommand.outputFile(file, "rules.json");
        Files.writeString(target, text + System.lineSeparator());
        out.println("wrote " + store.list().size() + " rules to " + target);
      }
    }
  }

  @Command(
      name = "import",
      mixinStandardHelpOptions = true,
      description =
          "Read a rule file: a rule whose content differs from its newest version gets a new version;"
              + " rules with status active are enabled. Every rule is checked before anything is stored.")
  static final class Import extends RuleStoreCommand {
    @Parameters(index = "0", description = "rule file (JSON, as `rules export` writes it)")
    Path file;

    @Mixin Change change;

    @Override
    void run(RuleStore store, PrintWriter out) throws Exception {
      List<RuleFile.Entry> entries = read(file);
      RuleFile.Outcome outcome =
          RuleFile.apply(
              store, entries, actor(change.actor), StoreCommand.reason(change.reason), check());
      out.println(
          "imported "
              + entries.size()
              + " rules from "
              + file
              + ": "
              + outcome.added()
              + " new versions, "
              + outcome.enabled()
              + " enabled");
    }
  }

  /** A rule file's entries; exit 3 when it is missing, 2 when it is not a rule file. */
  static List<RuleFile.Entry> read(Path file) {
    try {
      return RuleFile.read(Files.readString(file));
    } catch (NoSuchFileException e) {
      throw new CommandFailure(Cli.NOT_FOUND, "no rule file " + file, e);
    } catch (IOException | IllegalArgumentException e) {
      throw new CommandFailure(Cli.USAGE, file + " is not a rule file: " + e.getMessage(), e);
    }
  }

  /** {@code enabled big v2 (rule set 7, from the next batch)}. */
  static String done(String what, RuleEvent e) {
    return what
        + " "
        + e.rule()
        + " v"
        + e.version()
        + " (rule set "
        + e.id()
        + ", from the next batch)";
  }

  static RuleAction action(String label) {
    try {
      return RuleAction.of(label);
    } catch (IllegalArgumentException e) {
      throw new CommandFailure(Cli.USAGE, e.getMessage(), e);
    }
  }

  static OptionalInt optional(Integer version) {
    return version == null ? OptionalInt.empty() : OptionalInt.of(version);
  }
}
