package io.fraudwatch.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fraudwatch.models.drift.TrainingDistribution;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Training distributions stored with model versions, on a real PostgreSQL. */
@ExtendWith(TestDatabase.Extension.class)
class TrainingDistributionStoreIT {

  private final TestDatabase db;
  private final ModelStore store;

  TrainingDistributionStoreIT(TestDatabase db) {
    this.db = db;
    this.store = new ModelStore(db.operator(), TestModels.SCHEMA);
  }

  private static TrainingDistribution distribution(ModelContent c, int rows) {
    SplittableRandom r = new SplittableRandom(rows);
    List<double[]> x = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      x.add(new double[] {r.nextDouble() * 100, r.nextInt(2), r.nextGaussian()});
    }
    ModelVersion unsaved = new ModelVersion(0, java.util.OptionalLong.empty(), c, "");
    return TrainingDistribution.fit(
        c.schema().names(),
        x,
        x.stream().mapToDouble(unsaved.scorer()::probability).toArray(),
        "test fit of " + rows + " rows");
  }

  @Test
  void aVersionStoredWithItsDistributionReadsItBackExactly() {
    ModelContent c = TestModels.valid(1);
    TrainingDistribution d = distribution(c, 5_000);

    long id = store.save(NewModelVersion.of(c).withDistribution(d));

    assertThat(store.distribution(id)).contains(d);
    assertThat(store.distribution(id).orElseThrow().sample())
        .hasSize(TrainingDistribution.SAMPLE_ROWS);
  }

  @Test
  void anOnlineChildGetsItsParentsFeatureBinsAndItsOwnScoreBins() {
    ModelContent parent = TestModels.valid(2);
    TrainingDistribution d = distribution(parent, 3_000);
    long parentId = store.save(NewModelVersion.of(parent).withDistribution(d));
    ModelContent p = TestModels.valid(3);
    List<Double> weights = new ArrayList<>(p.weights());
    weights.set(0, weights.get(0) * 3);
    ModelContent child =
        new ModelContent(
            p.modelName(),
            p.createdAt(),
            "job",
            ModelKind.ONLINE,
            p.schema(),
            p.means(),
            p.stds(),
            weights,
            p.threshold(),
            TrainingData.online(
                p.training().from(),
                p.training().to(),
                "stream",
                java.util.Map.of("fraud.transactions-0", 10L),
                p.training().to()),
            p.metrics());

    long childId = store.save(NewModelVersion.derivedFrom(parentId, child));

    TrainingDistribution derived = store.distribution(childId).orElseThrow();
    assertThat(derived.features()).isEqualTo(d.features());
    assertThat(derived.rows()).isEqualTo(3_000);
    assertThat(derived.score())
        .isEqualTo(d.forScorer(store.require(childId).scorer(), "x").score());
    assertThat(derived.source()).contains("derived from v" + parentId);
  }

  @Test
  void aVersionWithoutOneGetsItOnceAndItNeverChanges() throws SQLException {
    ModelContent c = TestModels.valid(4);
    long id = store.save(NewModelVersion.of(c));
    assertThat(store.distribution(id)).isEmpty();
    TrainingDistribution first = distribution(c, 500);

    assertThat(store.saveDistribution(id, first)).isEqualTo(first);
    assertThat(store.saveDistribution(id, distribution(c, 700)))
        .as("written once")
        .isEqualTo(first);

    try (Connection conn = db.superuser().getConnection();
        Statement st = conn.createStatement()) {
      assertThatThrownBy(
              () -> st.executeUpdate("UPDATE fraudwatch.model_distributions SET rows = 1"))
          .hasMessageContaining("immutable");
    }
    assertThatThrownBy(() -> store.saveDistribution(999_999, first))
        .isInstanceOf(ModelNotFoundException.class);
  }
}
