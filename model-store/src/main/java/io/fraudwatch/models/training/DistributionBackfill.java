package io.fraudwatch.models.training;

import io.fraudwatch.features.HandbookFeatures;
import io.fraudwatch.features.OfflineFeatures;
import io.fraudwatch.features.OfflineFeatures.FeatureRow;
import io.fraudwatch.features.handbook.HandbookRow;
import io.fraudwatch.models.ModelStore;
import io.fraudwatch.models.ModelVersion;
import io.fraudwatch.models.drift.TrainingDistribution;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The training distribution of a version stored without one (before distributions were kept, or
 * imported): for a version with a parent, the parent's (itself computed when missing) rescored with
 * the version's weights; otherwise the features of its training window recomputed from the feature
 * history (customer and terminal history rows, with the labels known now, as {@link
 * OfflineFeatures} computes them for a batch fit), or, when the history of the window is gone, the
 * raw feature vectors logged in the scored transactions of the window. The result is stored with
 * the version.
 *
 * <p>Cost: the history of the window and the longest feature window before it is read into memory
 * and its features computed, as {@code models train --from-database} does; this runs once per
 * version.
 */
public final class DistributionBackfill {
  private final DataSource db;
  private final ModelStore store;
  private final HandbookFeatures.Config features;

  public DistributionBackfill(DataSource db, ModelStore store, Duration labelDelay) {
    this.db = db;
    this.store = store;
    this.features = new HandbookFeatures.Config(labelDelay);
  }

  /**
   * The version's stored distribution, computed and stored first when missing; empty when no data
   * is left.
   */
  public Optional<TrainingDistribution> distribution(ModelVersion v) throws SQLException {
    Optional<TrainingDistribution> stored = store.distribution(v.id());
    if (stored.isPresent()) {
      return stored;
    }
    Optional<TrainingDistribution> computed;
    if (v.parentId().isPresent()) {
      Optional<TrainingDistribution> parent = distribution(store.require(v.parentId().getAsLong()));
      computed =
          parent.map(
              p ->
                  p.forScorer(
                      v.scorer(),
                      "derived from "
                          + ModelVersion.label(v.parentId().getAsLong())
                          + " (computed later): its feature bins, the score of this version's weights on its sample"));
    } else {
      computed = fromHistory(v).or(() -> fromScoredLog(v));
    }
    return computed.map(d -> store.saveDistribution(v.id(), d));
  }

  private Optional<TrainingDistribution> fromHistory(ModelVersion v) {
    if (!v.schema().equals(HandbookFeatures.SCHEMA)) {
      return Optional
          .empty(); // the history gives today's features, not the ones this version was trained on
    }
    Instant from = v.content().training().from();
    Instant to = v.content().training().to();
    Duration lookback =
        features.terminalHorizon().compareTo(HandbookFeatures.CUSTOMER_HORIZON) > 0
            ? features.terminalHorizon()
            : HandbookFeatures.CUSTOMER_HORIZON;
    List<HandbookRow> rows = new ArrayList<>();
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT h.event_time, h.customer_id, h.terminal_id, h.amount::float8,"
                    + " coalesce(CASE WHEN l.transaction_id IS NULL THEN h.fraud ELSE l.fraud END, false)"
                    + " FROM fraudwatch.transaction_history h"
                    + " LEFT JOIN fraudwatch.labels l ON l.transaction_id = h.transaction_id"
                    + " WHERE h.event_time >= ? AND h.event_time <= ? ORDER BY h.event_time, h.transaction_id")) {
      c.setAutoCommit(false); // streams with a fetch size only inside a transaction
      ps.setFetchSize(10_000);
      ps.setObject(1, from.minus(lookback).atOffset(ZoneOffset.UTC));
      ps.setObject(2, to.atOffset(ZoneOffset.UTC));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(
              new HandbookRow(
                  rows.size(),
                  rs.getObject(1, OffsetDateTime.class).toInstant(),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getDouble(4),
                  rs.getBoolean(5),
                  0));
        }
      } finally {
        c.rollback();
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot read the feature history of " + v.label() + "'s training window", e);
    }
    List<double[]> window =
        OfflineFeatures.compute(rows, features).stream()
            .filter(r -> !r.eventTime().isBefore(from) && !r.eventTime().isAfter(to))
            .map(FeatureRow::features)
            .toList();
    return fit(
        v,
        window,
        String.format(
            Locale.ROOT,
            "computed later from the feature history of the training window"
                + " %s..%s (%d transactions)",
            from,
            to,
            window.size()));
  }

  private Optional<TrainingDistribution> fromScoredLog(ModelVersion v) {
    List<double[]> window = new ArrayList<>();
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT features"
                    + " FROM fraudwatch.scored_transactions WHERE event_time >= ? AND event_time <= ?")) {
      c.setAutoCommit(false);
      ps.setFetchSize(10_000);
      ps.setObject(1, v.content().training().from().atOffset(ZoneOffset.UTC));
      ps.setObject(2, v.content().training().to().atOffset(ZoneOffset.UTC));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Double[] f = (Double[]) rs.getArray(1).getArray();
          if (f.length == v.schema().size()) {
            window.add(java.util.Arrays.stream(f).mapToDouble(Double::doubleValue).toArray());
          }
        }
      } finally {
        c.rollback();
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot read the scored transactions of " + v.label() + "'s training window", e);
    }
    return fit(
        v,
        window,
        String.format(
            Locale.ROOT,
            "computed later from the feature vectors logged by the scorer in"
                + " the training window %s..%s (%d transactions)",
            v.content().training().from(),
            v.content().training().to(),
            window.size()));
  }

  private static Optional<TrainingDistribution> fit(
      ModelVersion v, List<double[]> rows, String source) {
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        TrainingDistribution.fit(
            v.schema().names(),
            rows,
            rows.stream().mapToDouble(v.scorer()::probability).toArray(),
            source));
  }
}
