package io.fraudwatch.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import io.fraudwatch.features.FeatureSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestDatabase.Extension.class)
class ModelStoreIT {

  private final TestDatabase db;
  private final ModelStore store;
  private String model;

  ModelStoreIT(TestDatabase db) {
    this.db = db;
    this.store = new ModelStore(db.operator(), TestModels.SCHEMA);
  }

  @BeforeEach
  void modelPerTest(TestInfo test) {
    // versions cannot be deleted: each test works on its own model name
    model = "m-" + test.getTestMethod().orElseThrow().getName();
  }

  private ModelContent content(int n) {
    ModelContent c = TestModels.valid(n);
    return new ModelContent(
        model,
        c.createdAt(),
        c.createdBy(),
        c.kind(),
        c.schema(),
        c.means(),
        c.stds(),
        c.weights(),
        c.threshold(),
        c.training(),
        c.metrics());
  }

  private long save(int n) {
    return store.save(NewModelVersion.of(content(n)));
  }

  @Test
  void aStoredVersionReadsBackExactly() {
    ModelContent online =
        new ModelContent(
            model,
            Instant.parse("2026-11-25T10:15:30.123456789Z"),
            "job",
            ModelKind.ONLINE,
            TestModels.SCHEMA,
            List.of(50.0, 0.2, 1.0 / 3),
            List.of(40.0, 0.4, 0.05),
            List.of(0.1 + 0.2, -1e-300, Math.PI, -4.2),
            0.35,
            TrainingData.online(
                Instant.parse("2018-07-01T00:00:00Z"),
                Instant.parse("2018-07-20T12:00:00Z"),
                "stream",
                Map.of("fraud.transactions-0", 1200L, "fraud.transactions-1", 980L),
                Instant.parse("2018-07-13T12:00:00Z")),
            Map.of("prequential.auc_roc", 0.871234567891234, "batches", 42.0));
    long parent = save(1);

    long id = store.save(NewModelVersion.derivedFrom(parent, online));

    ModelVersion back = store.require(id);
    assertThat(back.content()).isEqualTo(online);
    assertThat(back.content().createdAt()).isEqualTo(Instant.parse("2026-11-25T10:15:30.123456Z"));
    assertThat(back.parentId()).hasValue(parent);
    // at the means every standardised feature is 0, so the score is the sigmoid of the bias weight
    assertThat(back.scorer().versionId()).isEqualTo(id);
    assertThat(back.scorer().probability(new double[] {50.0, 0.2, 1.0 / 3}))
        .isCloseTo(1 / (1 + Math.exp(4.2)), within(1e-12));
    assertThat(back.checksum()).isEqualTo(ModelJson.checksum(online));
    assertThat(store.latest(model)).map(ModelVersion::id).hasValue(id);
    assertThat(store.list(model)).extracting(ModelVersion::id).containsExactly(parent, id);
  }

  @Test
  void anInvalidVersionWritesNothing() throws SQLException {
    long versionsBefore = count("model_versions");
    long modelsBefore = count("models");
    ModelContent bad = TestModels.content(List.of(0.8, Double.NaN, 1.7, -4.2), 1.0, Map.of());

    assertThatThrownBy(() -> store.save(NewModelVersion.of(bad)))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("weight of night is NaN")
        .hasMessageContaining("decision threshold 1.0 is outside (0, 1)");
    ModelStore otherFeatures =
        new ModelStore(db.operator(), new FeatureSchema(List.of("amount", "weekend")));
    assertThatThrownBy(() -> otherFeatures.save(NewModelVersion.of(content(2))))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("does not match the current feature set");

    assertThat(count("model_versions")).isEqualTo(versionsBefore);
    assertThat(count("models")).isEqualTo(modelsBefore);
  }

  @Test
  void theSameContentIsStoredOnce() {
    long id = save(3);
    assertThatThrownBy(() -> save(3))
        .isInstanceOf(ModelRefusedException.class)
        .hasMessage("an identical version is already stored as " + ModelVersion.label(id));
    assertThat(store.findByChecksum(ModelJson.checksum(content(3)))).hasValue(id);
  }

