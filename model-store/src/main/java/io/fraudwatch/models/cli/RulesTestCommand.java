package io.fraudwatch.models.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fraudwatch.config.Cli;
import io.fraudwatch.config.CommandFailure;
import io.fraudwatch.features.HandbookFeatures;
import io.fraudwatch.features.OfflineFeatures;
import io.fraudwatch.features.TransactionInput;
import io.fraudwatch.features.handbook.HandbookCsv;
import io.fraudwatch.features.handbook.HandbookRow;
import io.fraudwatch.models.ModelContent;
import io.fraudwatch.models.ModelNotFoundException;
import io.fraudwatch.models.ModelStore;
import io.fraudwatch.models.metrics.DecisionMetrics;
import io.fraudwatch.models.rules.CompiledRules;
import io.fraudwatch.models.rules.RuleCompiler;
import io.fraudwatch.models.rules.RuleFile;
import io.fraudwatch.models.rules.RuleSpark;
import io.fraudwatch.models.rules.RuleStore;
import io.fraudwatch.models.rules.RuleVersion;
import io.fraudwatch.models.scoring.LinearScorer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code rules test NAME --csv ... --from D --to D}: what a rule would have done on handbook data,
 * next to the champion: hits, precision, recall, card precision@100, and the overlap with the
 * model's alerts. Features are computed from the files alone (history from their first day), and
 * labels are the files' (known), so the figures say what the rule catches, not when.
 */
@Command(
    name = "test",
    mixinStandardHelpOptions = true,
    description =
        "Evaluate a rule (a stored version, the newest by default) on handbook CSV files against their"
            + " labels, next to the champion: hits, precision, recall, card precision@100 and the overlap"
            + " with the model's alerts, on the days --from..--to.")
final class RulesTestCommand extends RulesCommand.RuleStoreCommand {
  @Parameters(index = "0", description = "rule name")
  String name;

  @Option(names = "--rule-version", description = "version number (default: the newest)")
  Integer version;

  @Option(
      names = "--csv",
      required = true,
      split = ",",
      arity = "1..*",
      description = "handbook CSV files (plain or .gz)")
  List<Path> csv;

  @Option(names = "--from", required = true, description = "first day tested (UTC, YYYY-MM-DD)")
  LocalDate from;

  @Option(names = "--to", required = true, description = "last day tested (inclusive)")
  LocalDate to;

  @Option(
      names = "--model",
      defaultValue = ModelContent.DEFAULT_MODEL,
      description = "model whose champion scores (default: ${DEFAULT-VALUE})")
  String model;

  @Option(
      names = "--label-delay",
      defaultValue = "7d",
      description = "label delay of the terminal risk features (default: ${DEFAULT-VALUE})")
  String labelDelay;

  @Option(names = "--json", description = "print JSON")
  boolean json;

  /**
   * Refuses (exit 3) a --from..--to the files hold no transaction in, rather than report zeros; a
   * range they cover in part is tested on the days they hold.
   */
  static void requireDaysIn(List<HandbookRow> rows, LocalDate from, LocalDate to) {
    List<LocalDate> days =
        rows.stream().map(r -> LocalDate.ofInstant(r.eventTime(), ZoneOffset.UTC)).toList();
    if (days.stream().noneMatch(d -> !d.isBefore(from) && !d.isAfter(to))) {
      throw new CommandFailure(
          Cli.NOT_FOUND,
          "the CSV files hold no transaction on "
              + from
              + ".."
              + to
              + (days.isEmpty()
                  ? " (nor any before it)"
                  : " (up to "
                      + to
                      + " they hold "
                      + days.stream().min(LocalDate::compareTo).orElseThrow()
                      + ".."
                      + days.stream().max(LocalDate::compareTo).orElseThrow()
                      + ")"));
    }
  }

