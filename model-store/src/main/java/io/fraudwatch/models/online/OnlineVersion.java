package io.fraudwatch.models.online;

import io.fraudwatch.features.Standardisation;
import io.fraudwatch.models.ModelContent;
import io.fraudwatch.models.ModelKind;
import io.fraudwatch.models.ModelVersion;
import io.fraudwatch.models.NewModelVersion;
import io.fraudwatch.models.TrainingData;
import io.fraudwatch.models.metrics.MetricNames;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The new version an online learner's weights become: a child of the version the learner started
 * from, with that version's schema and alert threshold, the learner's standardisation (the one its
 * weights are on), kind {@code online}, the Kafka offsets and label watermark learned up to, the
 * number of labels learned since the parent, and the prequential metrics.
 *
 * <p>Its training window runs from the parent's end (for an online parent, its label watermark) to
 * the new label watermark: the labels learned since the parent became available in between.
 */
public final class OnlineVersion {
  private OnlineVersion() {}

  public static NewModelVersion childOf(
      ModelVersion parent,
      Standardisation standardisation,
      double[] weights,
      Map<String, Long> kafkaOffsets,
      Instant labelWatermark,
      long labelsLearned,
      PrequentialWindow.Metrics window,
      Clock clock,
      String createdBy) {
    ModelContent p = parent.content();
    Instant from = p.training().to().isAfter(labelWatermark) ? labelWatermark : p.training().to();
    String description =
        "online from "
            + parent.label()
            + ": "
            + labelsLearned
            + " labels learned up to label watermark "
            + labelWatermark;
    Map<String, Double> metrics = new HashMap<>(window.asVersionMetrics());
    metrics.put(MetricNames.ONLINE_LABELS_LEARNED, (double) labelsLearned);
    ModelContent content =
        ModelContent.create(
            clock,
            p.modelName(),
            createdBy,
            ModelKind.ONLINE,
            p.schema(),
            standardisation.means(),
            standardisation.stds(),
            weights,
            p.threshold(),
            TrainingData.online(from, labelWatermark, description, kafkaOffsets, labelWatermark),
            metrics);
    return NewModelVersion.derivedFrom(parent.id(), content);
  }
}
