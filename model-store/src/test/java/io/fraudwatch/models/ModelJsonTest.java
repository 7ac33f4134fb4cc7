package io.fraudwatch.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ModelJsonTest {

  private final ModelContent content = TestModels.valid();
  private final ModelVersion stored =
      new ModelVersion(7, OptionalLong.of(3), content, ModelJson.checksum(content));

  @Test
  void checksumIsSha256HexAndDependsOnEveryValue() {
    assertThat(ModelJson.checksum(content))
        .matches("[0-9a-f]{64}")
        .isEqualTo(ModelJson.checksum(TestModels.valid()))
        .isNotEqualTo(ModelJson.checksum(TestModels.valid(1)));
    ModelContent otherThreshold = TestModels.content(content.weights(), 0.51, content.metrics());
    assertThat(ModelJson.checksum(otherThreshold)).isNotEqualTo(ModelJson.checksum(content));
  }

  @Test
  void exportRoundTripsTheContentExactly() {
    ModelContent back = ModelJson.parseExport(ModelJson.exportDocument(stored));
    assertThat(back).isEqualTo(content);
    assertThat(ModelJson.checksum(back)).isEqualTo(stored.checksum());
  }

  @Test
  void aTamperedWeightIsRefused() {
    String doc = ModelJson.exportDocument(stored);
    String tampered = doc.replace("-4.2", "-3.2");
    assertThat(tampered).isNotEqualTo(doc);
    assertThatThrownBy(() -> ModelJson.parseExport(tampered))
        .isInstanceOf(ModelRefusedException.class)
        .hasMessageContaining("checksum mismatch")
        .hasMessageContaining("the file was edited or damaged");
  }

  @Test
  void aTamperedChecksumIsRefused() {
    String doc = ModelJson.exportDocument(stored);
    String tampered = doc.replace(stored.checksum(), "0".repeat(64));
    assertThatThrownBy(() -> ModelJson.parseExport(tampered))
        .hasMessageContaining("checksum mismatch");
  }

  @Test
  void aFeatureListThatDisagreesWithItsHashIsRefused() {
    String tampered = ModelJson.exportDocument(stored).replace("\"night\"", "\"weekend\"");
    assertThatThrownBy(() -> ModelJson.parseExport(tampered))
        .isInstanceOf(ModelRefusedException.class)
        .hasMessageContaining("featureSchemaHash");
  }

  @Test
  void somethingElseIsNotAnExport() {
    assertThatThrownBy(() -> ModelJson.parseExport("{\"hello\": 1}"))
        .isInstanceOf(ModelRefusedException.class)
        .hasMessageContaining("not a Fraudwatch model export");
    assertThatThrownBy(() -> ModelJson.parseExport("not json"))
        .isInstanceOf(ModelRefusedException.class)
        .hasMessageContaining("not a JSON document");
  }
}
