package io.fraudwatch.app.backtest;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.fraudwatch.app.pipeline.ModelVersionLine;
import io.fraudwatch.config.Durations;
import io.fraudwatch.models.SlotChange;
import io.fraudwatch.models.metrics.WindowEvaluation;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * A backtest's report: the JSON of {@code --report} and the Markdown of {@code --out}, from the
 * result and how the run went. Plain text building; the command writes the files.
 *
 * @param files the input CSV files
 * @param rowsRead rows read from them (all days); {@code rowsSkipped} unreadable or duplicate rows
 * @param bootstrapVersion the batch version fitted on the bootstrap window and promoted to champion
 * @param historyTransactions transactions seeded into the feature history (and fitted on, in the
 *     window)
 * @param streamingSeconds wall time from the first transaction sent until the job had taken the
 *     last
 * @param phaseSeconds wall time of each phase of the run (read, services, bootstrap, streaming,
 *     metrics) and the total until the metrics were computed, under "total"
 * @param versions the model's versions at the end, oldest first
 * @param trail the model's audit trail (slot changes, oldest first): the promotions and rollbacks
 * @param settings flags and config values worth keeping with the figures
 * @param driftStart the first day of a drift in the data (a scenario's start day), from which each
 *     model's recovery is measured
 */
public record BacktestReport(
    BacktestResult result,
    List<Path> files,
    long rowsRead,
    long rowsSkipped,
    long bootstrapVersion,
    OptionalDouble bootstrapValidationAuc,
    long historyTransactions,
    double streamingSeconds,
    Map<String, Double> phaseSeconds,
    List<ModelVersionLine> versions,
    List<SlotChange> trail,
    Map<String, Object> settings,
    Optional<LocalDate> driftStart) {

  public BacktestReport {
    files = List.copyOf(files);
    phaseSeconds = new LinkedHashMap<>(phaseSeconds);
    versions = List.copyOf(versions);
    trail = List.copyOf(trail);
    settings = new LinkedHashMap<>(settings);
  }

  /** The whole run until the metrics were computed. */
  public double elapsedSeconds() {
    return phaseSeconds.getOrDefault("total", 0.0);
  }

  /** "read 9 s, services 12 s, ..." */
  public String phases() {
    return String.join(
        ", ",
        phaseSeconds.entrySet().stream()
            .map(e -> String.format(Locale.ROOT, "%s %.0f s", e.getKey(), e.getValue()))
            .toList());
  }

  /** The champion's changes (promotions, rollbacks), placed in event time. */
  public List<PromotionTimeline.Change> championChanges() {
    return result.timeline().changes(trail);
  }

  public double eventsPerSecond() {
    return streamingSeconds > 0 ? result.transactionsReplayed() / streamingSeconds : 0;
  }

  /**
   * The {@code --report} JSON (ReportJson writes it): metrics in [0, 1] or null when undefined,
   * dates as ISO days.
   */
  public Json json() {
    BacktestResult r = result;
    WindowEvaluation champion = r.champion();
    Map<LocalDate, BacktestResult.DayActivity> activity = new HashMap<>();
    r.activity().forEach(a -> activity.put(a.day(), a));
    int k = r.k();
    return new Json(
        r.plan().testFrom().toString(),
        r.plan().testTo().toString(),
        Durations.format(r.plan().labelDelay()),
        Figures.of(champion, k),
        r.transactionsScored(),
        champion.transactions(),
        champion.frauds(),
        r.knownCompromisedRemoved(),
        eventsPerSecond(),
        r.transactionsReplayed(),
        r.notScored(),
        streamingSeconds,
        elapsedSeconds(),
        phaseSeconds,
        perDay(champion, activity, k),
        r.challenger()
            .map(
                c ->
                    new ChallengerJson(
                        c.transactionsScored(),
                        c.evaluation().transactions(),
                        Figures.of(c.evaluation(), k),
                        perDay(c.evaluation(), Map.of(), k)))
            .orElse(null),
        new BootstrapJson(
            r.plan().bootstrapFrom().toString(),
            r.plan().bootstrapTo().toString(),
            r.plan().trainingWindow().validationFrom().toString(),
            bootstrapVersion,
            orNull(bootstrapValidationAuc),
            historyTransactions),
        new ReplayJson(
            r.plan().replayStart().toString(),
            r.plan().testEnd().toString(),
            r.activity().stream()
                .map(
                    a ->
                        new ReplayDayJson(
                            a.day().toString(), a.transactions(), a.alerts(), a.frauds()))
                .toList()),
        versions.stream()
            .map(v -> new VersionJson(v.id(), v.kind(), v.slot(), new TreeMap<>(v.metrics())))
            .toList(),
        PublishedBaseline.ALL.stream()
            .map(
                b ->
                    new PublishedJson(
                        b.system(),
                        orNull(b.aucRoc()),
                        orNull(b.averagePrecision()),
                        orNull(b.cardPrecisionAt100())))
            .toList(),
        new InputJson(files.stream().map(Path::toString).toList(), rowsRead, rowsSkipped),
        settings,
        driftStart.map(LocalDate::toString).orElse(null),
        new ModelsJson(
            model(r.staticModel(), activity, k),
            model(champion, activity, k),
            r.challenger().map(c -> model(c.evaluation(), Map.of(), k)).orElse(null)),
        new TimelineJson(
            periods(r.timeline().champion()),
            periods(r.timeline().challenger()),
            championChanges().stream()
                .map(
                    c ->
                        new ChangeJson(
                            c.action().label(),
                            c.fromVersion().orElse(null),
                            c.toVersion(),
                            c.actor(),
                            c.reason(),
                            c.recordedAt().toString(),
                            c.firstScored().map(Instant::toString).orElse(null)))
                .toList()));
  }

  private static List<PeriodJson> periods(List<PromotionTimeline.Period> periods) {
    return periods.stream()
        .map(
            p ->
                new PeriodJson(
                    p.version(), p.from().toString(), p.to().toString(), p.transactions()))
        .toList();
  }

  private ModelJson model(
      WindowEvaluation w, Map<LocalDate, BacktestResult.DayActivity> activity, int k) {
    // without a drift start there is nothing to recover from: both figures are null
    Recovery r = driftStart.map(d -> Recovery.of(w, d)).orElse(null);
    Double preDrift = r == null || r.preDrift().isEmpty() ? null : r.preDrift().getAsDouble();
    Long days = r == null || r.recoveryDays().isEmpty() ? null : r.recoveryDays().getAsLong();
    return new ModelJson(Figures.of(w, k), perDay(w, activity, k), preDrift, days);
  }

  private static List<DayJson> perDay(
      WindowEvaluation w, Map<LocalDate, BacktestResult.DayActivity> activity, int k) {
    List<DayJson> days = new ArrayList<>();
    for (WindowEvaluation.DayEvaluation d : w.days()) {
      BacktestResult.DayActivity a = activity.get(d.day());
      days.add(
          new DayJson(
              d.day().toString(),
              a == null ? null : a.transactions(),
              d.transactions(),
              d.frauds(),
              new Figures(
                  orNull(d.aucRoc()),
                  orNull(d.averagePrecision()),
                  orNull(d.cardPrecisionAtK()),
                  k),
              d.compromisedCards(),
              a == null ? null : a.alerts()));
    }
    return days;
  }

  /**
   * AUC ROC, average precision and card precision@k, written among the keys of what holds them, the
   * last under {@code card_precision_at_<k>}.
   */
  public record Figures(
      Double aucRoc,
      Double averagePrecision,
      @JsonIgnore Double cardPrecisionAtK,
      @JsonIgnore int k) {
    static Figures of(WindowEvaluation w, int k) {
      return new Figures(
          orNull(w.aucRoc()), orNull(w.averagePrecision()), orNull(w.cardPrecisionAtK()), k);
    }

    @JsonAnyGetter
    public Map<String, Object> cardPrecision() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("card_precision_at_" + k, cardPrecisionAtK);
      return m;
    }
  }

  /** The report's top level. */
  public record Json(
      String testFrom,
      String testTo,
      String labelDelay,
      @JsonUnwrapped Figures figures,
      long transactions,
      long transactionsAssessed,
      long fraudsAssessed,
      long knownCompromisedTransactionsRemoved,
      double eventsPerSecond,
      long transactionsReplayed,
      long transactionsNotScored,
      double streamingSeconds,
      double elapsedSeconds,
      Map<String, Double> phaseSeconds,
      List<DayJson> perDay,
      ChallengerJson challenger,
      BootstrapJson bootstrap,
      ReplayJson replay,
      List<VersionJson> modelVersions,
      List<PublishedJson> published,
      InputJson input,
      Map<String, Object> settings,
      String driftStartDay,
      ModelsJson models,
      TimelineJson timeline) {}

  /**
   * Which version alerted (champion) and which shadow-scored (challenger) from when to when in
   * event time, and the champion slot's changes from the audit trail: {@code action} promote or
   * rollback, {@code recorded_at} the wall time of the change, {@code first_scored} the event time
   * of the first transaction the new champion scored (null: none before the replay ended).
   */
  public record TimelineJson(
      List<PeriodJson> champion, List<PeriodJson> challenger, List<ChangeJson> changes) {}

  public record PeriodJson(long version, String from, String to, long transactions) {}

  public record ChangeJson(
      String action,
      Long fromVersion,
      long toVersion,
      String actor,
      String reason,
      String recordedAt,
      String firstScored) {}

  /**
   * The three models side by side: {@code static} (the bootstrap version, shadow-scored all along),
   * {@code alerted} (whichever version was champion, as the alerts went) and {@code learner} (the
   * online challenger, where one ran).
   */
  public record ModelsJson(
      @JsonProperty("static") ModelJson staticModel, ModelJson alerted, ModelJson learner) {}

  /**
   * One model on the test window. With a drift start: its mean daily average precision before it,
   * and the days until it was back within 10 % of that (null: not back by the window's end).
   */
  public record ModelJson(
      @JsonUnwrapped Figures figures,
      List<DayJson> perDay,
      @JsonInclude(JsonInclude.Include.NON_NULL) Double preDriftAveragePrecision,
      Long recoveryDays) {}

  /** One day of the test window: what was assessed, and what the stream did that day when known. */
  public record DayJson(
      String date,
      @JsonInclude(JsonInclude.Include.NON_NULL) Long transactions,
      long transactionsAssessed,
      long fraudsAssessed,
      @JsonUnwrapped Figures figures,
      int compromisedCards,
      @JsonInclude(JsonInclude.Include.NON_NULL) Long alerts) {}

  public record ChallengerJson(
      long transactions,
      long transactionsAssessed,
      @JsonUnwrapped Figures figures,
      List<DayJson> perDay) {}

  public record BootstrapJson(
      String from,
      String to,
      String validationFrom,
      long modelVersion,
      Double validationAucRoc,
      long historyTransactions) {}

  public record ReplayJson(String from, String to, List<ReplayDayJson> perDay) {}

  public record ReplayDayJson(String date, long transactions, long alerts, long frauds) {}

  public record VersionJson(long id, String kind, String slot, Map<String, Double> metrics) {}

  public record PublishedJson(
      String system, Double aucRoc, Double averagePrecision, Double cardPrecisionAt100) {}

  public record InputJson(List<String> files, long rowsRead, long rowsSkipped) {}

  /** The terminal's table: our three figures next to the published ones. */
  public String table() {
    StringBuilder s = new StringBuilder();
    s.append(
        String.format(
            Locale.ROOT, "  %-40s %8s %8s %8s%n", "", "AUC ROC", "AP", "CP@" + result.k()));
    row(
        s,
        "Fraudwatch champion (this run)",
        result.champion().aucRoc(),
        result.champion().averagePrecision(),
        result.champion().cardPrecisionAtK());
    result
        .challenger()
        .ifPresent(
            c ->
                row(
                    s,
                    "Fraudwatch challenger (this run)",
                    c.evaluation().aucRoc(),
                    c.evaluation().averagePrecision(),
                    c.evaluation().cardPrecisionAtK()));
    WindowEvaluation st = result.staticModel();
    row(
        s,
        "static bootstrap model (shadow-scored)",
        st.aucRoc(),
        st.averagePrecision(),
        st.cardPrecisionAtK());
    for (PublishedBaseline b : PublishedBaseline.ALL) {
      row(s, b.system(), b.aucRoc(), b.averagePrecision(), b.cardPrecisionAt100());
    }
    driftStart.ifPresent(d -> s.append(recovery(d)));
    return s.toString();
  }

  /** "Drift from 2018-09-17: ..." with each model's pre-drift AP and days to recover. */
  private String recovery(LocalDate start) {
    StringBuilder s =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "  drift from %s: daily average precision before it, and days until back within %.0f %% of that:%n",
                start,
                Recovery.TOLERANCE * 100));
    recoveryLine(s, "alerted (champion as promoted)", Recovery.of(result.champion(), start));
    result
        .challenger()
        .ifPresent(
            c -> recoveryLine(s, "learner (challenger)", Recovery.of(c.evaluation(), start)));
    recoveryLine(s, "static bootstrap model", Recovery.of(result.staticModel(), start));
    return s.toString();
  }

  private static void recoveryLine(StringBuilder s, String name, Recovery r) {
    s.append(
        String.format(
            Locale.ROOT,
            "    %-32s before %s, %s%n",
            name,
            fixed(r.preDrift()),
            r.preDrift().isEmpty()
                ? "no test day before the drift to compare with"
                : r.recoveryDays().isPresent()
                    ? "back after " + r.recoveryDays().getAsLong() + " days"
                    : "not back by the window's end"));
  }

  private static void row(
      StringBuilder s, String name, OptionalDouble auc, OptionalDouble ap, OptionalDouble cp) {
    s.append(
        String.format(
            Locale.ROOT, "  %-40s %8s %8s %8s%n", name, fixed(auc), fixed(ap), fixed(cp)));
  }

  /** The {@code --out} Markdown report; {@code charts} are the PNG file names beside it. */
  public String markdown(List<String> charts) {
    BacktestResult r = result;
    BacktestPlan p = r.plan();
    WindowEvaluation champion = r.champion();
    StringBuilder s = new StringBuilder();
    s.append("# Fraudwatch backtest, test window ")
        .append(p.testFrom())
        .append("..")
        .append(p.testTo())
        .append("\n\n");
    s.append(
        String.format(
            Locale.ROOT,
            "The transactions after the bootstrap window (%s..%s) up to the end of the test"
                + " window were replayed through Kafka into the scoring job in event-time order, each label %s after its"
                + " transaction; the figures are computed from the job's scored rows in PostgreSQL.%n%n",
            p.bootstrapFrom(),
            p.bootstrapTo(),
            Durations.format(p.labelDelay())));
    s.append("## Against the published figures\n\n");
    s.append("| system | AUC ROC | average precision | card precision@")
        .append(r.k())
        .append(" |\n");
    s.append("|---|---:|---:|---:|\n");
    s.append(
        String.format(
            Locale.ROOT,
            "| **Fraudwatch champion (this run)** | **%s** | **%s** | **%s** |%n",
            fixed(champion.aucRoc()),
            fixed(champion.averagePrecision()),
            fixed(champion.cardPrecisionAtK())));
    r.challenger()
        .ifPresent(
            c ->
                s.append(
                    String.format(
                        Locale.ROOT,
                        "| Fraudwatch challenger (this run, %,d of %,d test transactions) | %s | %s | %s |%n",
                        c.transactionsScored(),
                        r.transactionsScored(),
                        fixed(c.evaluation().aucRoc()),
                        fixed(c.evaluation().averagePrecision()),
                        fixed(c.evaluation().cardPrecisionAtK()))));
    s.append(
        String.format(
            Locale.ROOT,
            "| static bootstrap model (shadow-scored all along) | %s | %s | %s |%n",
            fixed(r.staticModel().aucRoc()),
            fixed(r.staticModel().averagePrecision()),
            fixed(r.staticModel().cardPrecisionAtK())));
    for (PublishedBaseline b : PublishedBaseline.ALL) {
      s.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %s | %s |%n",
              b.system(),
              fixed(b.aucRoc()),
              fixed(b.averagePrecision()),
              fixed(b.cardPrecisionAt100())));
    }
    s.append('\n');
    PublishedBaseline lr = PublishedBaseline.LOGISTIC_REGRESSION;
    double[] ours = {
      value(champion.aucRoc()),
      value(champion.averagePrecision()),
      value(champion.cardPrecisionAtK())
    };
    double[] theirs = {
      lr.aucRoc().getAsDouble(),
      lr.averagePrecision().getAsDouble(),
      lr.cardPrecisionAt100().getAsDouble()
    };
    double[] best = PublishedBaseline.best();
    int beaten = 0;
    for (int i = 0; i < 3; i++) {
      beaten += ours[i] > theirs[i] ? 1 : 0;
    }
    s.append(
        String.format(
            Locale.ROOT,
            "Against the handbook's logistic regression: AUC ROC %s, average precision %s,"
                + " CP@%d %s: better on %d of 3. Best published: %.3f / %.3f / %.3f (gaps %s / %s / %s).%n%n",
            signed(ours[0] - theirs[0]),
            signed(ours[1] - theirs[1]),
            r.k(),
            signed(ours[2] - theirs[2]),
            beaten,
            best[0],
            best[1],
            best[2],
            signed(ours[0] - best[0]),
            signed(ours[1] - best[1]),
            signed(ours[2] - best[2])));
    if (!p.handbookTestWeek()) {
      s.append(
          "Note: the published figures are for the test week 2018-08-08..2018-08-14 with a 7-day label delay;"
              + " this run's window or delay differs, so the comparison is indicative only.\n\n");
    }
    driftStart.ifPresent(
        d -> s.append("## After the drift\n\n```\n").append(recovery(d)).append("```\n\n"));
    s.append(
        "How the figures are computed (the handbook's protocol): every transaction is scored before its label can"
            + " be known. The test set leaves out the transactions of cards already known compromised (a fraud since the"
            + " start of the handbook's training week, "
            + p.knownCompromisedFrom()
            + ", whose label was known before the"
            + " day began): "
            + String.format(
                Locale.ROOT, "%,d of %,d", r.knownCompromisedRemoved(), r.transactionsScored())
            + " test transactions. AUC ROC and average precision are computed over the whole test set, card precision@"
            + r.k()
            + " per day (the "
            + r.k()
            + " cards with the highest score that day; cards found compromised on"
            + " earlier test days leave the pool) and averaged over the days. The champion column is the score of"
            + " whichever version was champion when the transaction was scored.\n\n");

    s.append("## Per day (champion)\n\n");
    s.append("| day | scored | assessed | frauds | AUC ROC | average precision | CP@")
        .append(r.k())
        .append(" | compromised cards | alerts |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    Map<java.time.LocalDate, BacktestResult.DayActivity> activity = new HashMap<>();
    r.activity().forEach(a -> activity.put(a.day(), a));
    for (WindowEvaluation.DayEvaluation d : champion.days()) {
      BacktestResult.DayActivity a = activity.get(d.day());
      s.append(
          String.format(
              Locale.ROOT,
              "| %s | %,d | %,d | %,d | %s | %s | %s | %d | %,d |%n",
              d.day(),
              a == null ? 0 : a.transactions(),
              d.transactions(),
              d.frauds(),
              fixed(d.aucRoc()),
              fixed(d.averagePrecision()),
              fixed(d.cardPrecisionAtK()),
              d.compromisedCards(),
              a == null ? 0 : a.alerts()));
    }
    s.append('\n');

    s.append("## Model versions\n\n");
    for (ModelVersionLine v : versions) {
      s.append("- ").append(v.describe()).append('\n');
    }
    s.append('\n').append(versionChanges()).append('\n');
    s.append("## Promotions and rollbacks\n\n");
    s.append("| event time (first scored) | change | by | why |\n| --- | --- | --- | --- |\n");
    for (PromotionTimeline.Change c : championChanges()) {
      s.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %s | %s |%n",
              c.firstScored().map(Instant::toString).orElse("never scored"),
              c.describe(),
              c.actor(),
              c.reason().replace("|", "\\|")));
    }
    s.append('\n');

    if (!charts.isEmpty()) {
      s.append("## Plots\n\n");
      for (String chart : charts) {
        s.append("![")
            .append(chart.replace(".png", "").replace('-', ' '))
            .append("](")
            .append(chart)
            .append(")\n\n");
      }
    }

    s.append("## Run\n\n");
    s.append(
        String.format(
            Locale.ROOT,
            "- input: %s (%,d rows read, %,d skipped)%n",
            String.join(", ", files.stream().map(f -> f.getFileName().toString()).toList()),
            rowsRead,
            rowsSkipped));
    s.append(
        String.format(
            Locale.ROOT,
            "- bootstrap: v%d fitted on %s..%s (validation from %s, AUC ROC %s); %,d"
                + " transactions in the feature history%n",
            bootstrapVersion,
            p.bootstrapFrom(),
            p.bootstrapTo(),
            p.trainingWindow().validationFrom(),
            fixed(bootstrapValidationAuc),
            historyTransactions));
    s.append(
        String.format(
            Locale.ROOT,
            "- replayed: %,d transactions (%s .. %s), %,d not scored; %.1f s streaming,"
                + " %,.0f events/s%n",
            r.transactionsReplayed(),
            p.replayStart(),
            p.testEnd(),
            r.notScored(),
            streamingSeconds,
            eventsPerSecond()));
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
        changes.add(
            h.challenger().isPresent()
                ? "challenger v" + h.challenger().getAsLong() + " from " + h.hour()
                : "no challenger from " + h.hour());
        challenger = h.challenger();
      }
    }
    return s.append(changes.isEmpty() ? "none" : String.join("; ", changes))
        .append(".\n")
        .toString();
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