  @Override
  void run(RuleStore store, PrintWriter out) throws Exception {
    if (to.isBefore(from)) {
      throw new CommandFailure(Cli.USAGE, "--to " + to + " is before --from " + from);
    }
    CsvFiles.requireReadable(csv);
    RuleVersion rule = store.require(name, RulesCommand.optional(version));
    ModelStore models = new ModelStore(store.dataSource(), parent.schema());
    LinearScorer champion =
        models
            .champion(model)
            .orElseThrow(() -> new ModelNotFoundException("model " + model + " has no champion"))
            .scorer();
    List<HandbookRow> rows;
    try {
      rows =
          new HandbookCsv()
              .readAll(
                  csv,
                  r ->
                      !r.eventTime()
                          .isAfter(to.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC)))
              .rows();
    } catch (IOException | IllegalArgumentException e) {
      throw new CommandFailure(Cli.USAGE, "cannot read the CSV files: " + e.getMessage(), e);
    }
    requireDaysIn(rows, from, to);
    out.flush();
    SparkSession spark = RuleSpark.local();
    CompiledRules.Evaluator evaluator;
    try {
      evaluator =
          new RuleCompiler(spark, parent.schema()).compile(rule.id(), List.of(rule)).evaluator();
    } finally {
      spark.stop();
    }
    Outcome o = evaluate(rows, champion, evaluator, from, to, labelDelay());
    if (json) {
      ObjectNode n = RuleFile.MAPPER.createObjectNode();
      n.put("rule", rule.label());
      n.put("action", rule.action().label());
      n.put("transactions", o.transactions());
      put(n, "rule", o.rule());
      put(n, "model", o.model());
      n.put("overlap", o.overlap());
      out.println(RuleFile.json(n));
      return;
    }
    out.println(rule.label() + " (" + rule.action().label() + "): " + rule.expression());
    out.println(
        "days "
            + from
            + ".."
            + to
            + ", "
            + o.transactions()
            + " transactions, "
            + o.rule().overall().frauds()
            + " frauds");
    TextTable t = new TextTable("", "HITS", "FRAUD HITS", "PRECISION", "RECALL", "CARD P@100");
    row(t, "rule", o.rule());
    row(t, "model (champion)", o.model());
    t.print(out);
    out.println(
        "overlap: "
            + o.overlap()
            + " of the rule's hits are model alerts too; "
            + (o.rule().overall().flagged() - o.overlap())
            + " are not");
  }

  private Duration labelDelay() {
    return io.fraudwatch.config.Durations.parse(labelDelay);
  }

  record Outcome(
      long transactions, DecisionMetrics.Result rule, DecisionMetrics.Result model, long overlap) {}

  /** Scores the days' transactions with the champion and the rule, against their labels. */
  static Outcome evaluate(
      List<HandbookRow> rows,
      LinearScorer champion,
      CompiledRules.Evaluator evaluator,
      LocalDate from,
      LocalDate to,
      Duration labelDelay) {
    List<OfflineFeatures.FeatureRow> features =
        OfflineFeatures.compute(rows, new HandbookFeatures.Config(labelDelay));
    java.util.Map<Long, HandbookRow> byId = new java.util.HashMap<>();
    rows.forEach(r -> byId.put(r.transactionId(), r));
    List<DecisionMetrics.Decided> byRule = new ArrayList<>();
    List<DecisionMetrics.Decided> byModel = new ArrayList<>();
    long overlap = 0;
    for (OfflineFeatures.FeatureRow f : features) {
      LocalDate day = LocalDate.ofInstant(f.eventTime(), ZoneOffset.UTC);
      if (day.isBefore(from) || day.isAfter(to)) {
        continue;
      }
      HandbookRow r = byId.get(f.transactionId());
      TransactionInput tx = r.toTransactionInput();
      LinearScorer.Result scored = champion.score(f.features());
      boolean hit =
          !evaluator
              .hits(
                  new CompiledRules.Scored(
                      tx,
                      f.features(),
                      scored.score(),
                      champion.threshold(),
                      scored.alert(),
                      scored.reasons().stream().map(LinearScorer.Reason::feature).toList()))
              .isEmpty();
      overlap += hit && scored.alert() ? 1 : 0;
      byRule.add(new DecisionMetrics.Decided(f.customerId(), day, scored.score(), f.fraud(), hit));
      byModel.add(
          new DecisionMetrics.Decided(
              f.customerId(), day, scored.score(), f.fraud(), scored.alert()));
    }
    return new Outcome(
        byRule.size(), DecisionMetrics.of(byRule, 100), DecisionMetrics.of(byModel, 100), overlap);
  }

  private static void row(TextTable t, String what, DecisionMetrics.Result r) {
    t.row(
        what,
        Long.toString(r.overall().flagged()),
        Long.toString(r.overall().truePositives()),
        Format.number(r.overall().precision()),
        Format.number(r.overall().recall()),
        Format.number(r.cardPrecision()));
  }

  private static void put(ObjectNode n, String key, DecisionMetrics.Result r) {
    ObjectNode o = n.putObject(key);
    o.put("hits", r.overall().flagged());
    o.put("fraud_hits", r.overall().truePositives());
    number(o, "precision", r.overall().precision());
    number(o, "recall", r.overall().recall());
    number(o, "card_precision_at_100", r.cardPrecision());
  }

  private static void number(ObjectNode o, String key, OptionalDouble v) {
    if (v.isPresent()) {
      o.put(key, v.getAsDouble());
    } else {
      o.putNull(key);
    }
  }
}
