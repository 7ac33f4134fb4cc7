package io.fraudwatch.models;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.fraudwatch.features.FeatureSchema;
import io.fraudwatch.features.Standardisation;
import io.fraudwatch.models.drift.TrainingDistribution;
import io.fraudwatch.models.scoring.LinearScorer;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import javax.sql.DataSource;

/**
 * Model versions, the champion/challenger slots of each model name, and the audit trail of slot
 * changes, in PostgreSQL (tables from migration V3). Versions are immutable; promotion and rollback
 * only move a slot and append an event, in one transaction that holds the model's row lock, so
 * concurrent operators are serialised and no change is lost.
 *
 * <p>Thread-safe; every call takes a connection from the data source and returns it.
 */
public final class ModelStore {

  private static final String VERSION_COLUMNS =
      "id, parent_id, model_name, created_at, created_by, kind, "
          + "feature_names, feature_means, feature_stds, weights, threshold, training_from, training_to, training_data, "
          + "kafka_offsets::text AS kafka_offsets, label_watermark, metrics::text AS metrics, checksum";
  private static final String EVENT_COLUMNS =
      "id, model_name, slot, action, from_version, to_version, actor, occurred_at, reason, db_user";
  private static final String UNIQUE_VIOLATION = "23505";

  private final DataSource dataSource;
  private final ModelValidator validator;

  /**
   * {@code currentSchema} is the feature set the scoring job computes; only versions on it are
   * stored or promoted.
   */
  public ModelStore(DataSource dataSource, FeatureSchema currentSchema) {
    this.dataSource = dataSource;
    this.validator = new ModelValidator(currentSchema);
  }

  /** The database the store works on (e.g. for `models train --from-database`). */
  public DataSource dataSource() {
    return dataSource;
  }

  public FeatureSchema currentSchema() {
    return validator.currentSchema();
  }

