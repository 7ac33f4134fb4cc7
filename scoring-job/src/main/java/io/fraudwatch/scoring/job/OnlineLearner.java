package io.fraudwatch.scoring.job;

import io.fraudwatch.features.Standardisation;
import io.fraudwatch.models.ModelJson;
import io.fraudwatch.models.ModelStore;
import io.fraudwatch.models.ModelVersion;
import io.fraudwatch.models.NewModelVersion;
import io.fraudwatch.models.Slot;
import io.fraudwatch.models.metrics.MetricNames;
import io.fraudwatch.models.online.EventTimeSteps;
import io.fraudwatch.models.online.KnownLabel;
import io.fraudwatch.models.online.LabelDelayGate;
import io.fraudwatch.models.online.LabelJoin;
import io.fraudwatch.models.online.LabelledExample;
import io.fraudwatch.models.online.LearnerStart;
import io.fraudwatch.models.online.LoggedScore;
import io.fraudwatch.models.online.OnlineVersion;
import io.fraudwatch.models.online.OnlineVersionSchedule;
import io.fraudwatch.models.online.PrequentialWindow;
import io.fraudwatch.models.online.PromotionPolicy;
import io.fraudwatch.models.online.RefitSchedule;
import io.fraudwatch.models.online.TrainingSet;
import io.fraudwatch.models.online.WeightsGuard;
import io.fraudwatch.models.training.NewtonLogisticRegression;
import io.fraudwatch.scoring.outage.Retry;
import io.fraudwatch.scoring.outage.Service;
import io.fraudwatch.scoring.sink.LabelRecord;
import io.fraudwatch.scoring.sink.LoggedScoreReader;
import io.fraudwatch.scoring.sink.StoredLabel;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.mllib.classification.StreamingLogisticRegressionWithSGD;
import org.apache.spark.mllib.linalg.Vectors;
import org.apache.spark.mllib.regression.LabeledPoint;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.streaming.Time;
import org.apache.spark.streaming.kafka010.OffsetRange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Driver side of online learning. Each batch, the labels step hands over the labels it stored; they
 * are joined with the rows logged when their transactions were scored, held back by the {@link
 * LabelDelayGate} until the transactions stream has passed their label delay (one read after that
 * is learned at once: {@link #labelsStored}), and queued as a release. The training DStream turns
 * the queued releases into a cached RDD of points that MLlib's {@link
 * StreamingLogisticRegressionWithSGD#trainOn} learns from; around it, the examples are first scored
 * with the weights before training (prequential window) and afterwards the schedule may cut a
 * version.
 *
 * <p>Threads: releases are queued by the batch steps and taken when Spark generates a batch's RDDs
 * (on its job generator thread); everything else runs in the batch steps, one batch at a time, and
 * in the store at a stop, which may come while a batch the stop did not wait for still runs: the
 * steps and the store hold the learner's lock, and after the store the steps do nothing.
 *
 * <p>Its reads and writes of the store ride out a PostgreSQL outage like the rest of the driver's
 * work ({@link Retry}); storing a version and moving a slot are repeated only when they did not
 * happen, so a retry after a commit whose answer was lost stores nothing twice.
 *
 * <p>The learner keeps the standardisation of the version it started from for its lifetime; a
 * version it takes over later (an operator's choice) is re-expressed on it exactly ({@link
 * Standardisation#reexpress}).
 */
final class OnlineLearner {
  static final String ACTOR = "online-learner";
  private static final Logger LOG = LoggerFactory.getLogger(OnlineLearner.class);

  /**
   * Points a training partition holds at least: fewer make the per-task cost of SGD's jobs
   * dominate.
   */
  private static final int POINTS_PER_PARTITION = 50_000;

  /**
   * Examples released together, with the label watermark and stream position they bring the learner
   * to.
   */
  private record Release(
      List<LabelledExample> examples,
      Instant learnedWatermark,
      Map<String, Long> offsets,
      Instant through) {}

  /** A release and its points, learned by one SGD run. */
  private record Step(Release release, JavaRDD<LabeledPoint> points) {}

  /**
   * A batch's steps: one (every release merged) without {@code learning.event-time-step}; else one
   * per step of event time, the earlier ones learned before MLlib's trainOn learns the last.
   */
  private record InTraining(List<Step> steps, Instant through) {
    Step last() {
      return steps.get(steps.size() - 1);
    }
  }

  private final ModelStore store;
  private final String modelName;
  private final LearningConfig config;
  private final JobSettings settings;
  private final Clock clock;
  private final StreamingLogisticRegressionWithSGD algorithm;
  private final Standardisation scale;
  private final TrainingSet trainingSet;
  private final WeightsGuard guard;
  private final LabelDelayGate gate;
  private final LabelJoin join;
  private final PrequentialWindow window;
  private final PromotionPolicy promotion;
  private final OnlineVersionSchedule schedule;
  private final EventTimeSteps steps;
  private final RefitSchedule refits;
  private final Retry retry;
  private final Retry.Stats retries;

  /** True while the job stops at once: a PostgreSQL outage is not waited for. */
  private final BooleanSupplier stopping;

  private final Consumer<PrequentialWindow.Metrics> prequential;
  private final Queue<Release> releases = new ConcurrentLinkedQueue<>();
  private final Map<Time, InTraining> inTraining = new ConcurrentHashMap<>();
  private final Map<String, Long> streamPosition = new ConcurrentHashMap<>();

  /**
   * Transactions whose label the learner cannot have learned and has not offered to the gate yet
   * (it waits for its transaction to be scored): the labels stored first in this run, and those
   * read back at the start. Bounded like the join's waiting labels.
   */
  private final Set<String> neverOffered = new HashSet<>();

  private volatile Instant streamWatermark;
  private Instant releasedThrough;
  private volatile Instant learnedThrough;
  private ModelVersion base;
  private Map<Slot, Long> expectedSlots;
  private Instant trainedWatermark;
  private Map<String, Long> trainedPosition = Map.of();
  private long labelsSinceCut;
  private boolean betweenBatches = true;

  /** Set by the store at a stop; the steps of a batch still running after it do nothing. */
  private volatile boolean closed;

  private OnlineLearner(
      ModelStore store,
      String modelName,
      LearningConfig config,
      JobSettings settings,
      Clock clock,
      ModelVersion base,
      Instant resumeAfter,
      Consumer<PrequentialWindow.Metrics> prequential,
      Retry.Stats retries,
      BooleanSupplier stopping) {
    this.store = store;
    this.prequential = prequential;
    this.retry = settings.retry();
    this.retries = retries;
    this.stopping = stopping;
    this.modelName = modelName;
    this.config = config;
    this.settings = settings;
    this.clock = clock;
    this.base = base;
    this.scale = new Standardisation(base.content().meanArray(), base.content().stdArray());
    Optional<Map<String, Double>> trained = batchTrainingMetrics(base);
    int oversampling =
        config.fraudOversampling() > 0 ? config.fraudOversampling() : autoOversampling(trained);
    this.trainingSet = new TrainingSet(scale, oversampling);
    this.promotion =
        config.promotion().relativeTo(trainingFraudRate(trained), config.maxFraudRateRatio());
    this.guard = new WeightsGuard(scale.size() + 1, config.maxAbsWeight(), config.maxWeightNorm());
    this.gate =
        LabelDelayGate.resumingAfter(settings.labelDelay(), config.maxHeldLabels(), resumeAfter);
    this.join = new LabelJoin(config.maxWaitingLabels());
    this.window = new PrequentialWindow(config.windowLabels());
    this.schedule =
        new OnlineVersionSchedule(config.versionEveryBatches(), config.versionEvery(), clock);
    this.steps =
        config.eventTimeStep().isZero()
            ? null
            : new EventTimeSteps(config.eventTimeStep(), settings.labelDelay());
    this.refits =
        new RefitSchedule(
            config.refitEvery(),
            config.refitWindow(),
            config.refitMaxLabels(),
            config.promotion().minLabels(),
            config.promotion().minFrauds());
    this.trainedWatermark = resumeAfter;
    this.algorithm =
        new StreamingLogisticRegressionWithSGD()
            .setStepSize(config.stepSize())
            .setNumIterations(config.iterations())
            .setRegParam(config.regParam())
            .setMiniBatchFraction(1.0)
            .setInitialWeights(Vectors.dense(base.content().weightArray()));
    // MLlib stops a batch's SGD once a step moves the weights by less than this fraction of their
    // norm; started
    // at a batch fit's optimum, its default (0.001) stops after the first steps and the learner
    // hardly moves
    algorithm.algorithm().optimizer().setConvergenceTol(config.convergenceTol());
  }

  /**
   * A learner resumed from the store (see {@link LearnerStart}), with the stored labels it has not
   * learned yet queued again: what it held when the job stopped is not lost.
   *
   * @param prequential told the window's metrics whenever the window changes (the job's Prometheus
   *     gauges)
   * @param retries where the retries of its store calls during a PostgreSQL outage are counted
   */
  static OnlineLearner start(
      ModelStore store,
      String modelName,
      LearningConfig config,
      JobSettings settings,
      Clock clock,
      Consumer<PrequentialWindow.Metrics> prequential,
      Retry.Stats retries,
      BooleanSupplier stopping)
      throws SQLException {
    ModelVersion champion =
        store.champion(modelName).orElseThrow(() -> ModelTracker.noChampion(modelName));
    LearnerStart start =
        LearnerStart.choose(store.list(modelName), store.history(modelName), champion, ACTOR);
    OnlineLearner learner =
        new OnlineLearner(
            store,
            modelName,
            config,
            settings,
            clock,
            start.base(),
            start.resumeAfter(),
            prequential,
            retries,
            stopping);
    learner.expectedSlots = store.slots(modelName);
    LoggedScoreReader.Unlearned unlearned;
    List<LabelledExample> learned = List.of();
    try (Connection c = ExecutorResources.postgres(settings).getConnection()) {
      unlearned = LoggedScoreReader.unlearned(c, start.resumeAfter(), settings.labelDelay());
      if (learner.refits.enabled()) {
        learned =
            LoggedScoreReader.learnedWithin(
                c,
                start.resumeAfter(),
                settings.labelDelay(),
                config.refitWindow(),
                config.refitMaxLabels());
      }
      c.rollback();
    }
    learner.refits.resume(learned, start.resumeAfter());
    long held =
        unlearned.examples().stream()
            .filter(e -> learner.gate.offer(e) != LabelDelayGate.Offer.LATE)
            .count();
    unlearned.unscored().forEach(l -> learner.neverOffered.add(l.transactionId()));
    learner.join.join(unlearned.unscored(), List.of());
    LOG.info(
        "online learner of {} starts from {}, after label watermark {}; {} stored labels wait for the label delay,"
            + " {} for their transaction to be scored; fraud oversampling x{}; {}",
        modelName,
        start.why(),
        start.resumeAfter(),
        held,
        learner.join.waitingCount(),
        learner.trainingSet.fraudOversampling(),
        learner.refits.enabled()
            ? String.format(
                Locale.ROOT,
                "refit window rebuilt from %d stored labels learned before",
                learner.refits.kept())
            : "no refits");
    return learner;
  }

  StreamingLogisticRegressionWithSGD algorithm() {
    return algorithm;
  }

  /**
   * Labels step: the labels just stored, joined and gated; releases what the stream's progress
   * allows.
   *
   * <p>A label whose available-at the learner has already passed (labels read behind the
   * transactions, or delivered after an outage) is learned at once, out of event-time order, when
   * the learner cannot have learned it: its transaction had no label stored before, or it was read
   * back from the store at the start. Repeats and corrections of labels it may have learned are not
   * learned again; nor, with {@code learning.event-time-step}, are late labels, whose steps must
   * follow event time for repeatable runs. Either way the version's label watermark keeps its
   * meaning for a restart: a late label learned is at or before it, so a restart from that version
   * does not learn it again.
   */
  synchronized void labelsStored(List<StoredLabel> labels, OffsetRange[] ranges) throws Exception {
    if (closed) {
      return;
    }
    recordPosition(ranges);
    List<KnownLabel> known = new ArrayList<>(labels.size());
    for (StoredLabel stored : labels) {
      LabelRecord l = stored.label();
      known.add(new KnownLabel(l.transactionId(), l.fraud(), l.knownAt()));
      if (stored.firstStored()) {
        neverOffered.add(l.transactionId());
      }
    }
    Set<String> ids = join.idsToLookUp(known);
    List<LoggedScore> rows = List.of();
    if (!ids.isEmpty()) {
      rows =
          withPostgres(
              () -> {
                try (Connection c = ExecutorResources.postgres(settings).getConnection()) {
                  List<LoggedScore> found = LoggedScoreReader.find(c, ids);
                  c.rollback();
                  return found;
                }
              });
    }
    LabelJoin.Result joined = join.join(known, rows);
    if (!joined.givenUp().isEmpty()) {
      joined.givenUp().forEach(l -> neverOffered.remove(l.transactionId()));
      LOG.warn(
          "{} labels given up: their transactions were not scored while {} newer labels waited (first: {})",
          joined.givenUp().size(),
          config.maxWaitingLabels(),
          joined.givenUp().get(0).transactionId());
    }
    List<LabelledExample> lateNew = new ArrayList<>();
    long lateRepeated = 0;
    for (LabelledExample e : joined.joined()) {
      boolean firstOffer = neverOffered.remove(e.transactionId());
      if (gate.offer(e) != LabelDelayGate.Offer.LATE) {
        continue;
      }
      if (firstOffer) {
        lateNew.add(e);
      } else {
        lateRepeated++;
      }
    }
    if (!lateNew.isEmpty() && steps == null) {
      releases.add(
          new Release(
              lateNew, gate.learnedWatermark().orElseThrow(), Map.copyOf(streamPosition), null));
      LOG.info(
          "{} labels arrived after the learner had passed their label delay; they are learned now",
          lateNew.size());
    } else if (!lateNew.isEmpty()) {
      LOG.warn(
          "{} labels arrived after the learner had passed their label delay; with"
              + " learning.event-time-step they are stored but not learned",
          lateNew.size());
    }
    if (lateRepeated > 0) {
      LOG.info(
          "{} labels repeat or correct labels the learner may have learned; they are stored, not"
              + " learned again",
          lateRepeated);
    }
    release();
  }

  /** Transactions step: how far the stream has come in event time. */
  synchronized void transactionsScored(Instant latestEventTime, OffsetRange[] ranges) {
    if (closed) {
      return;
    }
    recordPosition(ranges);
    if (latestEventTime != null
        && (streamWatermark == null || latestEventTime.isAfter(streamWatermark))) {
      streamWatermark = latestEventTime;
    }
    release();
  }

  private void recordPosition(OffsetRange[] ranges) {
    for (OffsetRange r : ranges) {
      streamPosition.put(r.topic() + "-" + r.partition(), r.untilOffset());
    }
  }

  private void release() {
    Instant watermark = streamWatermark;
    if (watermark == null) {
      return;
    }
    if (steps == null) {
      List<LabelledExample> examples = gate.release(watermark);
      if (!examples.isEmpty()) {
        releases.add(
            new Release(
                examples, gate.learnedWatermark().orElseThrow(), Map.copyOf(streamPosition), null));
      }
      return;
    }
    Instant upTo = steps.releasableUpTo(watermark);
    if (releasedThrough != null && !upTo.isAfter(releasedThrough)) {
      return;
    }
    releasedThrough = upTo;
    Map<String, Long> offsets = Map.copyOf(streamPosition);
    List<List<LabelledExample>> released = steps.split(gate.release(upTo));
    for (int i = 0; i < released.size(); i++) {
      List<LabelledExample> step = released.get(i);
      Instant available = step.get(step.size() - 1).availableAt(settings.labelDelay());
      Instant through = i == released.size() - 1 ? upTo : steps.endOf(available);
      releases.add(new Release(step, available, offsets, through));
    }
    if (released.isEmpty()) {
      // no labels up to there: nothing to learn, but it tells how far the learner has come
      releases.add(new Release(List.of(), null, offsets, upTo));
    }
  }

  /**
   * With {@code learning.event-time-step}: the event time up to which every label has been learned
   * and every version due has been cut; empty before the first step and without steps.
   */
  Optional<Instant> learnedThrough() {
    return Optional.ofNullable(learnedThrough);
  }

  /**
   * The training DStream's RDD for a batch: every release queued so far, as points; empty when
   * none.
   */
  JavaRDD<LabeledPoint> trainingRdd(JavaSparkContext jsc, Time time) {
    if (closed) {
      return jsc.emptyRDD();
    }
    Optional<InTraining> batch = takeQueued(jsc);
    if (batch.isEmpty()) {
      return jsc.emptyRDD();
    }
    inTraining.put(time, batch.get());
    return batch.get().steps().isEmpty() ? jsc.emptyRDD() : batch.get().last().points();
  }

  /** Every release queued so far, as steps of points; empty when none. */
  private Optional<InTraining> takeQueued(JavaSparkContext jsc) {
    List<Release> queued = new ArrayList<>();
    for (Release r = releases.poll(); r != null; r = releases.poll()) {
      queued.add(r);
    }
    if (queued.isEmpty()) {
      return Optional.empty();
    }
    Release last = queued.get(queued.size() - 1);
    if (steps == null) {
      List<LabelledExample> examples = new ArrayList<>();
      queued.forEach(r -> examples.addAll(r.examples()));
      queued = List.of(new Release(examples, last.learnedWatermark(), last.offsets(), null));
    }
    List<Step> learned = new ArrayList<>();
    for (Release r : queued) {
      if (!r.examples().isEmpty()) {
        learned.add(new Step(r, points(jsc, r.examples())));
      }
    }
    return Optional.of(new InTraining(learned, last.through()));
  }

  private JavaRDD<LabeledPoint> points(JavaSparkContext jsc, List<LabelledExample> examples) {
    List<LabeledPoint> points =
        trainingSet.points(examples).stream()
            .map(p -> new LabeledPoint(p.label(), Vectors.dense(p.input())))
            .toList();
    // each SGD iteration is a job over these partitions: on a cluster, a task each costs more than
    // a batch's points
    int slices =
        (int) Math.max(1, Math.min(jsc.defaultParallelism(), points.size() / POINTS_PER_PARTITION));
    JavaRDD<LabeledPoint> rdd = jsc.parallelize(points, slices);
    // persisted, and once materialised its tasks no longer carry the points: SGD runs a job per
    // iteration. Its
    // blocks live only on executors, so on a cluster a second copy lets the training survive one
    // executor's loss.
    rdd.persist(jsc.isLocal() ? StorageLevel.MEMORY_AND_DISK() : StorageLevel.MEMORY_AND_DISK_2());
    rdd.rdd().localCheckpoint();
    return rdd;
  }

  /**
   * Before MLlib trains on the batch: its points are materialised, and its examples enter the
   * window with the learner's current scores.
   */
  synchronized void beforeTraining(Time time) throws Exception {
    if (closed) {
      return;
    }
    InTraining batch = inTraining.get(time);
    if (batch == null) {
      return;
    }
    betweenBatches = false;
    for (Step step : batch.steps()) {
      enterWindow(step);
      if (step != batch.last()) {
        // what trainOn does with the batch's RDD, for each earlier step
        learn(step);
      }
    }
  }

  /** Materialises the step's points and scores its examples with the current weights. */
  private void enterWindow(Step step) {
    step.points().count();
    window.recordBeforeTraining(step.release().examples(), weights(), scale);
    prequential.accept(window.metrics());
  }

  /** One SGD run on the step's points, as trainOn runs it; then the step counts as learned. */
  private void learn(Step step) throws Exception {
    algorithm.setInitialWeights(
        algorithm.algorithm().run(step.points().rdd(), Vectors.dense(weights())).weights());
    stepLearned(step);
  }

  /**
   * After MLlib trained on the batch: follows an operator's slot change, and cuts a version when
   * due.
   */
  synchronized void afterTraining(Time time) throws Exception {
    if (closed) {
      return;
    }
    followOperator();
    InTraining batch = inTraining.remove(time);
    if (batch == null) {
      return;
    }
    if (!batch.steps().isEmpty()) {
      stepLearned(batch.last());
    }
    if (batch.through() != null) {
      learnedThrough = batch.through();
    }
    betweenBatches = true;
  }

  private void stepLearned(Step step) throws Exception {
    step.points().unpersist(false);
    trainedWatermark = step.release().learnedWatermark();
    trainedPosition = step.release().offsets();
    labelsSinceCut += step.release().examples().size();
    schedule.batchLearned();
    if (schedule.due()) {
      cutVersion();
    }
    refits.learned(step.release().examples(), trainedWatermark).ifPresent(this::refit);
  }

  /**
   * Restarts the learner from a batch fit on its recent labels (after the version of the weights
   * that learned them was cut). The window is emptied: the fit has seen its labels, so only the
   * labels learned from now on judge the versions that follow.
   */
  private void refit(List<LabelledExample> recent) {
    double[][] features = new double[recent.size()][];
    boolean[] fraud = new boolean[recent.size()];
    int frauds = 0;
    for (int i = 0; i < recent.size(); i++) {
      features[i] = scale.apply(recent.get(i).rawFeatures());
      fraud[i] = recent.get(i).fraud();
      frauds += fraud[i] ? 1 : 0;
    }
    double[] fitted =
        new NewtonLogisticRegression(config.regParam())
            .fit(features, fraud, trainingSet.fraudOversampling());
    if (!allFinite(fitted)) {
      LOG.warn("refit on {} recent labels diverged; the learner keeps its weights", recent.size());
      return;
    }
    algorithm.setInitialWeights(Vectors.dense(fitted));
    window.clear();
    prequential.accept(window.metrics());
    LOG.info(
        "online learner restarted from a batch fit on its {} labels ({} frauds) of the last {} of"
            + " event time, at label watermark {}",
        recent.size(),
        frauds,
        config.refitWindow(),
        trainedWatermark);
  }

  /**
   * After the streaming context stopped (the Spark context still running): learns the releases of
   * batches cut short before their training began and those queued since the last batch's training
   * RDD was made (late labels among them, which a restart would not read again), and stores what
   * was learned since the last version, so that a restart does not learn it again. Skipped when the
   * stop or a failure came inside a learning step.
   */
  synchronized void storeOnStop(JavaSparkContext jsc) throws Exception {
    // a batch the stop did not wait for may still call in: from here on it changes nothing
    closed = true;
    if (!betweenBatches) {
      LOG.warn(
          "the job stopped inside a learning step; the labels learned since {} are learned again at the next start",
          base.label());
      return;
    }
    Map<Time, InTraining> cutShort = new TreeMap<>(Comparator.comparingLong(Time::milliseconds));
    cutShort.putAll(inTraining);
    inTraining.clear();
    List<InTraining> pending = new ArrayList<>(cutShort.values());
    takeQueued(jsc).ifPresent(pending::add);
    int queued =
        pending.stream()
            .flatMap(b -> b.steps().stream())
            .mapToInt(step -> step.release().examples().size())
            .sum();
    if (queued > 0) {
      LOG.info("the job stopped with {} labels queued: the online learner learns them now", queued);
    }
    for (InTraining batch : pending) {
      for (Step step : batch.steps()) {
        enterWindow(step);
        learn(step);
      }
      if (batch.through() != null) {
        learnedThrough = batch.through();
      }
    }
    if (labelsSinceCut > 0) {
      cutVersion();
    }
  }

  private void cutVersion() throws Exception {
    double[] weights = weights();
    List<String> problems = guard.problems(weights);
    if (!allFinite(weights)) {
      LOG.error(
          "online learner diverged ({}); it goes back to {}; the {} labels learned since are lost to it",
          String.join("; ", problems),
          base.label(),
          labelsSinceCut);
      takeOver(base);
      versionDone();
      return;
    }
    PrequentialWindow.Metrics metrics = window.metrics();
    NewModelVersion next =
        OnlineVersion.childOf(
            base,
            scale,
            weights,
            trainedPosition,
            trainedWatermark,
            labelsSinceCut,
            metrics,
            clock,
            ACTOR);
    String checksum = ModelJson.checksum(next.content());
    ModelVersion stored =
        withPostgres(
            () -> store.require(store.findByChecksum(checksum).orElseGet(() -> store.save(next))));
    PromotionPolicy.Decision decision = promotion.decide(metrics, problems);
    String learned =
        String.format(
            Locale.ROOT,
            "online version learned from %d labels up to label watermark %s",
            labelsSinceCut,
            trainedWatermark);
    promote(
        stored,
        Slot.CHALLENGER,
        decision.promotes() ? learned : learned + "; " + decision.reason());
    if (decision.promotes()) {
      promote(stored, Slot.CHAMPION, decision.reason());
    }
    LOG.info("stored {} ({}): {}", stored.label(), learned, decision.reason());
    base = stored;
    expectedSlots = withPostgres(() -> store.slots(modelName));
    versionDone();
  }

  private void versionDone() {
    labelsSinceCut = 0;
    schedule.versionStored();
  }

  /**
   * Puts {@code version} in {@code slot} unless it is there already (a retry after a lost answer).
   */
  private void promote(ModelVersion version, Slot slot, String reason) throws Exception {
    withPostgres(
        () -> {
          if (!Objects.equals(store.slots(modelName).get(slot), version.id())) {
            store.promote(version.id(), slot, ACTOR, reason);
          }
          return null;
        });
  }

  private <T> T withPostgres(Retry.Work<T> work) throws Exception {
    return retry.call(
        EnumSet.of(Service.POSTGRESQL),
        retries,
        () -> Thread.currentThread().isInterrupted() || stopping.getAsBoolean(),
        work);
  }

  /**
   * When someone else moved a slot, the learner continues from the version put there (the champion
   * first).
   */
  private void followOperator() throws Exception {
    Map<Slot, Long> slots = withPostgres(() -> store.slots(modelName));
    if (slots.equals(expectedSlots)) {
      return;
    }
    Long champion = slots.get(Slot.CHAMPION);
    Long chosen =
        Objects.equals(champion, expectedSlots.get(Slot.CHAMPION))
            ? slots.get(Slot.CHALLENGER)
            : champion;
    expectedSlots = slots;
    if (chosen != null && chosen != base.id()) {
      takeOver(withPostgres(() -> store.require(chosen)));
      LOG.info(
          "{} was put in a slot of {} by an operator; the online learner continues from it",
          base.label(),
          modelName);
    }
  }

  private void takeOver(ModelVersion v) {
    Standardisation its = new Standardisation(v.content().meanArray(), v.content().stdArray());
    algorithm.setInitialWeights(Vectors.dense(its.reexpress(v.content().weightArray(), scale)));
    window.clear();
    prequential.accept(window.metrics());
    base = v;
  }

  private double[] weights() {
    return algorithm.latestModel().weights().toArray();
  }

  private static boolean allFinite(double[] weights) {
    for (double w : weights) {
      if (!Double.isFinite(w)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The training metrics of the nearest ancestor (or the version itself) that recorded its training
   * data; empty when none did.
   */
  private Optional<Map<String, Double>> batchTrainingMetrics(ModelVersion from) {
    Optional<ModelVersion> v = Optional.of(from);
    while (v.isPresent()) {
      Map<String, Double> m = v.get().content().metrics();
      if (m.containsKey(MetricNames.TRAINING_FRAUD_WEIGHT)
          || (m.containsKey(MetricNames.TRAINING_ROWS)
              && m.containsKey(MetricNames.TRAINING_FRAUDS))) {
        return Optional.of(m);
      }
      v =
          v.get().parentId().isPresent()
              ? store.get(v.get().parentId().getAsLong())
              : Optional.empty();
    }
    LOG.warn(
        "no training class balance found for {} or its ancestors; frauds are not oversampled and"
            + " the promotion's fraud-rate ceiling stays absolute",
        from.label());
    return Optional.empty();
  }

  /**
   * The class balance the batch-trained ancestor was fitted with: its fraud weight, or for versions
   * that did not record it the genuine-to-fraud ratio of its training data (balanced); 1 when
   * unknown.
   */
  private static int autoOversampling(Optional<Map<String, Double>> trained) {
    if (trained.isEmpty()) {
      return 1;
    }
    Map<String, Double> m = trained.get();
    Double weight = m.get(MetricNames.TRAINING_FRAUD_WEIGHT);
    if (weight != null) {
      return (int) Math.max(1, Math.round(weight));
    }
    Double rows = m.get(MetricNames.TRAINING_ROWS);
    Double frauds = m.get(MetricNames.TRAINING_FRAUDS);
    return frauds != null && rows != null && frauds > 0
        ? (int) Math.max(1, Math.round((rows - frauds) / frauds))
        : 1;
  }

  /** The fraud rate of the batch-trained ancestor's training data, when it recorded it. */
  private static OptionalDouble trainingFraudRate(Optional<Map<String, Double>> trained) {
    Double rows = trained.map(m -> m.get(MetricNames.TRAINING_ROWS)).orElse(null);
    Double frauds = trained.map(m -> m.get(MetricNames.TRAINING_FRAUDS)).orElse(null);
    return rows != null && frauds != null && rows > 0
        ? OptionalDouble.of(frauds / rows)
        : OptionalDouble.empty();
  }
}
