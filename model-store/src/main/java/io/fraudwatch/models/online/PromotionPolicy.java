package io.fraudwatch.models.online;

import io.fraudwatch.config.Keyed;
import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Decides what happens to a new online version, which always goes to the challenger slot first and
 * is shadow-scored there. It is promoted to champion automatically only when all of these hold:
 *
 * <ol>
 *   <li>its weights pass the {@link WeightsGuard};
 *   <li>auto-promotion is on;
 *   <li>the prequential window holds at least {@code minLabels} labels and {@code minFrauds}
 *       frauds;
 *   <li>the window's fraud rate is at most {@code maxFraudRate};
 *   <li>on that window it compares with the champion as its {@link Rule} asks: {@link Rule#BOTH}
 *       better by at least {@code margin} on <em>both</em> AUC ROC and average precision (candidate
 *       − champion ≥ margin); {@link Rule#AP_LED} better by the margin on average precision and not
 *       worse than the champion by more than the margin on AUC ROC (candidate − champion ≥
 *       −margin).
 * </ol>
 *
 * Both metrics, because AUC ROC barely moves when the top of the ranking (what alerts) gets worse,
 * and average precision alone is noisy on few frauds. {@link Rule#AP_LED} still holds back a
 * version whose whole ranking got worse, but lets through one that improved the top of the ranking
 * while AUC ROC, already near its ceiling, could not rise by the margin (measured on the gradual
 * scenario, docs/learning.md). Otherwise the version stays challenger. The decision's reason names
 * the failed rule(s) and the numbers, and is what the audit trail records.
 *
 * <p>Why a fraud-rate ceiling: the window's labels are also what the candidate learned from. When a
 * burst of wrong labels (e.g. flipped verdicts) is inside the window, the learner that followed the
 * burst ranks those labels "better" than the champion, and the metrics favour it (a unit test shows
 * it). Metrics cannot see that labels are wrong; the rate can: card fraud is rare, and a flipped
 * burst makes most labels frauds. Set it well above the normal rate (e.g. ten times); 1 disables
 * it.
 */
public record PromotionPolicy(
    double margin,
    boolean autoPromote,
    int minLabels,
    int minFrauds,
    double maxFraudRate,
    Rule rule)
    implements Serializable {

  @Serial private static final long serialVersionUID = 2L;

  /** How the candidate's metrics on the window must compare with the champion's. */
  public enum Rule implements Keyed {
    /** Better by the margin on AUC ROC and on average precision. */
    BOTH("both", "better by the margin on AUC and AP"),
    /** Better by the margin on average precision, not worse by more than the margin on AUC ROC. */
    AP_LED("ap-led", "better by the margin on AP, AUC not below by more than the margin");

    private final String key;
    private final String meaning;

    Rule(String key, String meaning) {
      this.key = key;
      this.meaning = meaning;
    }

    /** The name used in config ({@code promotion.rule}) and in decisions' reasons. */
    @Override
    public String key() {
      return key;
    }

    public static Rule of(String key) {
      return Keyed.find(Rule.class, key)
          .orElseThrow(
              () ->
                  new IllegalArgumentException(
                      "promotion rule must be one of "
                          + Keyed.keys(Rule.class)
                          + "; got '"
                          + key
                          + "'"));
    }

    /** The least gain on AUC ROC this rule accepts at {@code margin}. */
    private double aucFloor(double margin) {
      return this == BOTH ? margin : -margin;
    }
  }

  public enum Action {
    PROMOTE_TO_CHAMPION,
    KEEP_AS_CHALLENGER
  }

  public record Decision(Action action, String reason) {
    public boolean promotes() {
      return action == Action.PROMOTE_TO_CHAMPION;
    }
  }

  public PromotionPolicy {
    if (!(margin >= 0) || Double.isInfinite(margin)) {
      throw new IllegalArgumentException(
          "promotion margin must be a finite number >= 0, got " + margin);
    }
    if (minLabels < 1 || minFrauds < 1) {
      throw new IllegalArgumentException(
          "promotion needs at least 1 label and 1 fraud in the window, got minimum "
              + minLabels
              + " labels, "
              + minFrauds
              + " frauds");
    }
    if (rule == null) {
      throw new IllegalArgumentException("promotion rule is missing");
    }
    if (!(maxFraudRate > 0 && maxFraudRate <= 1)) {
      throw new IllegalArgumentException(
          "max window fraud rate must be in (0, 1], got " + maxFraudRate);
    }
  }

  /**
   * This policy with its fraud-rate ceiling lowered to {@code ratio} times the fraud rate the
   * champion's line was trained at, when that is lower: a fixed ceiling well above any normal rate
   * lets through a window that a day of flipped labels has raised to a few times the normal one.
   *
   * @param ratio 0 leaves the ceiling as it is
   * @param trainingFraudRate empty when unknown, which leaves the ceiling as it is
   */
  public PromotionPolicy relativeTo(OptionalDouble trainingFraudRate, double ratio) {
    if (ratio == 0 || trainingFraudRate.isEmpty() || !(trainingFraudRate.getAsDouble() > 0)) {
      return this;
    }
    double ceiling = Math.min(maxFraudRate, ratio * trainingFraudRate.getAsDouble());
    return new PromotionPolicy(
        margin, autoPromote, minLabels, minFrauds, Math.min(1, ceiling), rule);
  }

  public Decision decide(PrequentialWindow.Metrics window, List<String> guardProblems) {
    if (!guardProblems.isEmpty()) {
      List<String> shown = guardProblems.subList(0, Math.min(3, guardProblems.size()));
      return keep(
          "weights rejected: "
              + String.join("; ", shown)
              + (guardProblems.size() > shown.size()
                  ? " (and " + (guardProblems.size() - shown.size()) + " more)"
                  : ""));
    }
    String comparison = comparison(window);
    if (!autoPromote) {
      return keep("auto-promotion is off; " + comparison);
    }
    if (window.labels() < minLabels || window.frauds() < minFrauds) {
      return keep(
          String.format(
              Locale.ROOT,
              "too few labels to judge: %d labels, %d frauds in the window" + " (need %d and %d)",
              window.labels(),
              window.frauds(),
              minLabels,
              minFrauds));
    }
    double fraudRate = (double) window.frauds() / window.labels();
    if (fraudRate > maxFraudRate) {
      return keep(
          String.format(
              Locale.ROOT,
              "fraud rate %.1f%% of the window's labels is above the plausible"
                  + " %.1f%%, suspect a burst of wrong labels (%s)",
              100 * fraudRate,
              100 * maxFraudRate,
              comparison));
    }
    List<String> shortfalls = new ArrayList<>();
    shortfall("AUC", window.learnerAucRoc(), window.championAucRoc(), rule.aucFloor(margin))
        .ifPresent(shortfalls::add);
    shortfall("AP", window.learnerAveragePrecision(), window.championAveragePrecision(), margin)
        .ifPresent(shortfalls::add);
    if (!shortfalls.isEmpty()) {
      return keep(
          String.join("; ", shortfalls)
              + String.format(
                  Locale.ROOT,
                  " (rule %s, margin %.3f, %d labels / %d frauds)",
                  rule.key(),
                  margin,
                  window.labels(),
                  window.frauds()));
    }
    return new Decision(
        Action.PROMOTE_TO_CHAMPION,
        "auto: " + comparison + "; admitted by rule " + rule.key() + " (" + rule.meaning + ")");
  }

  private static Decision keep(String why) {
    return new Decision(Action.KEEP_AS_CHALLENGER, "kept as challenger: " + why);
  }

  /** Why a metric's gain does not reach {@code floor}, or empty when it does. */
  private static Optional<String> shortfall(
      String metric, OptionalDouble candidate, OptionalDouble champion, double floor) {
    if (candidate.isEmpty() || champion.isEmpty()) {
      return Optional.of(metric + " undefined on the window");
    }
    double gain = candidate.getAsDouble() - champion.getAsDouble();
    if (gain >= floor) {
      return Optional.empty();
    }
    String relation =
        floor < 0 ? "more than the margin below" : gain < 0 ? "below" : "not enough above";
    return Optional.of(
        String.format(
            Locale.ROOT,
            "%s %.3f %s champion %.3f",
            metric,
            candidate.getAsDouble(),
            relation,
            champion.getAsDouble()));
  }

  private String comparison(PrequentialWindow.Metrics w) {
    return String.format(
        Locale.ROOT,
        "%s, %s on %d labels / %d frauds",
        compare("AUC", w.learnerAucRoc(), w.championAucRoc()),
        compare("AP", w.learnerAveragePrecision(), w.championAveragePrecision()),
        w.labels(),
        w.frauds());
  }

  private String compare(String metric, OptionalDouble candidate, OptionalDouble champion) {
    if (candidate.isEmpty() || champion.isEmpty()) {
      return metric + " undefined";
    }
    double gain = candidate.getAsDouble() - champion.getAsDouble();
    return String.format(
        Locale.ROOT,
        "%s %.3f vs champion %.3f (%+.3f %s margin %.3f)",
        metric,
        candidate.getAsDouble(),
        champion.getAsDouble(),
        gain,
        gain >= margin ? "≥" : "<",
        margin);
  }
}
