package io.fraudwatch.avro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The build's guard on the contracts: the current schemas are recorded in the bundled history and
 * read, and are read by, every earlier version, so an incompatible change fails here.
 */
class SchemaHistoryTest {
  private static final ClassLoader LOADER = SchemaHistoryTest.class.getClassLoader();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> IGNORED_PROPERTIES = Set.of("doc", "avro.java.string");

  static Stream<AvroCodec<?>> contracts() {
    return Stream.of(AvroCodec.TRANSACTION, AvroCodec.LABEL, AvroCodec.ALERT);
  }

  @ParameterizedTest
  @MethodSource("contracts")
  void theBundledHistoryRecordsTheCurrentSchema(AvroCodec<?> codec) throws IOException {
    List<JsonNode> versions =
        SchemaHistory.bundled().versionsOf(codec.schema().getFullName()).stream()
            .map(SchemaHistoryTest::structure)
            .toList();

    assertThat(versions)
        .as(
            "%s changed: add it to %s as a new version",
            codec.schema().getName(), SchemaHistory.BUNDLED_INDEX)
        .contains(structure(codec.schema()));
  }

  @ParameterizedTest
  @MethodSource("contracts")
  void theCurrentSchemaIsBackwardAndForwardCompatibleWithItsWholeHistory(AvroCodec<?> codec) {
    assertThat(SchemaHistory.bundled().incompatibilitiesWith(codec.schema())).isEmpty();
  }

  @Test
  void theBundledHistoryHoldsOnlyTheContracts() {
    assertThat(SchemaHistory.bundled().recordNames())
        .containsExactlyInAnyOrderElementsOf(
            contracts().map(codec -> codec.schema().getFullName()).toList());
  }

  @Test
  void detectsAVersionThatCannotReadOrBeReadByTheCurrentSchema() throws IOException {
    SchemaHistory history = SchemaHistory.of(List.of(parse("Transaction-amount-as-string.avsc")));

    assertThat(history.incompatibilitiesWith(Transaction.getClassSchema()))
        .anySatisfy(
            problem ->
                assertThat(problem)
                    .startsWith("current cannot read Transaction history entry 1")
                    .contains("TYPE_MISMATCH"))
        .anySatisfy(
            problem ->
                assertThat(problem)
                    .startsWith("Transaction history entry 1 cannot read current")
                    .contains("TYPE_MISMATCH"));
  }

  @Test
  void detectsAVersionThatCannotReadTheCurrentSchema() throws IOException {
    SchemaHistory history =
        SchemaHistory.of(List.of(parse("Transaction-required-field-added.avsc")));

    assertThat(history.incompatibilitiesWith(Transaction.getClassSchema()))
        .singleElement()
        .asString()
        .startsWith("Transaction history entry 1 cannot read current")
        .contains("READER_FIELD_MISSING_DEFAULT_VALUE", "merchantCategoryCode");
  }

  @Test
  void aCodecRefusesAWriterSchemaItCannotRead() throws IOException {
    SchemaHistory history = SchemaHistory.of(List.of(parse("Transaction-amount-as-string.avsc")));

    assertThatThrownBy(() -> AvroCodec.of(Transaction.class, history))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Transaction cannot read a writer schema in its history")
        .hasMessageContaining("TYPE_MISMATCH");
  }

  @Test
  void keepsTheIndexOrderAndSkipsComments() {
    SchemaHistory history = SchemaHistory.load(LOADER, "io/fraudwatch/avro/evolution/index.txt");

    assertThat(history.versionsOf(Transaction.getClassSchema().getFullName()))
        .extracting(schema -> schema.getFields().size())
        .containsExactly(5, 9);
    assertThat(history.versionsOf("io.fraudwatch.avro.Nothing")).isEmpty();
  }

  @Test
  void namesAMissingIndex() {
    assertThatThrownBy(() -> SchemaHistory.load(LOADER, "io/fraudwatch/avro/nowhere/index.txt"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("io/fraudwatch/avro/nowhere/index.txt");
  }

  @Test
  void namesAListedSchemaThatIsMissing() {
    assertThatThrownBy(() -> SchemaHistory.load(LOADER, "io/fraudwatch/avro/broken/index.txt"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("io/fraudwatch/avro/broken/Transaction-v0-required-only.avsc")
        .hasMessageContaining("listed in io/fraudwatch/avro/broken/index.txt");
  }

  @Test
  void refusesASchemaThatIsNotARecord() {
    assertThatThrownBy(() -> SchemaHistory.of(List.of(Schema.create(Schema.Type.STRING))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("STRING");
  }

  private static Schema parse(String evolutionResource) throws IOException {
    try (InputStream in =
        LOADER.getResourceAsStream("io/fraudwatch/avro/evolution/" + evolutionResource)) {
      return new Schema.Parser().parse(in);
    }
  }

  /**
   * The schema's JSON without docs and without the compiler's {@code avro.java.string} hints:
   * unlike the fingerprint, it still covers defaults, logical types and aliases, which also make a
   * new version.
   */
  private static JsonNode structure(Schema schema) {
    try {
      return structure(JSON.readTree(schema.toString()));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode structure(JsonNode node) {
    if (node instanceof ObjectNode object) {
      ObjectNode kept = JSON.createObjectNode();
      object.properties().stream()
          .filter(property -> !IGNORED_PROPERTIES.contains(property.getKey()))
          .forEach(property -> kept.set(property.getKey(), structure(property.getValue())));
      // {"type": "string"} and "string" are the same schema once the hint is gone
      return kept.size() == 1 && kept.path("type").isTextual() ? kept.get("type") : kept;
    }
    if (node instanceof ArrayNode array) {
      ArrayNode kept = JSON.createArrayNode();
      array.forEach(element -> kept.add(structure(element)));
      return kept;
    }
    return node;
  }
}
