package io.fraudwatch.bench;

import io.fraudwatch.features.HandbookFeatures;
import io.fraudwatch.features.OfflineFeatures;
import io.fraudwatch.models.ModelContent;
import io.fraudwatch.models.ModelKind;
import io.fraudwatch.models.ModelStore;
import io.fraudwatch.models.ModelVersion;
import io.fraudwatch.models.NewModelVersion;
import io.fraudwatch.models.Slot;
import io.fraudwatch.models.TrainingData;
import io.fraudwatch.models.drift.TrainingDistribution;
import io.fraudwatch.models.scoring.LinearScorer;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The bench's champion: a hand-set logistic regression over the handbook features (scoring costs
 * the same whatever the weights; training one would only add a minute to every run), with the
 * plan's alert threshold.
 */
public final class BenchModel {
  /**
   * Alerts on about 3 % of the bench workload's transactions, as the demo's model does, whatever
   * the workload's size (BenchModelTest): the score rises with the amount and the terminal's risk,
   * so mostly the largest amounts alert.
   */
  public static final double DEFAULT_THRESHOLD = 0.45;

  private BenchModel() {}

  /** Customers whose history gives the model's training distribution. */
  static final int DISTRIBUTION_CUSTOMERS = 2_000;

  /**
   * Stores the model as a new version of {@code modelName}, with a training distribution as {@code
   * models train} stores one, and promotes it to champion; returns its id.
   *
   * <p>Without a distribution the job's drift monitor computes one when it first needs it, from the
   * feature history of the whole training window, in the middle of the timed phases: at ten million
   * customers a read of all 40 million history rows into the driver.
   */
  public static long install(
      ModelStore store, String modelName, double threshold, BenchWorkload workload) {
    long id = store.save(NewModelVersion.of(content(modelName, threshold)));
    store.saveDistribution(id, distribution(store.require(id), workload));
    store.promote(id, Slot.CHAMPION, "bench", "bench run");
    return id;
  }

  /**
   * The features of the first {@link #DISTRIBUTION_CUSTOMERS} customers' history rows, computed
   * from those rows alone (their terminals' other customers left out, which only lowers the
   * terminal counts: the bench's drift values are not looked at, their cost is the same), and the
   * model's scores of them.
   */
  static TrainingDistribution distribution(ModelVersion version, BenchWorkload workload) {
    int customers = Math.min(workload.customers(), DISTRIBUTION_CUSTOMERS);
    List<double[]> rows =
        OfflineFeatures.compute(workload.history(0, customers), HandbookFeatures.Config.DEFAULT)
            .stream()
            .map(OfflineFeatures.FeatureRow::features)
            .toList();
    LinearScorer scorer = version.scorer();
    return TrainingDistribution.fit(
        version.schema().names(),
        rows,
        rows.stream().mapToDouble(scorer::probability).toArray(),
        "the bench workload's history of its first " + customers + " customers");
  }

  /**
   * The model's content: weights on the amount and the terminal's 30-day risk (not on features that
   * depend on how many events a customer has per day, so the alert rate does not change with
   * --events or --customers).
   */
  public static ModelContent content(String modelName, double threshold) {
    int n = HandbookFeatures.SIZE;
    double[] stds = new double[n];
    Arrays.fill(stds, 1);
    double[] weights = new double[n + 1];
    weights[HandbookFeatures.SCHEMA.names().indexOf("TX_AMOUNT")] = 0.02;
    weights[HandbookFeatures.SCHEMA.names().indexOf("TERMINAL_ID_RISK_30DAY_WINDOW")] = 5;
    weights[n] = -4;
    return ModelContent.create(
        Clock.systemUTC(),
        modelName,
        "bench",
        ModelKind.BATCH,
        HandbookFeatures.SCHEMA,
        new double[n],
        stds,
        weights,
        threshold,
        TrainingData.batch(
            BenchWorkload.START.minus(BenchWorkload.HISTORY_SPAN),
            BenchWorkload.START,
            "hand-set weights for bin/fraudwatch bench"),
        Map.of());
  }
}
