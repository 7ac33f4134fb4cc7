package io.fraudwatch.models.training;

import io.fraudwatch.config.Durations;
import io.fraudwatch.features.HandbookFeatures;
import io.fraudwatch.features.OfflineFeatures;
import io.fraudwatch.features.OfflineFeatures.FeatureRow;
import io.fraudwatch.features.Standardisation;
import io.fraudwatch.models.ModelContent;
import io.fraudwatch.models.ModelKind;
import io.fraudwatch.models.NewModelVersion;
import io.fraudwatch.models.TrainingData;
import io.fraudwatch.models.drift.TrainingDistribution;
import io.fraudwatch.models.metrics.MetricNames;
import io.fraudwatch.models.metrics.RankingMetrics;
import io.fraudwatch.models.metrics.ThresholdChoice;
import io.fraudwatch.models.scoring.LinearScorer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Consumer;

/**
 * The batch bootstrap: handbook features over the history, a time-ordered train/validation split of
 * the window's labelled rows, standardisation fitted on the training days, a logistic regression,
 * and the validation metrics computed with exactly the weights that will be stored (the way the
 * scoring job scores).
 */
public final class BatchTrainer {

  /**
   * A fitted version, not yet stored, the distribution of its training rows (store it with the
   * version: drift is measured against it), and the numbers worth printing.
   */
  public record Result(
      ModelContent content,
      TrainingDistribution distribution,
      long trainingRows,
      long trainingFrauds,
      long validationRows,
      long validationFrauds,
      OptionalDouble aucRoc,
      OptionalDouble averagePrecision) {

    /** The version to store: its content with its training distribution. */
    public NewModelVersion newVersion() {
      return NewModelVersion.of(content).withDistribution(distribution);
    }
  }

  private static final double MIN_THRESHOLD = 1e-6;

  private final LogisticFitter fitter;
  private final Clock clock;
  private final Consumer<String> progress;

  public BatchTrainer(LogisticFitter fitter, Clock clock, Consumer<String> progress) {
    this.fitter = fitter;
    this.clock = clock;
    this.progress = progress;
  }

