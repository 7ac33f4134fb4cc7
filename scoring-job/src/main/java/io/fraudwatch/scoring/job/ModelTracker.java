package io.fraudwatch.scoring.job;

import io.fraudwatch.config.Cli;
import io.fraudwatch.config.CommandFailure;
import io.fraudwatch.models.ModelStore;
import io.fraudwatch.models.Slot;
import io.fraudwatch.models.rules.CompiledRules;
import io.fraudwatch.models.rules.RuleCompiler;
import io.fraudwatch.models.rules.RuleStore;
import io.fraudwatch.scoring.core.ModelPair;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Driver side: which model versions and rules score the next batch. Once per batch it reads the
 * slots and the rule set id (two cheap queries); only when they changed does it load the versions
 * or the active rules (compiled here, with the driver's Spark SQL), broadcast a new {@link
 * ModelPair} and unpersist the previous broadcast (batches run one at a time, so no batch still
 * uses it). Rules enabled or disabled take effect from the next batch, as a new champion does.
 */
final class ModelTracker {
  private static final Logger LOG = LoggerFactory.getLogger(ModelTracker.class);

  private final ModelStore store;
  private final RuleStore rules;
  private final String modelName;
  private Map<Slot, Long> currentSlots;
  private Broadcast<ModelPair> current;

  ModelTracker(ModelStore store, String modelName) {
    this.store = store;
    this.rules = new RuleStore(store.dataSource());
    this.modelName = modelName;
  }

  /** The broadcast for the batch about to run; fails when the model has no champion. */
  Broadcast<ModelPair> forBatch(JavaSparkContext sc) {
    Map<Slot, Long> slots = store.slots(modelName);
    long ruleSet = rules.ruleSetId();
    if (current != null && slots.equals(currentSlots) && ruleSet == current.value().rules().id()) {
      return current;
    }
    ModelPair models =
        current != null && slots.equals(currentSlots)
            ? current.value()
            : load(store, modelName, slots);
    CompiledRules compiled =
        current != null && ruleSet == current.value().rules().id()
            ? current.value().rules()
            : compileActive(sc);
    ModelPair pair = new ModelPair(models.champion(), models.challenger(), compiled);
    Broadcast<ModelPair> next = sc.broadcast(pair);
    if (current != null) {
      LOG.info(
          "model {} changes from {} to {} at the next batch",
          modelName,
          current.value().versions(),
          pair.versions());
      current.unpersist(false);
    } else {
      LOG.info("model {} scores with {}", modelName, pair.versions());
    }
    current = next;
    currentSlots = slots;
    return next;
  }

  /** The active rules, compiled with the driver's Spark SQL session. */
  private CompiledRules compileActive(JavaSparkContext sc) {
    RuleStore.ActiveRules active = rules.active();
    if (active.id() == 0) {
      return CompiledRules.NONE;
    }
    SparkSession spark = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
    return new RuleCompiler(spark, store.currentSchema()).compile(active.id(), active.rules());
  }

  /** The versions in {@code slots}; fails when the model has no champion. */
  static ModelPair load(ModelStore store, String modelName, Map<Slot, Long> slots) {
    Long championId = slots.get(Slot.CHAMPION);
    if (championId == null) {
      throw noChampion(modelName);
    }
    Long challengerId = slots.get(Slot.CHALLENGER);
    return new ModelPair(
        store.require(championId).scorer(),
        challengerId == null ? null : store.require(challengerId).scorer());
  }

  /** What the job says when the model it should score with has no champion yet. */
  static CommandFailure noChampion(String modelName) {
    return new CommandFailure(
        Cli.NOT_FOUND,
        "model "
            + modelName
            + " has no champion: train one with"
            + " 'bin/fraudwatch models train' and promote it with 'bin/fraudwatch models promote'");
  }
}
