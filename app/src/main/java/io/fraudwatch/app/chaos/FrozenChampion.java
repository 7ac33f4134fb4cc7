package io.fraudwatch.app.chaos;

import io.fraudwatch.features.HandbookFeatures;
import io.fraudwatch.models.ModelContent;
import io.fraudwatch.models.ModelKind;
import io.fraudwatch.models.ModelStore;
import io.fraudwatch.models.NewModelVersion;
import io.fraudwatch.models.Slot;
import io.fraudwatch.models.TrainingData;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;

/**
 * Hand-made models whose alerts are known in advance: the fault runs' champion alerts exactly on
 * the amounts of {@link Workload#ALERT_AMOUNT} and more. With {@code promotion.auto=false} no
 * learned version replaces it.
 */
public final class FrozenChampion {
  private FrozenChampion() {}

  /** A model scoring on the raw features: {@code sigmoid(weights · [features, 1])}. */
  public static long store(ModelStore models, double[] weights, double threshold) {
    int n = HandbookFeatures.SIZE;
    double[] stds = new double[n];
    Arrays.fill(stds, 1);
    ModelContent content =
        ModelContent.create(
            Clock.systemUTC(),
            ModelContent.DEFAULT_MODEL,
            "test",
            ModelKind.BATCH,
            HandbookFeatures.SCHEMA,
            new double[n],
            stds,
            weights,
            threshold,
            TrainingData.batch(
                Instant.parse("2018-04-01T00:00:00Z"),
                Instant.parse("2018-04-02T00:00:00Z"),
                "hand-made"),
            Map.of());
    return models.save(NewModelVersion.of(content));
  }

  /**
   * Alerts when the amount reaches {@code amount} (weight 1 on TX_AMOUNT, bias -amount, threshold
   * 0.5).
   */
  public static long amountModel(ModelStore models, double amount) {
    double[] w = new double[HandbookFeatures.SIZE + 1];
    w[0] = 1;
    w[HandbookFeatures.SIZE] = -amount;
    return store(models, w, 0.5);
  }

  /** Stores the amount model for {@link Workload#ALERT_AMOUNT} and makes it the champion. */
  public static long promote(ModelStore models, String actor) {
    long id = amountModel(models, Workload.ALERT_AMOUNT);
    models.promote(id, Slot.CHAMPION, actor, "frozen champion for a fault run");
    return id;
  }
}