  /**
   * Validates and stores a version; returns its id.
   *
   * @throws InvalidModelException when the content is not storable (nothing is written)
   * @throws ModelRefusedException when an identical version is already stored or the parent is
   *     another model's
   * @throws ModelNotFoundException when the parent does not exist
   */
  public long save(NewModelVersion v) {
    ModelContent c = v.content();
    validator.requireValid(c);
    String checksum = ModelJson.checksum(c);
    return inTransaction(
        "storing a version of " + c.modelName(),
        conn -> {
          if (v.parentId().isPresent()) {
            ModelVersion parent =
                find(conn, v.parentId().getAsLong())
                    .orElseThrow(
                        () ->
                            new ModelNotFoundException(
                                "parent version "
                                    + ModelVersion.label(v.parentId().getAsLong())
                                    + " does not exist"));
            if (!parent.modelName().equals(c.modelName())) {
              throw new ModelRefusedException(
                  "parent "
                      + parent.label()
                      + " belongs to model "
                      + parent.modelName()
                      + ", not "
                      + c.modelName());
            }
          }
          Optional<Long> identical = findIdByChecksum(conn, checksum);
          if (identical.isPresent()) {
            throw new ModelRefusedException(
                "an identical version is already stored as " + ModelVersion.label(identical.get()));
          }
          try (PreparedStatement ps =
              conn.prepareStatement(
                  "INSERT INTO fraudwatch.models (name) VALUES (?) ON CONFLICT (name) DO NOTHING")) {
            ps.setString(1, c.modelName());
            ps.executeUpdate();
          }
          try (PreparedStatement ps =
              conn.prepareStatement(
                  "INSERT INTO fraudwatch.model_versions (model_name, "
                      + "created_at, created_by, parent_id, kind, feature_names, feature_schema_hash, feature_means, "
                      + "feature_stds, weights, threshold, training_from, training_to, training_data, kafka_offsets, "
                      + "label_watermark, metrics, checksum) "
                      + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?::jsonb, ?) RETURNING id")) {
            int i = 0;
            ps.setString(++i, c.modelName());
            ps.setObject(++i, utc(c.createdAt()));
            ps.setString(++i, c.createdBy());
            if (v.parentId().isPresent()) {
              ps.setLong(++i, v.parentId().getAsLong());
            } else {
              ps.setNull(++i, Types.BIGINT);
            }
            ps.setString(++i, c.kind().label());
            ps.setArray(++i, conn.createArrayOf("text", c.schema().names().toArray()));
            ps.setString(++i, c.schema().hash());
            ps.setArray(++i, conn.createArrayOf("float8", c.means().toArray()));
            ps.setArray(++i, conn.createArrayOf("float8", c.stds().toArray()));
            ps.setArray(++i, conn.createArrayOf("float8", c.weights().toArray()));
            ps.setDouble(++i, c.threshold());
            ps.setObject(++i, utc(c.training().from()));
            ps.setObject(++i, utc(c.training().to()));
            ps.setString(++i, c.training().description());
            ps.setString(++i, json(c.training().kafkaOffsets()));
            ps.setObject(
                ++i,
                c.training().labelWatermark().map(ModelStore::utc).orElse(null),
                Types.TIMESTAMP_WITH_TIMEZONE);
            ps.setString(++i, json(c.metrics()));
            ps.setString(++i, checksum);
            long id;
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              id = rs.getLong(1);
            }
            Optional<TrainingDistribution> distribution = v.distribution();
            if (distribution.isEmpty() && v.parentId().isPresent()) {
              distribution =
                  DistributionRows.find(conn, v.parentId().getAsLong())
                      .map(
                          d ->
                              d.forScorer(
                                  scorer(c),
                                  "derived from "
                                      + ModelVersion.label(v.parentId().getAsLong())
                                      + ": its feature bins, the score of this"
                                      + " version's weights on its sample"));
            }
            if (distribution.isPresent()) {
              DistributionRows.insert(conn, id, distribution.get());
            }
            return id;
          } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
              // a concurrent save of the same content won the race
              throw new ModelRefusedException(
                  "an identical version (checksum " + checksum + ") is already stored", e);
            }
            throw e;
          }
        });
  }

  public Optional<ModelVersion> get(long id) {
    return read("reading " + ModelVersion.label(id), conn -> find(conn, id));
  }

  /**
   * The distribution of the version's training data, if stored (see {@link TrainingDistribution}).
   */
  public Optional<TrainingDistribution> distribution(long versionId) {
    return read(
        "reading the training distribution of " + ModelVersion.label(versionId),
        conn -> DistributionRows.find(conn, versionId));
  }

  /**
   * Stores the distribution of an existing version's training data, for versions stored without
   * one. Written once: when the version has one already (e.g. a concurrent call stored it), that
   * one is kept and returned.
   *
   * @throws ModelNotFoundException when the version does not exist
   */
  public TrainingDistribution saveDistribution(long versionId, TrainingDistribution d) {
    require(versionId);
    return inTransaction(
        "storing the training distribution of " + ModelVersion.label(versionId),
        conn -> {
          DistributionRows.insert(conn, versionId, d);
          return DistributionRows.find(conn, versionId).orElseThrow();
        });
  }

  /** The scoring function of content not stored yet. */
  private static LinearScorer scorer(ModelContent c) {
    return new LinearScorer(
        0,
        c.schema(),
        new Standardisation(c.meanArray(), c.stdArray()),
        c.weightArray(),
        c.threshold());
  }

  /** Like {@link #get} but a missing version is a {@link ModelNotFoundException}. */
  public ModelVersion require(long id) {
    return get(id)
        .orElseThrow(
            () ->
                new ModelNotFoundException(
                    "model version " + ModelVersion.label(id) + " does not exist"));
  }

  /** The version whose content has this checksum, if stored. */
  public Optional<Long> findByChecksum(String checksum) {
    return read("looking up a checksum", conn -> findIdByChecksum(conn, checksum));
  }

  /** The names of the models the store holds, in order. */
  public List<String> modelNames() {
    return read(
        "listing the models",
        conn -> {
          try (PreparedStatement ps =
                  conn.prepareStatement("SELECT name FROM fraudwatch.models ORDER BY name");
              ResultSet rs = ps.executeQuery()) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
              out.add(rs.getString(1));
            }
            return out;
          }
        });
  }

  /** All versions of a model, oldest first. */
  public List<ModelVersion> list(String model) {
    return read(
        "listing versions of " + model,
        conn -> {
          try (PreparedStatement ps =
              conn.prepareStatement(
                  "SELECT "
                      + VERSION_COLUMNS
                      + " FROM fraudwatch.model_versions WHERE model_name = ? ORDER BY id")) {
            ps.setString(1, model);
            List<ModelVersion> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(version(rs));
              }
            }
            return out;
          }
        });
  }

  /** The newest version of a model (e.g. to resume online learning from), if any. */
  public Optional<ModelVersion> latest(String model) {
    return read(
        "reading the latest version of " + model,
        conn -> {
          try (PreparedStatement ps =
              conn.prepareStatement(
                  "SELECT "
                      + VERSION_COLUMNS
                      + " FROM fraudwatch.model_versions WHERE model_name = ? ORDER BY id DESC LIMIT 1")) {
            ps.setString(1, model);
            return single(ps);
          }
        });
  }

  public Optional<ModelVersion> champion(String model) {
    return inSlot(model, Slot.CHAMPION);
  }

  public Optional<ModelVersion> challenger(String model) {
    return inSlot(model, Slot.CHALLENGER);
  }

  public Optional<ModelVersion> inSlot(String model, Slot slot) {
    return read(
        "reading the " + slot.label() + " of " + model,
        conn -> {
          try (PreparedStatement ps =
              conn.prepareStatement(
                  "SELECT "
                      + VERSION_COLUMNS
                      + " FROM fraudwatch.model_versions WHERE id = "
                      + "(SELECT version_id FROM fraudwatch.model_slots WHERE model_name = ? AND slot = ?)")) {
            ps.setString(1, model);
            ps.setString(2, slot.label());
            return single(ps);
          }
        });
  }

  /** The champion's id only: a cheap check for the scoring job to poll every batch. */
  public OptionalLong championVersionId(String model) {
    return read(
        "reading the champion of " + model, conn -> slotVersion(conn, model, Slot.CHAMPION));
  }

  /** Which version each occupied slot of the model holds. */
  public Map<Slot, Long> slots(String model) {
    return read(
        "reading the slots of " + model,
        conn -> {
          try (PreparedStatement ps =
              conn.prepareStatement(
                  "SELECT slot, version_id FROM fraudwatch.model_slots WHERE model_name = ?")) {
            ps.setString(1, model);
            Map<Slot, Long> out = new EnumMap<>(Slot.class);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.put(Slot.fromLabel(rs.getString(1)), rs.getLong(2));
              }
            }
            return out;
          }
        });
  }

  /**
   * Puts a version into a slot of its model and records who did it and why.
   *
   * @throws ModelNotFoundException when the version does not exist
   * @throws ModelRefusedException when it is already in that slot or is not on the current feature
   *     schema
   */
  public SlotChange promote(long versionId, Slot slot, String actor, String reason) {
    requireText("reason", reason);
    requireText("actor", actor);
    ModelVersion target = require(versionId);
    requireScorable(target);
    String model = target.modelName();
    return inTransaction(
        "promoting " + target.label(),
        conn -> {
          lockModel(conn, model);
          OptionalLong current = slotVersion(conn, model, slot);
          if (current.isPresent() && current.getAsLong() == versionId) {
            throw new ModelRefusedException(
                target.label() + " is already the " + slot.label() + " of " + model);
          }
          return moveSlot(
              conn, model, slot, SlotChange.Action.PROMOTE, current, versionId, actor, reason);
        });
  }

  /**
   * Moves a slot back to an earlier occupant: {@code to} if given (it must have held the slot
   * before), otherwise the one before the current per the audit trail (see {@link RollbackPlan}).
   *
   * @throws ModelNotFoundException when the model or {@code to} does not exist
   * @throws ModelRefusedException when the slot is empty, there is nothing to roll back to, or the
   *     target never held the slot or is not on the current feature schema
   */
  public SlotChange rollback(
      String model, Slot slot, OptionalLong to, String actor, String reason) {
    requireText("reason", reason);
    requireText("actor", actor);
    if (to.isPresent()) {
      ModelVersion target = require(to.getAsLong());
      if (!target.modelName().equals(model)) {
        throw new ModelRefusedException(
            target.label() + " belongs to model " + target.modelName() + ", not " + model);
      }
    }
    return inTransaction(
        "rolling back the " + slot.label() + " of " + model,
        conn -> {
          if (!lockModel(conn, model)) {
            throw new ModelNotFoundException("model " + model + " has no versions");
          }
          OptionalLong current = slotVersion(conn, model, slot);
          if (current.isEmpty()) {
            throw new ModelRefusedException(model + " has no " + slot.label() + " to roll back");
          }
          List<SlotChange> trail = events(conn, model, Optional.of(slot));
          long targetId;
          if (to.isPresent()) {
            targetId = to.getAsLong();
            if (!RollbackPlan.formerOccupants(trail).contains(targetId)) {
              throw new ModelRefusedException(
                  ModelVersion.label(targetId)
                      + " has never been the "
                      + slot.label()
                      + " of "
                      + model
                      + "; use promote to put a new version in the slot");
            }
          } else {
            targetId =
                RollbackPlan.defaultTarget(trail)
                    .orElseThrow(
                        () ->
                            new ModelRefusedException(
                                "the audit trail of "
                                    + model
                                    + " has no earlier "
                                    + slot.label()
                                    + " to roll back to"));
          }
          if (targetId == current.getAsLong()) {
            throw new ModelRefusedException(
                ModelVersion.label(targetId) + " is already the " + slot.label() + " of " + model);
          }
          requireScorable(find(conn, targetId).orElseThrow());
          return moveSlot(
              conn, model, slot, SlotChange.Action.ROLLBACK, current, targetId, actor, reason);
        });
  }

  /** The audit trail of a model's slot changes, oldest first. */
  public List<SlotChange> history(String model) {
    return read(
        "reading the audit trail of " + model, conn -> events(conn, model, Optional.empty()));
  }

  private void requireScorable(ModelVersion v) {
    if (!v.schema().equals(validator.currentSchema())) {
      throw new ModelRefusedException(
          v.label()
              + " was trained on feature schema "
              + v.schema().hash().substring(0, 12)
              + ", not the current one ("
              + validator.currentSchema().hash().substring(0, 12)
              + "); the scoring job cannot use it");
    }
  }

  private static void requireText(String what, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(what + " is required and must not be blank");
    }
  }

  /** Locks the model's row until the transaction ends; false when the model does not exist. */
  private static boolean lockModel(Connection conn, String model) throws SQLException {
    try (PreparedStatement ps =
        conn.prepareStatement("SELECT name FROM fraudwatch.models WHERE name = ? FOR UPDATE")) {
      ps.setString(1, model);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static OptionalLong slotVersion(Connection conn, String model, Slot slot)
      throws SQLException {
    try (PreparedStatement ps =
        conn.prepareStatement(
            "SELECT version_id FROM fraudwatch.model_slots WHERE model_name = ? AND slot = ?")) {
      ps.setString(1, model);
      ps.setString(2, slot.label());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
      }
    }
  }

  private static SlotChange moveSlot(
      Connection conn,
      String model,
      Slot slot,
      SlotChange.Action action,
      OptionalLong from,
      long to,
      String actor,
      String reason)
      throws SQLException {
    try (PreparedStatement ps =
        conn.prepareStatement(
            "INSERT INTO fraudwatch.model_slots "
                + "(model_name, slot, version_id, changed_at) VALUES (?, ?, ?, clock_timestamp()) "
                + "ON CONFLICT (model_name, slot) DO UPDATE SET version_id = EXCLUDED.version_id, changed_at = EXCLUDED.changed_at")) {
      ps.setString(1, model);
      ps.setString(2, slot.label());
      ps.setLong(3, to);
      ps.executeUpdate();
    }
    try (PreparedStatement ps =
        conn.prepareStatement(
            "INSERT INTO fraudwatch.model_slot_events "
                + "(model_name, slot, action, from_version, to_version, actor, occurred_at, reason) "
                + "VALUES (?, ?, ?, ?, ?, ?, clock_timestamp(), ?) RETURNING "
                + EVENT_COLUMNS)) {
      ps.setString(1, model);
      ps.setString(2, slot.label());
      ps.setString(3, action.label());
      if (from.isPresent()) {
        ps.setLong(4, from.getAsLong());
      } else {
        ps.setNull(4, Types.BIGINT);
      }
      ps.setLong(5, to);
      ps.setString(6, actor);
      ps.setString(7, reason);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return event(rs);
      }
    }
  }

  private static List<SlotChange> events(Connection conn, String model, Optional<Slot> slot)
      throws SQLException {
    try (PreparedStatement ps =
        conn.prepareStatement(
            "SELECT "
                + EVENT_COLUMNS
                + " FROM fraudwatch.model_slot_events WHERE model_name = ? AND (?::text IS NULL OR slot = ?) ORDER BY id")) {
      String slotLabel = slot.map(Slot::label).orElse(null);
      ps.setString(1, model);
      ps.setString(2, slotLabel);
      ps.setString(3, slotLabel);
      List<SlotChange> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(event(rs));
        }
      }
      return out;
    }
  }

  private static SlotChange event(ResultSet rs) throws SQLException {
    long from = rs.getLong("from_version");
    OptionalLong fromVersion = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(from);
    return new SlotChange(
        rs.getLong("id"),
        rs.getString("model_name"),
        Slot.fromLabel(rs.getString("slot")),
        SlotChange.Action.valueOf(rs.getString("action").toUpperCase(Locale.ROOT)),
        fromVersion,
        rs.getLong("to_version"),
        rs.getString("actor"),
        instant(rs, "occurred_at"),
        rs.getString("reason"),
        Optional.ofNullable(rs.getString("db_user")));
  }

  private static Optional<Long> findIdByChecksum(Connection conn, String checksum)
      throws SQLException {
    try (PreparedStatement ps =
        conn.prepareStatement("SELECT id FROM fraudwatch.model_versions WHERE checksum = ?")) {
      ps.setString(1, checksum);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
      }
    }
  }

  private static Optional<ModelVersion> find(Connection conn, long id) throws SQLException {
    try (PreparedStatement ps =
        conn.prepareStatement(
            "SELECT " + VERSION_COLUMNS + " FROM fraudwatch.model_versions WHERE id = ?")) {
      ps.setLong(1, id);
      return single(ps);
    }
  }

  private static Optional<ModelVersion> single(PreparedStatement ps) throws SQLException {
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next() ? Optional.of(version(rs)) : Optional.empty();
    }
  }

  /**
   * Rebuilds a version and checks it still matches its checksum, so altered rows are never scored
   * with.
   */
  private static ModelVersion version(ResultSet rs) throws SQLException {
    long id = rs.getLong("id");
    long parent = rs.getLong("parent_id");
    OptionalLong parentId = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(parent);
    OffsetDateTime watermark = rs.getObject("label_watermark", OffsetDateTime.class);
    TrainingData training =
        new TrainingData(
            instant(rs, "training_from"),
            instant(rs, "training_to"),
            rs.getString("training_data"),
            longs(parseJson(rs.getString("kafka_offsets"))),
            Optional.ofNullable(watermark).map(OffsetDateTime::toInstant));
    ModelContent content =
        new ModelContent(
            rs.getString("model_name"),
            instant(rs, "created_at"),
            rs.getString("created_by"),
            ModelKind.fromLabel(rs.getString("kind")),
            new FeatureSchema(Arrays.asList((String[]) rs.getArray("feature_names").getArray())),
            doubles(rs.getArray("feature_means")),
            doubles(rs.getArray("feature_stds")),
            doubles(rs.getArray("weights")),
            rs.getDouble("threshold"),
            training,
            numbers(parseJson(rs.getString("metrics"))));
    String checksum = rs.getString("checksum");
    if (!ModelJson.checksum(content).equals(checksum)) {
      throw new ModelStoreException(
          "stored version "
              + ModelVersion.label(id)
              + " does not match its checksum: its row was altered outside the model store");
    }
    return new ModelVersion(id, parentId, content, checksum);
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    return rs.getObject(column, OffsetDateTime.class).toInstant();
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  private static List<Double> doubles(Array array) throws SQLException {
    return List.of((Double[]) array.getArray());
  }

  private static JsonNode parseJson(String text) {
    try {
      return ModelJson.MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new ModelStoreException("unreadable JSON column: " + e.getOriginalMessage(), e);
    }
  }

  private static Map<String, Long> longs(JsonNode object) {
    Map<String, Long> out = new LinkedHashMap<>();
    object.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().longValue()));
    return out;
  }

  private static Map<String, Double> numbers(JsonNode object) {
    Map<String, Double> out = new LinkedHashMap<>();
    object.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().doubleValue()));
    return out;
  }

  private static String json(Map<String, ? extends Number> values) {
    try {
      return ModelJson.MAPPER.writeValueAsString(values);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + values, e);
    }
  }

  private <T> T read(String what, StoreTransactions.SqlWork<T> work) {
    return StoreTransactions.read(dataSource, what, work);
  }

  private <T> T inTransaction(String what, StoreTransactions.SqlWork<T> work) {
    return StoreTransactions.inTransaction(dataSource, what, work);
  }
}
