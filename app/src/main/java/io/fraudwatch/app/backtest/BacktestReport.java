package io.fraudwatch.app.backtest;

import io.fraudwatch.config.Durations;
import io.fraudwatch.app.pipeline.ModelVersionLine;
import io.fraudwatch.models.metrics.WindowEvaluation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * A backtest's report: the JSON of {@code --report} and the Markdown of {@code --out}, from the result and how the run
 * went. Plain text building; the command writes the files.
 *
 * @param files the input CSV files
 * @param rowsRead rows read from them (all days); {@code rowsSkipped} unreadable or duplicate rows
 * @param bootstrapVersion the batch version fitted on the bootstrap window and promoted to champion
 * @param historyTransactions transactions seeded into the feature history (and fitted on, in the window)
 * @param streamingSeconds wall time from the first transaction sent until the job had taken the last
 * @param phaseSeconds wall time of each phase of the run (read, services, bootstrap, streaming, metrics) and the
 *     total until the metrics were computed, under "total"
 * @param versions the model's versions at the end, oldest first
 * @param settings flags and config values worth keeping with the figures
 */
public record BacktestReport(BacktestResult result, List<Path> files, long rowsRead, long rowsSkipped,
    long bootstrapVersion, OptionalDouble bootstrapValidationAuc, long historyTransactions, double streamingSeconds,
    Map<String, Double> phaseSeconds, List<ModelVersionLine> versions, Map<String, Object> settings) {

  public BacktestReport {
    files = List.copyOf(files);
    phaseSeconds = new LinkedHashMap<>(phaseSeconds);
    versions = List.copyOf(versions);
    settings = new LinkedHashMap<>(settings);
  }

  /** The whole run until the metrics were computed. */
  public double elapsedSeconds() {
    return phaseSeconds.getOrDefault("total", 0.0);
  }

  /** "read 9 s, services 12 s, ..." */
  public String phases() {
    return String.join(", ", phaseSeconds.entrySet().stream()
        .map(e -> String.format(Locale.ROOT, "%s %.0f s", e.getKey(), e.getValue())).toList());
  }

  public double eventsPerSecond() {
    return streamingSeconds > 0 ? result.transactionsReplayed() / streamingSeconds : 0;
  }

  /** The {@code --report} JSON: snake_case keys, metrics in [0, 1] or null when undefined, dates as ISO days. */
  public Map<String, Object> json() {
    BacktestResult r = result;
    WindowEvaluation champion = r.champion();
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("test_from", r.plan().testFrom().toString());
    j.put("test_to", r.plan().testTo().toString());
    j.put("label_delay", Durations.format(r.plan().labelDelay()));
    j.put("auc_roc", orNull(champion.aucRoc()));
    j.put("average_precision", orNull(champion.averagePrecision()));
    j.put(cpKey(), orNull(champion.cardPrecisionAtK()));
    j.put("transactions", r.transactionsScored());
    j.put("transactions_assessed", champion.transactions());
    j.put("frauds_assessed", champion.frauds());
    j.put("known_compromised_transactions_removed", r.knownCompromisedRemoved());
    j.put("events_per_second", eventsPerSecond());
    j.put("transactions_replayed", r.transactionsReplayed());
    j.put("transactions_not_scored", r.notScored());
    j.put("streaming_seconds", streamingSeconds);
    j.put("elapsed_seconds", elapsedSeconds());
    j.put("phase_seconds", phaseSeconds);
    Map<java.time.LocalDate, BacktestResult.DayActivity> activity = new HashMap<>();
    r.activity().forEach(a -> activity.put(a.day(), a));
    j.put("per_day", perDay(champion, activity));
    j.put("challenger", r.challenger().map(c -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("transactions", c.transactionsScored());
      m.put("transactions_assessed", c.evaluation().transactions());
      m.put("auc_roc", orNull(c.evaluation().aucRoc()));
      m.put("average_precision", orNull(c.evaluation().averagePrecision()));
      m.put(cpKey(), orNull(c.evaluation().cardPrecisionAtK()));
      m.put("per_day", perDay(c.evaluation(), Map.of()));
      return m;
    }).orElse(null));
    Map<String, Object> bootstrap = new LinkedHashMap<>();
    bootstrap.put("from", r.plan().bootstrapFrom().toString());
    bootstrap.put("to", r.plan().bootstrapTo().toString());
    bootstrap.put("validation_from", r.plan().trainingWindow().validationFrom().toString());
    bootstrap.put("model_version", bootstrapVersion);
    bootstrap.put("validation_auc_roc", orNull(bootstrapValidationAuc));
    bootstrap.put("history_transactions", historyTransactions);
    j.put("bootstrap", bootstrap);
    Map<String, Object> replay = new LinkedHashMap<>();
    replay.put("from", r.plan().replayStart().toString());
    replay.put("to", r.plan().testEnd().toString());
    replay.put("per_day", r.activity().stream().map(a -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("date", a.day().toString());
      m.put("transactions", a.transactions());
      m.put("alerts", a.alerts());
      m.put("frauds", a.frauds());
      return m;
    }).toList());
    j.put("replay", replay);
    j.put("model_versions", versions.stream().map(v -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", v.id());
      m.put("kind", v.kind());
      m.put("slot", v.slot());
      m.put("metrics", new java.util.TreeMap<>(v.metrics()));
      return m;
    }).toList());
    j.put("published", PublishedBaseline.ALL.stream().map(b -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("system", b.system());
      m.put("auc_roc", orNull(b.aucRoc()));
      m.put("average_precision", orNull(b.averagePrecision()));
      m.put("card_precision_at_100", orNull(b.cardPrecisionAt100()));
      return m;
    }).toList());
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("files", files.stream().map(Path::toString).toList());
    input.put("rows_read", rowsRead);
    input.put("rows_skipped", rowsSkipped);
    j.put("input", input);
    j.put("settings", settings);
    return j;
  }

  private String cpKey() {
    return "card_precision_at_" + result.k();
  }

  private List<Map<String, Object>> perDay(WindowEvaluation w, Map<java.time.LocalDate, BacktestResult.DayActivity> activity) {
    List<Map<String, Object>> days = new ArrayList<>();
    for (WindowEvaluation.DayEvaluation d : w.days()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("date", d.day().toString());
      BacktestResult.DayActivity a = activity.get(d.day());
      if (a != null) {
        m.put("transactions", a.transactions());
      }
      m.put("transactions_assessed", d.transactions());
      m.put("frauds_assessed", d.frauds());
      m.put("auc_roc", orNull(d.aucRoc()));
      m.put("average_precision", orNull(d.averagePrecision()));
      m.put(cpKey(), orNull(d.cardPrecisionAtK()));
      m.put("compromised_cards", d.compromisedCards());
      if (a != null) {
        m.put("alerts", a.alerts());
      }
      days.add(m);
    }
    return days;
  }

  /** The terminal's table: our three figures next to the published ones. */
  public String table() {
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "  %-40s %8s %8s %8s%n", "", "AUC ROC", "AP", "CP@" + result.k()));
    row(s, "Fraudwatch champion (this run)", result.champion().aucRoc(), result.champion().averagePrecision(),
        result.champion().cardPrecisionAtK());
    result.challenger().ifPresent(c -> row(s, "Fraudwatch challenger (this run)", c.evaluation().aucRoc(),
        c.evaluation().averagePrecision(), c.evaluation().cardPrecisionAtK()));
    for (PublishedBaseline b : PublishedBaseline.ALL) {
      row(s, b.system(), b.aucRoc(), b.averagePrecision(), b.cardPrecisionAt100());
    }
    return s.toString();
  }

  private static void row(StringBuilder s, String name, OptionalDouble auc, OptionalDouble ap, OptionalDouble cp) {
    s.append(String.format(Locale.ROOT, "  %-40s %8s %8s %8s%n", name, fixed(auc), fixed(ap), fixed(cp)));
  }

  /** The {@code --out} Markdown report; {@code charts} are the PNG file names beside it. */
  public String markdown(List<String> charts) {
    BacktestResult r = result;
    BacktestPlan p = r.plan();
    WindowEvaluation champion = r.champion();
    StringBuilder s = new StringBuilder();
    s.append("# Fraudwatch backtest, test window ").append(p.testFrom()).append("..").append(p.testTo()).append("\n\n");
    s.append(String.format(Locale.ROOT, "The transactions after the bootstrap window (%s..%s) up to the end of the test"
        + " window were replayed through Kafka into the scoring job in event-time order, each label %s after its"
        + " transaction; the figures are computed from the job's scored rows in PostgreSQL.%n%n", p.bootstrapFrom(),
        p.bootstrapTo(), Durations.format(p.labelDelay())));
    s.append("## Against the published figures\n\n");
    s.append("| system | AUC ROC | average precision | card precision@").append(r.k()).append(" |\n");
    s.append("|---|---:|---:|---:|\n");
    s.append(String.format(Locale.ROOT, "| **Fraudwatch champion (this run)** | **%s** | **%s** | **%s** |%n",
        fixed(champion.aucRoc()), fixed(champion.averagePrecision()), fixed(champion.cardPrecisionAtK())));
    r.challenger().ifPresent(c -> s.append(String.format(Locale.ROOT,
        "| Fraudwatch challenger (this run, %,d of %,d test transactions) | %s | %s | %s |%n", c.transactionsScored(),
        r.transactionsScored(), fixed(c.evaluation().aucRoc()), fixed(c.evaluation().averagePrecision()),
        fixed(c.evaluation().cardPrecisionAtK()))));
    for (PublishedBaseline b : PublishedBaseline.ALL) {
      s.append(String.format(Locale.ROOT, "| %s | %s | %s | %s |%n", b.system(), fixed(b.aucRoc()),
          fixed(b.averagePrecision()), fixed(b.cardPrecisionAt100())));
    }
    s.append('\n');
    PublishedBaseline lr = PublishedBaseline.LOGISTIC_REGRESSION;
    double[] ours = {value(champion.aucRoc()), value(champion.averagePrecision()), value(champion.cardPrecisionAtK())};
    double[] theirs = {lr.aucRoc().getAsDouble(), lr.averagePrecision().getAsDouble(), lr.cardPrecisionAt100().getAsDouble()};
    double[] best = PublishedBaseline.best();
    int beaten = 0;
    for (int i = 0; i < 3; i++) {
      beaten += ours[i] > theirs[i] ? 1 : 0;
    }
    s.append(String.format(Locale.ROOT, "Against the handbook's logistic regression: AUC ROC %s, average precision %s,"
        + " CP@%d %s: better on %d of 3. Best published: %.3f / %.3f / %.3f (gaps %s / %s / %s).%n%n",
        signed(ours[0] - theirs[0]), signed(ours[1] - theirs[1]), r.k(), signed(ours[2] - theirs[2]), beaten, best[0],
        best[1], best[2], signed(ours[0] - best[0]), signed(ours[1] - best[1]), signed(ours[2] - best[2])));
    if (!p.handbookTestWeek()) {
      s.append("Note: the published figures are for the test week 2018-08-08..2018-08-14 with a 7-day label delay;"
          + " this run's window or delay differs, so the comparison is indicative only.\n\n");
    }
    s.append("How the figures are computed (the handbook's protocol): every transaction is scored before its label can"
        + " be known. The test set leaves out the transactions of cards already known compromised (a fraud since the"
        + " start of the handbook's training week, " + p.knownCompromisedFrom() + ", whose label was known before the"
        + " day began): " + String.format(Locale.ROOT, "%,d of %,d", r.knownCompromisedRemoved(), r.transactionsScored())
        + " test transactions. AUC ROC and average precision are computed over the whole test set, card precision@"
        + r.k() + " per day (the " + r.k() + " cards with the highest score that day; cards found compromised on"
        + " earlier test days leave the pool) and averaged over the days. The champion column is the score of"
        + " whichever version was champion when the transaction was scored.\n\n");

    s.append("## Per day (champion)\n\n");
    s.append("| day | scored | assessed | frauds | AUC ROC | average precision | CP@").append(r.k())
        .append(" | compromised cards | alerts |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    Map<java.time.LocalDate, BacktestResult.DayActivity> activity = new HashMap<>();
    r.activity().forEach(a -> activity.put(a.day(), a));
    for (WindowEvaluation.DayEvaluation d : champion.days()) {
      BacktestResult.DayActivity a = activity.get(d.day());
      s.append(String.format(Locale.ROOT, "| %s | %,d | %,d | %,d | %s | %s | %s | %d | %,d |%n", d.day(),
          a == null ? 0 : a.transactions(), d.transactions(), d.frauds(), fixed(d.aucRoc()), fixed(d.averagePrecision()),
          fixed(d.cardPrecisionAtK()), d.compromisedCards(), a == null ? 0 : a.alerts()));
    }
    s.append('\n');

    s.append("## Model versions\n\n");
    for (ModelVersionLine v : versions) {
      s.append("- ").append(v.describe()).append('\n');
    }
    s.append('\n').append(versionChanges()).append('\n');

    if (!charts.isEmpty()) {
      s.append("## Plots\n\n");
      for (String chart : charts) {
        s.append("![").append(chart.replace(".png", "").replace('-', ' ')).append("](").append(chart).append(")\n\n");
      }
    }

    s.append("## Run\n\n");
    s.append(String.format(Locale.ROOT, "- input: %s (%,d rows read, %,d skipped)%n", String.join(", ",
        files.stream().map(f -> f.getFileName().toString()).toList()), rowsRead, rowsSkipped));
    s.append(String.format(Locale.ROOT, "- bootstrap: v%d fitted on %s..%s (validation from %s, AUC ROC %s); %,d"
        + " transactions in the feature history%n", bootstrapVersion, p.bootstrapFrom(), p.bootstrapTo(),
        p.trainingWindow().validationFrom(), fixed(bootstrapValidationAuc), historyTransactions));
    s.append(String.format(Locale.ROOT, "- replayed: %,d transactions (%s .. %s), %,d not scored; %.1f s streaming,"
        + " %,.0f events/s%n", r.transactionsReplayed(), p.replayStart(), p.testEnd(), r.notScored(),
        streamingSeconds, eventsPerSecond()));
    s.append("- time by phase: ").append(phases()).append('\n');
    return s.toString();
  }

  /** When each version started scoring as champion or challenger, in event time. */
  String versionChanges() {
    StringBuilder s = new StringBuilder("Versions scoring over event time: ");
    long champion = -1;
    OptionalLong challenger = OptionalLong.empty();
    List<String> changes = new ArrayList<>();
    for (BacktestResult.VersionHour h : result.versions()) {
      if (h.champion() != champion) {
        changes.add("champion v" + h.champion() + " from " + h.hour());
        champion = h.champion();
      }
      if (!h.challenger().equals(challenger)) {
        changes.add(h.challenger().isPresent() ? "challenger v" + h.challenger().getAsLong() + " from " + h.hour()
            : "no challenger from " + h.hour());
        challenger = h.challenger();
      }
    }
    return s.append(changes.isEmpty() ? "none" : String.join("; ", changes)).append(".\n").toString();
  }

  private static Double orNull(OptionalDouble v) {
    return v.isPresent() ? v.getAsDouble() : null;
  }

  private static double value(OptionalDouble v) {
    return v.orElse(Double.NaN);
  }

  private static String fixed(OptionalDouble v) {
    return v.isPresent() ? String.format(Locale.ROOT, "%.3f", v.getAsDouble()) : "-";
  }

  private static String signed(double d) {
    return Double.isNaN(d) ? "-" : String.format(Locale.ROOT, "%+.3f", d);
  }
}
