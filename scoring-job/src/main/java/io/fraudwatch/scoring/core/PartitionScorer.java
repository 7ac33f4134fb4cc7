package io.fraudwatch.scoring.core;

import io.fraudwatch.features.HistoryState;
import io.fraudwatch.features.TransactionInput;
import io.fraudwatch.models.rules.CompiledRules;
import io.fraudwatch.models.rules.RuleDecision;
import io.fraudwatch.models.scoring.LinearScorer;
import io.fraudwatch.scoring.ReasonCode;
import io.fraudwatch.scoring.ScoredTransaction;
import java.util.ArrayList;
import java.util.List;

/**
 * Steps 2 and 3 of the job for one partition, in Kafka order: features from the history (each
 * transaction then joins the history, so the next one of the same customer sees it), the champion's
 * score with reason codes, the challenger's shadow score, and the decision of the champion with the
 * rules in force ({@link RuleDecision}).
 */
public final class PartitionScorer {
  private PartitionScorer() {}

  /**
   * The partition's scored rows, and what scoring them added to the history: when the stores refuse
   * some of them, {@link #takeBack} removes the partition's additions before the rest is scored
   * again.
   */
  public record Scored(List<ScoredTransaction> rows, List<HistoryState.Added> added) {
    public static final Scored NONE = new Scored(List.of(), List.of());
  }

  /**
   * The history's part of a partition's scoring, in Kafka order: each transaction's features, then
   * the transaction joins the history.
   */
  public record Enriched(List<double[]> features, List<HistoryState.Added> added) {}

  /** Both steps: {@link #enrich} then {@link #score(ModelPair, List, Enriched)}. */
  public static Scored score(
      HistoryState history, ModelPair models, List<DecodedTransaction.Valid> transactions) {
    return score(models, transactions, enrich(history, transactions));
  }

  /**
   * Step 2, the only one that reads and changes the history: the caller holds the history's lock
   * for it, and scores afterwards without it, so that another partition's task can use the history
   * meanwhile.
   */
  public static Enriched enrich(HistoryState history, List<DecodedTransaction.Valid> transactions) {
    List<double[]> features = new ArrayList<>(transactions.size());
    List<HistoryState.Added> added = new ArrayList<>(transactions.size());
    for (DecodedTransaction.Valid v : transactions) {
      TransactionInput tx = v.transaction();
      features.add(history.features(tx));
      added.add(history.addTransaction(tx));
    }
    return new Enriched(features, added);
  }

  /** Step 3: the scores, reason codes and decisions of {@code transactions}, enriched in order. */
  public static Scored score(
      ModelPair models, List<DecodedTransaction.Valid> transactions, Enriched enriched) {
    List<ScoredTransaction> out = new ArrayList<>(transactions.size());
    LinearScorer challenger = models.challenger();
    CompiledRules.Evaluator rules = models.rules().evaluator();
    for (int i = 0; i < transactions.size(); i++) {
      DecodedTransaction.Valid v = transactions.get(i);
      TransactionInput tx = v.transaction();
      double[] features = enriched.features().get(i);
      LinearScorer.Result champion = models.champion().score(features);
      List<ReasonCode> reasons =
          champion.reasons().stream()
              .map(r -> new ReasonCode(r.feature(), r.contribution()))
              .toList();
      List<RuleDecision.Hit> hits =
          models.rules().isEmpty()
              ? List.of()
              : rules.hits(
                  new CompiledRules.Scored(
                      tx,
                      features,
                      champion.score(),
                      models.champion().threshold(),
                      champion.alert(),
                      reasons.stream().map(ReasonCode::feature).toList()));
      out.add(
          new ScoredTransaction(
              tx.transactionId(),
              tx.eventTime(),
              tx.customerId(),
              tx.terminalId(),
              tx.amount(),
              features,
              champion.score(),
              models.championVersion(),
              models.champion().threshold(),
              challenger == null ? null : challenger.probability(features),
              challenger == null ? null : challenger.versionId(),
              RuleDecision.alert(champion.alert(), hits),
              reasons,
              v.partition(),
              v.offset(),
              champion.alert(),
              RuleDecision.names(hits),
              models.rules().id()));
    }
    return new Scored(out, enriched.added());
  }

  /** Removes from {@code history} what {@link #score} added for {@code scored}, newest first. */
  public static void takeBack(HistoryState history, Scored scored) {
    for (int i = scored.added().size() - 1; i >= 0; i--) {
      history.takeBack(scored.added().get(i));
    }
  }
}