  /**
   * @throws IllegalArgumentException when the window holds no labelled rows of one class on its
   *     training days
   */
  public Result train(LabelledHistory history, TrainingWindow window, TrainingOptions options) {
    Instant earliest =
        history.rows().stream()
            .map(r -> r.eventTime())
            .min(Instant::compareTo)
            .orElseThrow(() -> new IllegalArgumentException("no transactions to train on"));
    if (earliest.isAfter(window.historyStart(options.features()))) {
      progress.accept(
          "note: history starts "
              + earliest
              + ", later than "
              + window.historyStart(options.features())
              + "; the first days' features see shorter windows than the online job's");
    }
    progress.accept("computing features of " + history.rows().size() + " transactions");
    List<FeatureRow> rows = OfflineFeatures.compute(history.rows(), options.features());

    List<FeatureRow> train = new ArrayList<>();
    List<FeatureRow> validation = new ArrayList<>();
    for (FeatureRow r : rows) {
      boolean inWindow =
          !r.eventTime().isBefore(window.start()) && r.eventTime().isBefore(window.endExclusive());
      if (inWindow && !history.unlabelledIds().contains(r.transactionId())) {
        (r.eventTime().isBefore(window.validationStart()) ? train : validation).add(r);
      }
    }
    long trainFrauds = train.stream().filter(FeatureRow::fraud).count();
    if (trainFrauds == 0 || trainFrauds == train.size()) {
      throw new IllegalArgumentException(
          "the training days "
              + window.from()
              + ".."
              + window.validationFrom().minusDays(1)
              + " hold "
              + train.size()
              + " labelled transactions of which "
              + trainFrauds
              + " frauds: both classes are needed");
    }
    long validationFrauds = validation.stream().filter(FeatureRow::fraud).count();

    Standardisation scaling =
        Standardisation.fit(train.stream().map(FeatureRow::features).toList());
    double[][] x = train.stream().map(r -> scaling.apply(r.features())).toArray(double[][]::new);
    boolean[] y = labels(train);
    double fraudWeight =
        options.fraudWeight().orElse((double) (train.size() - trainFrauds) / trainFrauds);
    progress.accept(
        String.format(
            Locale.ROOT,
            "fitting logistic regression on %d transactions (%d frauds, weight %.1f each)",
            train.size(),
            trainFrauds,
            fraudWeight));
    double[] weights = fitter.fit(x, y, fraudWeight);

    // scored exactly as the job will score the stored version (its id does not exist yet)
    LinearScorer scorer = new LinearScorer(0, HandbookFeatures.SCHEMA, scaling, weights, 0.5);
    double[] scores =
        validation.stream().mapToDouble(r -> scorer.probability(r.features())).toArray();
    boolean[] truth = labels(validation);
    OptionalDouble auc = RankingMetrics.aucRoc(scores, truth);
    OptionalDouble ap = RankingMetrics.averagePrecision(scores, truth);
    Optional<ThresholdChoice.Choice> bestF1 = ThresholdChoice.bestF1(scores, truth);
    double threshold =
        options
            .threshold()
            .orElseGet(
                () ->
                    bestF1
                        .map(
                            c ->
                                Math.min(Math.max(c.threshold(), MIN_THRESHOLD), 1 - MIN_THRESHOLD))
                        .orElse(0.5));

    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put(MetricNames.TRAINING_ROWS, (double) train.size());
    metrics.put(MetricNames.TRAINING_FRAUDS, (double) trainFrauds);
    metrics.put(MetricNames.TRAINING_FRAUD_WEIGHT, fraudWeight);
    metrics.put(MetricNames.VALIDATION_ROWS, (double) validation.size());
    metrics.put(MetricNames.VALIDATION_FRAUDS, (double) validationFrauds);
    auc.ifPresent(v -> metrics.put(MetricNames.VALIDATION_AUC_ROC, v));
    ap.ifPresent(v -> metrics.put(MetricNames.VALIDATION_AVERAGE_PRECISION, v));
    if (options.threshold().isEmpty()) {
      bestF1.ifPresent(
          c -> {
            metrics.put("validation.precision_at_threshold", c.precision());
            metrics.put("validation.recall_at_threshold", c.recall());
            metrics.put("validation.f1_at_threshold", c.f1());
          });
    }
    if (auc.isEmpty()) {
      progress.accept(
          "warning: the validation days hold "
              + validation.size()
              + " labelled transactions with "
              + validationFrauds
              + " frauds; AUC and average precision are undefined");
    }

    String description =
        String.format(
            Locale.ROOT,
            "%s; train %s..%s, validate %s..%s (UTC days); label delay %s; fraud weight %.2f; threshold %s",
            history.description(),
            window.from(),
            window.validationFrom().minusDays(1),
            window.validationFrom(),
            window.to(),
            Durations.format(options.features().labelDelay()),
            fraudWeight,
            options.threshold().isPresent()
                ? "given"
                : (bestF1.isPresent() ? "best F1 on validation" : "default 0.5"));
    ModelContent content =
        ModelContent.create(
            clock,
            options.modelName(),
            options.createdBy(),
            ModelKind.BATCH,
            HandbookFeatures.SCHEMA,
            scaling.means(),
            scaling.stds(),
            weights,
            threshold,
            TrainingData.batch(window.start(), window.endExclusive().minusNanos(1000), description),
            metrics);
    TrainingDistribution distribution =
        TrainingDistribution.fit(
            HandbookFeatures.SCHEMA.names(),
            train.stream().map(FeatureRow::features).toList(),
            train.stream().mapToDouble(r -> scorer.probability(r.features())).toArray(),
            String.format(
                Locale.ROOT,
                "batch fit: the %d training rows of %s..%s",
                train.size(),
                window.from(),
                window.validationFrom().minusDays(1)));
    return new Result(
        content,
        distribution,
        train.size(),
        trainFrauds,
        validation.size(),
        validationFrauds,
        auc,
        ap);
  }

  private static boolean[] labels(List<FeatureRow> rows) {
    boolean[] y = new boolean[rows.size()];
    for (int i = 0; i < y.length; i++) {
      y[i] = rows.get(i).fraud();
    }
    return y;
  }
}
