package io.fraudwatch.models;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fraudwatch.models.drift.Bins;
import io.fraudwatch.models.drift.TrainingDistribution;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Rows of {@code fraudwatch.model_distributions}: a version's training distribution as JSON bins
 * and a flat sample.
 */
final class DistributionRows {
  private DistributionRows() {}

  /** Stores the distribution unless the version has one already; true when this call stored it. */
  static boolean insert(Connection conn, long versionId, TrainingDistribution d)
      throws SQLException {
    try (PreparedStatement ps =
        conn.prepareStatement(
            "INSERT INTO fraudwatch.model_distributions "
                + "(version_id, source, rows, bins, sample_width, sample) VALUES (?, ?, ?, ?::jsonb, ?, ?) "
                + "ON CONFLICT (version_id) DO NOTHING")) {
      ps.setLong(1, versionId);
      ps.setString(2, d.source());
      ps.setLong(3, d.rows());
      ps.setString(4, json(d));
      ps.setInt(5, d.featureNames().size());
      ps.setArray(6, conn.createArrayOf("float8", flat(d.sample())));
      return ps.executeUpdate() == 1;
    }
  }

  static Optional<TrainingDistribution> find(Connection conn, long versionId) throws SQLException {
    try (PreparedStatement ps =
        conn.prepareStatement(
            "SELECT source, rows, bins::text, sample_width, sample "
                + "FROM fraudwatch.model_distributions WHERE version_id = ?")) {
      ps.setLong(1, versionId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(
            parse(
                rs.getString(1),
                rs.getLong(2),
                rs.getString(3),
                rs.getInt(4),
                (Double[]) rs.getArray(5).getArray()));
      }
    }
  }

  private static String json(TrainingDistribution d) {
    ObjectNode root = ModelJson.MAPPER.createObjectNode();
    ArrayNode features = root.putArray("features");
    for (int i = 0; i < d.featureNames().size(); i++) {
      ObjectNode f = bins(features.addObject(), d.features().get(i));
      f.put("name", d.featureNames().get(i));
    }
    bins(root.putObject("score"), d.score());
    try {
      return ModelJson.MAPPER.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a training distribution", e);
    }
  }

  private static ObjectNode bins(ObjectNode target, Bins b) {
    ArrayNode edges = target.putArray("edges");
    Arrays.stream(b.edges()).forEach(edges::add);
    ArrayNode counts = target.putArray("counts");
    Arrays.stream(b.counts()).forEach(counts::add);
    return target;
  }

  private static TrainingDistribution parse(
      String source, long rows, String json, int width, Double[] flat) {
    JsonNode root;
    try {
      root = ModelJson.MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new ModelStoreException(
          "unreadable training distribution: " + e.getOriginalMessage(), e);
    }
    List<String> names = new ArrayList<>();
    List<Bins> features = new ArrayList<>();
    for (JsonNode f : root.get("features")) {
      names.add(f.get("name").asText());
      features.add(bins(f));
    }
    List<double[]> sample = new ArrayList<>();
    for (int start = 0; start + width <= flat.length; start += width) {
      double[] row = new double[width];
      for (int i = 0; i < width; i++) {
        row[i] = flat[start + i];
      }
      sample.add(row);
    }
    return new TrainingDistribution(names, features, bins(root.get("score")), rows, source, sample);
  }

  private static Bins bins(JsonNode n) {
    double[] edges = new double[n.get("edges").size()];
    for (int i = 0; i < edges.length; i++) {
      edges[i] = n.get("edges").get(i).doubleValue();
    }
    long[] counts = new long[n.get("counts").size()];
    for (int i = 0; i < counts.length; i++) {
      counts[i] = n.get("counts").get(i).longValue();
    }
    return new Bins(edges, counts);
  }

  private static Double[] flat(List<double[]> rows) {
    return rows.stream().flatMapToDouble(Arrays::stream).boxed().toArray(Double[]::new);
  }
}