  @Test
  void theDatabaseRefusesToChangeAStoredVersionEvenForTheOwner() throws SQLException {
    long id = save(4);
    try (Connection c = db.superuser().getConnection();
        Statement s = c.createStatement()) {
      assertThatThrownBy(
              () ->
                  s.executeUpdate(
                      "UPDATE fraudwatch.model_versions SET threshold = 0.9 WHERE id = " + id))
          .hasMessageContaining(
              "UPDATE on fraudwatch.model_versions refused: rows are immutable once written");
      assertThatThrownBy(
              () -> s.executeUpdate("DELETE FROM fraudwatch.model_versions WHERE id = " + id))
          .hasMessageContaining("DELETE on fraudwatch.model_versions refused");
      assertThatThrownBy(() -> s.executeUpdate("TRUNCATE fraudwatch.model_slot_events CASCADE"))
          .hasMessageContaining("refused");
    }
    try (Connection c = db.operator().getConnection();
        Statement s = c.createStatement()) {
      assertThatThrownBy(() -> s.executeUpdate("DELETE FROM fraudwatch.model_slot_events"))
          .hasMessageContaining("permission denied");
    }
  }

  @Test
  void aRowAlteredBehindTheStoresBackFailsItsChecksum() throws SQLException {
    long id = save(5);
    try (Connection c = db.superuser().getConnection();
        Statement s = c.createStatement()) {
      s.execute("ALTER TABLE fraudwatch.model_versions DISABLE TRIGGER model_versions_immutable");
      s.executeUpdate("UPDATE fraudwatch.model_versions SET weights[1] = 99 WHERE id = " + id);
      s.execute("ALTER TABLE fraudwatch.model_versions ENABLE TRIGGER model_versions_immutable");
    }
    assertThatThrownBy(() -> store.get(id))
        .isInstanceOf(ModelStoreException.class)
        .hasMessageContaining("does not match its checksum");
  }

  @Test
  void analystsReadTheModelTablesButCannotWrite() throws SQLException {
    long id = save(6);
    store.promote(id, Slot.CHAMPION, "alice", "first");
    try (Connection c = db.as(TestDatabase.ANALYST).getConnection();
        Statement s = c.createStatement()) {
      try (ResultSet rs =
          s.executeQuery(
              "SELECT count(*) FROM fraudwatch.model_versions v "
                  + "JOIN fraudwatch.model_slots s ON s.version_id = v.id JOIN fraudwatch.model_slot_events e ON e.to_version = v.id")) {
        rs.next();
        assertThat(rs.getLong(1)).isPositive();
      }
      assertThatThrownBy(() -> s.executeUpdate("DELETE FROM fraudwatch.model_slots"))
          .isInstanceOf(SQLException.class);
    }
  }

  @Test
  void promotionAndRollbackMoveSlotsAndRecordWhy() {
    long v1 = save(7);
    long v2 = save(8);
    long v3 = save(9);
    assertThat(store.championVersionId(model)).isEmpty();

    SlotChange first = store.promote(v1, Slot.CHAMPION, "alice", "bootstrap");
    store.promote(v2, Slot.CHAMPION, "bob", "better AUC");
    store.promote(v3, Slot.CHALLENGER, "bob", "shadow");
    SlotChange back =
        store.rollback(model, Slot.CHAMPION, OptionalLong.empty(), "carol", "alerts doubled");

    assertThat(first.fromVersion()).isEmpty();
    assertThat(back.fromVersion()).hasValue(v2);
    assertThat(back.toVersion()).isEqualTo(v1);
    assertThat(back.action()).isEqualTo(SlotChange.Action.ROLLBACK);
    assertThat(store.championVersionId(model)).hasValue(v1);
    assertThat(store.champion(model)).map(ModelVersion::id).hasValue(v1);
    assertThat(store.challenger(model)).map(ModelVersion::id).hasValue(v3);
    assertThat(store.history(model))
        .extracting(SlotChange::actor, SlotChange::reason)
        .containsExactly(
            tuple("alice", "bootstrap"), tuple("bob", "better AUC"),
            tuple("bob", "shadow"), tuple("carol", "alerts doubled"));
    assertThatThrownBy(
            () -> store.rollback(model, Slot.CHAMPION, OptionalLong.empty(), "carol", "again"))
        .isInstanceOf(ModelRefusedException.class)
        .hasMessageContaining("no earlier champion");
    assertThatThrownBy(
            () -> store.rollback(model, Slot.CHAMPION, OptionalLong.of(v3), "carol", "to v3"))
        .isInstanceOf(ModelRefusedException.class)
        .hasMessageContaining("has never been the champion");
  }

