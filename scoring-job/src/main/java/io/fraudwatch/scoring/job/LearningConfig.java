package io.fraudwatch.scoring.job;

import io.fraudwatch.config.ConfigException;
import io.fraudwatch.config.ConfigKey;
import io.fraudwatch.config.Settings;
import io.fraudwatch.models.online.PromotionPolicy;
import io.fraudwatch.models.online.WeightsGuard;
import java.time.Duration;
import java.util.List;

/**
 * How the job learns online from delayed labels and what it does with the versions it learns.
 *
 * @param fraudOversampling copies of each fraud the learner sees; 0 = as many as the starting
 *     version's genuine-to-fraud ratio in its training data, so the online weights stay on the
 *     batch fit's class balance
 * @param eventTimeStep zero: each training batch learns every label released since the last one
 *     (how many depends on the job's speed); positive: labels are learned in steps of this much
 *     event time, one SGD run per step, so the weights (and the versions cut every {@code
 *     versionEveryBatches} steps) depend on the data only
 * @param refitEvery zero: SGD only; positive: every this much label watermark, the learner restarts
 *     from a batch fit on its labels of the last {@code refitWindow} of event time (at most {@code
 *     refitMaxLabels}), and SGD continues from there
 */
public record LearningConfig(
    boolean enabled,
    double stepSize,
    int iterations,
    double regParam,
    double convergenceTol,
    int fraudOversampling,
    Duration eventTimeStep,
    Duration refitEvery,
    Duration refitWindow,
    int refitMaxLabels,
    int versionEveryBatches,
    Duration versionEvery,
    int windowLabels,
    int maxWaitingLabels,
    int maxHeldLabels,
    double maxAbsWeight,
    double maxWeightNorm,
    PromotionPolicy promotion,
    double maxFraudRateRatio) {

  public static final List<ConfigKey> KEYS =
      List.of(
          ConfigKey.of(
              "learning.enabled",
              "true",
              "learn online from the labels topic and store online model versions"),
          // measured on simulate --scenario new-pattern and the handbook week (docs/scenarios.md):
          // with 0.05, 10 and a
          // tolerance of 0.001 the learner never left the champion; with these it learns a new
          // fraud pattern
          ConfigKey.of(
              "learning.step-size", "1.0", "SGD step size of StreamingLogisticRegressionWithSGD"),
          ConfigKey.of("learning.iterations", "50", "SGD iterations per batch of released labels"),
          ConfigKey.of("learning.reg-param", "0.0001", "L2 regularisation"),
          ConfigKey.of(
              "learning.convergence-tol",
              "0",
              "SGD stops a batch early when a step changes the weights by less than this (relative; 0 = runs every iteration)"),
          ConfigKey.of(
              "learning.fraud-oversampling",
              "0",
              "copies of each fraud label (0 = the starting version's genuine:fraud ratio)"),
          ConfigKey.of(
              "learning.event-time-step",
              "0",
              "learn the labels in steps of this much event time, one SGD run per step (0 = all labels released by a batch at once)"),
          // measured on new-pattern, label-noise, stationary and the handbook week
          // (docs/learning.md): daily refits on 7 days lift the drifted days and promote nothing
          // worse
          ConfigKey.of(
              "learning.refit-every",
              "1d",
              "restart the learner this often (label watermark) from a batch fit on its recent labels (0 = never)"),
          ConfigKey.of(
              "learning.refit-window",
              "7d",
              "the refit's labels: those of transactions this much event time before the newest learned one"),
          ConfigKey.of(
              "learning.refit-max-labels",
              "200000",
              "the refit's labels at most (the newest); they are held on the driver"),
          ConfigKey.of(
              "learning.version-every-batches",
              "0",
              "store an online version after this many learned batches, or steps with learning.event-time-step (0 = by time only)"),
          ConfigKey.of(
              "learning.version-every",
              "5m",
              "store an online version at least this often while labels are learned (0 = by batches only)"),
          ConfigKey.of(
              "learning.window",
              "20000",
              "prequential window: most recent labelled transactions the metrics and promotion judge on"),
          ConfigKey.of(
              "learning.max-waiting-labels",
              "100000",
              "labels kept waiting for their transaction to be scored; the oldest are given up beyond"),
          ConfigKey.of(
              "learning.max-held-labels",
              "5000000",
              "joined labels held back until the label delay has passed; the job stops beyond"),
          ConfigKey.of(
              "learning.max-abs-weight",
              Long.toString(WeightsGuard.DEFAULT_MAX_ABS),
              "a version with a weight larger in magnitude is never promoted by the learner"
                  + " (`models promote` refuses one beyond the default unless --force)"),
          ConfigKey.of(
              "learning.max-weight-norm",
              Long.toString(WeightsGuard.DEFAULT_MAX_NORM),
              "a version with a larger L2 norm of weights is never promoted by the learner"
                  + " (`models promote` refuses one beyond the default unless --force)"),
          ConfigKey.of(
              "promotion.auto",
              "true",
              "promote an online version to champion when it beats the champion on the window"),
          ConfigKey.of(
              "promotion.margin",
              "0.01",
              "how much better it must be, on the metrics promotion.rule names"),
          // ap-led since gradual let a better learner through 4.5 days sooner with the other
          // scenarios' targets kept (docs/learning.md, the promotion rule)
          ConfigKey.of(
              "promotion.rule",
              "ap-led",
              "both: better by the margin on AUC ROC and average precision; ap-led: better by the margin on average precision and not worse by more than the margin on AUC ROC"),
          ConfigKey.of(
              "promotion.min-labels", "1000", "labels the window needs before promotion is judged"),
          ConfigKey.of(
              "promotion.min-frauds", "20", "frauds the window needs before promotion is judged"),
          ConfigKey.of(
              "promotion.max-fraud-rate",
              "0.2",
              "a window with more frauds than this share is suspect (wrong labels): no promotion"),
          // measured on simulate --scenario label-noise (docs/learning.md): with 0.2 alone a
          // version learned from a day of 10 % flipped labels was promoted at a window rate of 2.5
          // %
          ConfigKey.of(
              "promotion.max-fraud-rate-ratio",
              "2",
              "a window with a fraud rate above this many times the champion line's training rate is suspect too (0 = off)"));

  public static LearningConfig from(Settings s) {
    int everyBatches = s.integer("learning.version-every-batches", 0, 1_000_000);
    Duration every = s.duration("learning.version-every");
    if (everyBatches == 0 && every.isZero()) {
      throw new ConfigException(
          "learning.version-every", "and learning.version-every-batches are both 0; set one");
    }
    return new LearningConfig(
        s.bool("learning.enabled"),
        s.number("learning.step-size", 0, 1e6),
        s.integer("learning.iterations", 1, 10_000),
        nonNegative(s, "learning.reg-param"),
        nonNegative(s, "learning.convergence-tol"),
        s.integer("learning.fraud-oversampling", 0, 100_000),
        eventTimeStep(s),
        s.duration("learning.refit-every"),
        positiveDuration(s, "learning.refit-window"),
        s.integer("learning.refit-max-labels", 1, 100_000_000),
        everyBatches,
        every,
        s.integer("learning.window", 10, 10_000_000),
        s.integer("learning.max-waiting-labels", 0, 100_000_000),
        s.integer("learning.max-held-labels", 1, 100_000_000),
        s.number("learning.max-abs-weight", 0, 1e12),
        s.number("learning.max-weight-norm", 0, 1e12),
        new PromotionPolicy(
            nonNegative(s, "promotion.margin"),
            s.bool("promotion.auto"),
            s.integer("promotion.min-labels", 1, 100_000_000),
            s.integer("promotion.min-frauds", 1, 100_000_000),
            s.number("promotion.max-fraud-rate", 0, Math.nextUp(1.0)),
            promotionRule(s)),
        nonNegative(s, "promotion.max-fraud-rate-ratio"));
  }

  private static PromotionPolicy.Rule promotionRule(Settings s) {
    try {
      return PromotionPolicy.Rule.of(s.string("promotion.rule"));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(
          "promotion.rule", e.getMessage() + " (from " + s.origin("promotion.rule") + ")");
    }
  }

  private static Duration eventTimeStep(Settings s) {
    Duration step = s.duration("learning.event-time-step");
    if (step.isNegative() || step.toNanos() % 1_000_000 != 0) {
      throw new ConfigException(
          "learning.event-time-step", "must be 0 or a positive whole number of milliseconds");
    }
    return step;
  }

  private static Duration positiveDuration(Settings s, String key) {
    Duration d = s.duration(key);
    if (d.isZero()) {
      throw new ConfigException(key, "must be positive");
    }
    return d;
  }

  /** A number >= 0 (the settings' bounds are exclusive). */
  private static double nonNegative(Settings s, String key) {
    return s.number(key, -Double.MIN_VALUE, 1e6);
  }
}
