package io.fraudwatch.bench;

import io.fraudwatch.features.HandbookFeatures;
import io.fraudwatch.models.ModelContent;
import io.fraudwatch.models.ModelKind;
import io.fraudwatch.models.ModelStore;
import io.fraudwatch.models.NewModelVersion;
import io.fraudwatch.models.Slot;
import io.fraudwatch.models.TrainingData;
import java.time.Clock;
import java.util.Arrays;
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

  /**
   * Stores the model as a new version of {@code modelName} and promotes it to champion; returns its
   * id.
   */
  public static long install(ModelStore store, String modelName, double threshold) {
    long id = store.save(NewModelVersion.of(content(modelName, threshold)));
    store.promote(id, Slot.CHAMPION, "bench", "bench run");
    return id;
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