  @Test
  void theAuditTrailRecordsTheDatabaseLoginWhateverTheActorSays() throws SQLException {
    long v1 = save(21);
    long v2 = save(22);
    store.promote(v1, Slot.CHAMPION, "alice", "bootstrap");
    new ModelStore(db.job(), TestModels.SCHEMA)
        .promote(v2, Slot.CHAMPION, "online learner", "auto-promotion");
    try (Connection c = db.operator().getConnection();
        Statement s = c.createStatement()) {
      s.executeUpdate(
          "INSERT INTO fraudwatch.model_slot_events (model_name, slot, action, from_version, to_version,"
              + " actor, occurred_at, reason, db_user) SELECT model_name, slot, action, from_version, to_version, 'mallory',"
              + " now(), 'forged', 'someone_else' FROM fraudwatch.model_slot_events WHERE model_name = '"
              + model
              + "' ORDER BY id LIMIT 1");
    }

    assertThat(store.history(model))
        .extracting(SlotChange::actor, SlotChange::dbUser)
        .containsExactly(
            tuple("alice", Optional.of(TestDatabase.OPERATOR)),
            tuple("online learner", Optional.of(TestDatabase.JOB)),
            tuple("mallory", Optional.of(TestDatabase.OPERATOR)));
  }

  @Test
  void aVersionOnAnotherFeatureSchemaCannotBePromoted() {
    FeatureSchema old = new FeatureSchema(List.of("amount", "night"));
    ModelStore oldStore = new ModelStore(db.operator(), old);
    ModelContent c = content(10);
    long id =
        oldStore.save(
            NewModelVersion.of(
                new ModelContent(
                    model,
                    c.createdAt(),
                    "alice",
                    ModelKind.BATCH,
                    old,
                    List.of(50.0, 0.2),
                    List.of(40.0, 0.4),
                    List.of(0.8, 0.3, -4.2),
                    0.5,
                    c.training(),
                    Map.of())));

    assertThatThrownBy(() -> store.promote(id, Slot.CHAMPION, "alice", "try"))
        .isInstanceOf(ModelRefusedException.class)
        .hasMessageContaining("the scoring job cannot use it");
    assertThat(store.history(model)).isEmpty();
  }

  /**
   * Two operators promote at the same time, over and over. Every change must land in the audit
   * trail as one link of an unbroken chain (each event starts where the previous one ended) and the
   * slot must end where the chain ends: a lost update would break the chain.
   */
  @Test
  void concurrentPromotionsFormOneUnbrokenChain() throws Exception {
    int perOperator = 15;
    List<Long> aliceVersions = new ArrayList<>();
    List<Long> bobVersions = new ArrayList<>();
    for (int i = 0; i < perOperator; i++) {
      aliceVersions.add(save(100 + i));
      bobVersions.add(save(200 + i));
    }
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<?> alice = pool.submit(() -> promoteAll(start, "alice", aliceVersions));
      Future<?> bob = pool.submit(() -> promoteAll(start, "bob", bobVersions));
      start.countDown();
      alice.get(60, TimeUnit.SECONDS);
      bob.get(60, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }

    List<SlotChange> trail = store.history(model);
    assertThat(trail).hasSize(2 * perOperator);
    assertThat(trail.get(0).fromVersion()).isEmpty();
    for (int i = 1; i < trail.size(); i++) {
      assertThat(trail.get(i).fromVersion())
          .as("event %d starts where event %d ended", i, i - 1)
          .hasValue(trail.get(i - 1).toVersion());
    }
    assertThat(store.championVersionId(model)).hasValue(trail.get(trail.size() - 1).toVersion());
    assertThat(trail).extracting(SlotChange::actor).contains("alice", "bob");
  }

  private Void promoteAll(CountDownLatch start, String actor, List<Long> versions)
      throws InterruptedException {
    ModelStore own = new ModelStore(db.operator(), TestModels.SCHEMA);
    start.await();
    for (long v : versions) {
      own.promote(v, Slot.CHAMPION, actor, "race " + v);
    }
    return null;
  }

  private long count(String table) throws SQLException {
    DataSource ds = db.superuser();
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT count(*) FROM fraudwatch." + table)) { // test constant
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
