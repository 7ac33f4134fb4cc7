package io.fraudwatch.app.pipeline;

import io.fraudwatch.models.ModelStore;
import io.fraudwatch.models.ModelVersion;
import io.fraudwatch.models.Slot;
import io.fraudwatch.models.metrics.MetricNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One stored version as a run's summary shows it: id, kind (batch/online), the slot it holds
 * ("champion", "challenger" or "") and its recorded metrics (validation metrics of a batch fit,
 * prequential ones of an online version).
 */
public record ModelVersionLine(long id, String kind, String slot, Map<String, Double> metrics) {
  public ModelVersionLine {
    metrics = Map.copyOf(metrics);
  }

  /** The model's versions, oldest first. */
  public static List<ModelVersionLine> of(ModelStore store, String modelName) {
    Map<Slot, Long> slots = store.slots(modelName);
    List<ModelVersionLine> lines = new ArrayList<>();
    for (ModelVersion v : store.list(modelName)) {
      String slot =
          Long.valueOf(v.id()).equals(slots.get(Slot.CHAMPION))
              ? Slot.CHAMPION.label()
              : Long.valueOf(v.id()).equals(slots.get(Slot.CHALLENGER))
                  ? Slot.CHALLENGER.label()
                  : "";
      lines.add(new ModelVersionLine(v.id(), v.kind().label(), slot, v.content().metrics()));
    }
    return lines;
  }

  /** What the version's metrics say, in a line. */
  public String describe() {
    StringBuilder d = new StringBuilder("v" + id + " " + kind + (slot.isEmpty() ? "" : " " + slot));
    Double validationAuc = metrics.get(MetricNames.VALIDATION_AUC_ROC);
    if (validationAuc != null) {
      d.append(String.format(Locale.ROOT, ": validation AUC %.3f", validationAuc));
      Double ap = metrics.get(MetricNames.VALIDATION_AVERAGE_PRECISION);
      if (ap != null) {
        d.append(String.format(Locale.ROOT, ", AP %.3f", ap));
      }
    }
    Double labels = metrics.get(MetricNames.ONLINE_LABELS_LEARNED);
    if (labels != null) {
      d.append(String.format(Locale.ROOT, ": learned %,.0f labels", labels));
      Double auc = metrics.get(MetricNames.PREQUENTIAL_AUC_ROC);
      Double ap = metrics.get(MetricNames.PREQUENTIAL_AVERAGE_PRECISION);
      Double window = metrics.get(MetricNames.PREQUENTIAL_LABELS);
      if (auc != null && ap != null && window != null) {
        d.append(
            String.format(
                Locale.ROOT,
                "; prequential AUC %.3f, AP %.3f on the last %,.0f labels",
                auc,
                ap,
                window));
        Double championAuc = metrics.get(MetricNames.PREQUENTIAL_CHAMPION_AUC_ROC);
        Double championAp = metrics.get(MetricNames.PREQUENTIAL_CHAMPION_AVERAGE_PRECISION);
        if (championAuc != null && championAp != null) {
          d.append(
              String.format(
                  Locale.ROOT, " (champion on them: AUC %.3f, AP %.3f)", championAuc, championAp));
        }
      }
    }
    return d.toString();
  }
}
