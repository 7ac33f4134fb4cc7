package io.fraudwatch.models.online;

import io.fraudwatch.models.ModelKind;
import io.fraudwatch.models.ModelVersion;
import io.fraudwatch.models.SlotChange;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Where the online learner starts when the job starts: from the newest online version it stored,
 * unless an operator put a version into a slot after that, in which case from the operator's
 * choice; with neither, from the champion. Never from MLlib's initial weights.
 *
 * <p>It resumes after the largest label watermark of any online version of the model (so no label
 * is learned twice, whatever version it starts from), or after the end of the starting version's
 * training window if that is later (a batch version fitted on the most recent data has seen those
 * labels too).
 */
public record LearnerStart(ModelVersion base, Instant resumeAfter, String why) {

  /**
   * @param versions every version of the model
   * @param trail the model's slot changes, oldest first
   * @param champion the current champion
   * @param learnerActor the actor name under which the learner records its own slot changes
   */
  public static LearnerStart choose(
      List<ModelVersion> versions,
      List<SlotChange> trail,
      ModelVersion champion,
      String learnerActor) {
    Map<Long, ModelVersion> byId =
        versions.stream().collect(Collectors.toMap(ModelVersion::id, Function.identity()));
    Optional<ModelVersion> newestOnline =
        versions.stream()
            .filter(v -> v.kind() == ModelKind.ONLINE)
            .max(
                Comparator.comparing((ModelVersion v) -> v.content().createdAt())
                    .thenComparingLong(ModelVersion::id));
    Optional<SlotChange> lastByOperator =
        trail.stream()
            .filter(c -> !c.actor().equals(learnerActor))
            .reduce((first, second) -> second);

    ModelVersion base;
    String why;
    if (lastByOperator.isPresent()
        && (newestOnline.isEmpty()
            || lastByOperator.get().at().isAfter(newestOnline.get().content().createdAt()))) {
      SlotChange c = lastByOperator.get();
      base = byId.getOrDefault(c.toVersion(), champion);
      why =
          base.label()
              + ", put in the "
              + c.slot().label()
              + " slot by "
              + c.actor()
              + " at "
              + c.at()
              + (newestOnline.isPresent()
                  ? ", after the newest online version " + newestOnline.get().label()
                  : "");
    } else if (newestOnline.isPresent()) {
      base = newestOnline.get();
      why = base.label() + ", the newest online version";
    } else {
      base = champion;
      why = base.label() + ", the champion (no online version yet)";
    }
    Instant resumeAfter = base.content().training().to();
    for (ModelVersion v : versions) {
      Optional<Instant> w = v.content().training().labelWatermark();
      if (v.kind() == ModelKind.ONLINE && w.isPresent() && w.get().isAfter(resumeAfter)) {
        resumeAfter = w.get();
      }
    }
    return new LearnerStart(base, resumeAfter, why);
  }
}
