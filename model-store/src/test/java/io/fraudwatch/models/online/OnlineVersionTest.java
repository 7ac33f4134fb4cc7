package io.fraudwatch.models.online;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudwatch.features.Standardisation;
import io.fraudwatch.models.ModelKind;
import io.fraudwatch.models.ModelValidator;
import io.fraudwatch.models.ModelVersion;
import io.fraudwatch.models.NewModelVersion;
import io.fraudwatch.models.TestModels;
import io.fraudwatch.models.metrics.MetricNames;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class OnlineVersionTest {

  private static final Instant WATERMARK = Instant.parse("2018-08-09T12:00:00Z");

  @Test
  void aValidOnlineChildOfTheVersionTheLearnerStartedFrom() {
    ModelVersion batch = new ModelVersion(12, OptionalLong.empty(), TestModels.valid(), "checksum");
    PrequentialWindow.Metrics window =
        new PrequentialWindow.Metrics(
            500,
            20,
            OptionalDouble.of(0.91),
            OptionalDouble.of(0.6),
            OptionalDouble.of(0.9),
            OptionalDouble.of(0.55));

    Standardisation learnerScale =
        new Standardisation(batch.content().meanArray(), batch.content().stdArray());
    NewModelVersion v =
        OnlineVersion.childOf(
            batch,
            learnerScale,
            new double[] {0.9, 0.2, 1.8, -4.0},
            Map.of("fraud.labels-0", 1234L),
            WATERMARK,
            480,
            window,
            Clock.fixed(Instant.parse("2026-11-25T13:00:00Z"), ZoneOffset.UTC),
            "scoring-job");

    assertThat(v.parentId()).hasValue(12);
    assertThat(v.content().kind()).isEqualTo(ModelKind.ONLINE);
    assertThat(v.content().weightArray()).containsExactly(0.9, 0.2, 1.8, -4.0);
    assertThat(v.content().means()).isEqualTo(batch.content().means());
    assertThat(v.content().threshold()).isEqualTo(batch.threshold());
    assertThat(v.content().training().labelWatermark()).contains(WATERMARK);
    assertThat(v.content().training().from()).isEqualTo(batch.content().training().to());
    assertThat(v.content().training().kafkaOffsets()).containsEntry("fraud.labels-0", 1234L);
    assertThat(v.content().metrics())
        .containsEntry(MetricNames.ONLINE_LABELS_LEARNED, 480.0)
        .containsEntry(MetricNames.PREQUENTIAL_AUC_ROC, 0.91)
        .containsEntry(MetricNames.PREQUENTIAL_CHAMPION_AVERAGE_PRECISION, 0.55);
    assertThat(new ModelValidator(TestModels.SCHEMA).problems(v.content())).isEmpty();
  }
}
