package io.fraudwatch.models;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fraudwatch.features.FeatureSchema;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON forms of a model version: the canonical content (fixed field order, compact) that the
 * SHA-256 checksum is computed over, and the export document that carries content and checksum
 * between databases.
 */
public final class ModelJson {

  /** Written into every export; an import of any other format is refused. */
  public static final String EXPORT_FORMAT = "fraudwatch-model-version/1";

  static final ObjectMapper MAPPER = new ObjectMapper();

  private ModelJson() {}

  /** SHA-256 (hex) over {@link #canonical}. */
  public static String checksum(ModelContent content) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of()
          .formatHex(sha.digest(canonical(content).getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** The content as compact JSON, fields in a fixed order: equal content gives equal text. */
  public static String canonical(ModelContent content) {
    try {
      return MAPPER.writeValueAsString(contentNode(content));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise model content", e);
    }
  }

  public static ObjectNode contentNode(ModelContent c) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("modelName", c.modelName());
    n.put("createdAt", c.createdAt().toString());
    n.put("createdBy", c.createdBy());
    n.put("kind", c.kind().label());
    ArrayNode names = n.putArray("features");
    c.schema().names().forEach(names::add);
    n.put("featureSchemaHash", c.schema().hash());
    numbers(n.putArray("means"), c.means());
    numbers(n.putArray("stds"), c.stds());
    numbers(n.putArray("weights"), c.weights());
    n.put("threshold", c.threshold());
    ObjectNode t = n.putObject("training");
    t.put("from", c.training().from().toString());
    t.put("to", c.training().to().toString());
    t.put("description", c.training().description());
    ObjectNode offsets = t.putObject("kafkaOffsets");
    c.training().kafkaOffsets().forEach(offsets::put);
    c.training()
        .labelWatermark()
        .ifPresentOrElse(
            w -> t.put("labelWatermark", w.toString()), () -> t.putNull("labelWatermark"));
    ObjectNode metrics = n.putObject("metrics");
    c.metrics().forEach(metrics::put);
    return n;
  }

  /**
   * Reads content written by {@link #contentNode}; a missing or mistyped field is a {@link
   * ModelRefusedException}.
   */
  public static ModelContent parseContent(JsonNode n) {
    try {
      FeatureSchema schema = new FeatureSchema(strings(field(n, "features")));
      String declaredHash = text(n, "featureSchemaHash");
      if (!declaredHash.equals(schema.hash())) {
        throw new ModelRefusedException(
            "featureSchemaHash " + declaredHash + " does not match the listed features");
      }
      JsonNode t = field(n, "training");
      Map<String, Long> offsets = new LinkedHashMap<>();
      field(t, "kafkaOffsets")
          .fields()
          .forEachRemaining(e -> offsets.put(e.getKey(), e.getValue().longValue()));
      JsonNode watermark = field(t, "labelWatermark");
      TrainingData training =
          new TrainingData(
              instant(t, "from"),
              instant(t, "to"),
              text(t, "description"),
              offsets,
              watermark.isNull()
                  ? Optional.empty()
                  : Optional.of(Instant.parse(watermark.asText())));
      Map<String, Double> metrics = new LinkedHashMap<>();
      field(n, "metrics")
          .fields()
          .forEachRemaining(e -> metrics.put(e.getKey(), number(e.getValue(), e.getKey())));
      return new ModelContent(
          text(n, "modelName"),
          instant(n, "createdAt"),
          text(n, "createdBy"),
          kind(text(n, "kind")),
          schema,
          doubles(field(n, "means")),
          doubles(field(n, "stds")),
          doubles(field(n, "weights")),
          number(field(n, "threshold"), "threshold"),
          training,
          metrics);
    } catch (DateTimeParseException | IllegalArgumentException e) {
      throw new ModelRefusedException("malformed model content: " + e.getMessage(), e);
    }
  }

  /** The export document: format tag, where it came from, checksum, content. */
  public static String exportDocument(ModelVersion v) {
    ObjectNode doc = MAPPER.createObjectNode();
    doc.put("format", EXPORT_FORMAT);
    doc.put("exportedFrom", v.label());
    v.parentId()
        .ifPresentOrElse(
            p -> doc.put("parent", ModelVersion.label(p)), () -> doc.putNull("parent"));
    doc.put("checksum", v.checksum());
    doc.set("content", contentNode(v.content()));
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(doc) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise model version " + v.label(), e);
    }
  }

  /**
   * Reads an export document and checks its checksum against its content.
   *
   * @throws ModelRefusedException when the text is not an export document or its content does not
   *     match its checksum (edited or damaged)
   */
  public static ModelContent parseExport(String text) {
    JsonNode doc;
    try {
      doc = MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new ModelRefusedException("not a JSON document: " + e.getOriginalMessage());
    }
    if (doc == null || !doc.isObject() || !EXPORT_FORMAT.equals(doc.path("format").asText())) {
      throw new ModelRefusedException(
          "not a Fraudwatch model export (expected \"format\": \"" + EXPORT_FORMAT + "\")");
    }
    String declared = text(doc, "checksum");
    ModelContent content = parseContent(field(doc, "content"));
    String actual = checksum(content);
    if (!actual.equals(declared)) {
      throw new ModelRefusedException(
          "checksum mismatch: the file declares "
              + declared
              + " but its content hashes to "
              + actual
              + "; the file was edited or damaged");
    }
    return content;
  }

  private static void numbers(ArrayNode target, List<Double> values) {
    values.forEach(target::add);
  }

  private static JsonNode field(JsonNode n, String name) {
    JsonNode v = n.get(name);
    if (v == null) {
      throw new ModelRefusedException("malformed model content: field '" + name + "' is missing");
    }
    return v;
  }

  private static String text(JsonNode n, String name) {
    JsonNode v = field(n, name);
    if (!v.isTextual()) {
      throw new ModelRefusedException(
          "malformed model content: field '" + name + "' must be a string");
    }
    return v.asText();
  }

  private static Instant instant(JsonNode n, String name) {
    return Instant.parse(text(n, name));
  }

  private static ModelKind kind(String label) {
    try {
      return ModelKind.fromLabel(label);
    } catch (IllegalArgumentException e) {
      throw new ModelRefusedException("malformed model content: unknown kind '" + label + "'");
    }
  }

  private static double number(JsonNode v, String name) {
    if (!v.isNumber()) {
      throw new ModelRefusedException(
          "malformed model content: '" + name + "' must be a number, got " + v);
    }
    return v.doubleValue();
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(e -> out.add(e.asText()));
    return out;
  }

  private static List<Double> doubles(JsonNode array) {
    if (!array.isArray()) {
      throw new ModelRefusedException(
          "malformed model content: expected an array of numbers, got " + array);
    }
    List<Double> out = new ArrayList<>();
    array.forEach(e -> out.add(number(e, "array element")));
    return out;
  }
}
