package io.fraudwatch.models.online;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudwatch.features.Standardisation;
import io.fraudwatch.models.ModelVersion;
import io.fraudwatch.models.NewModelVersion;
import io.fraudwatch.models.Slot;
import io.fraudwatch.models.SlotChange;
import io.fraudwatch.models.TestModels;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class LearnerStartTest {
  private static final String LEARNER = "online-learner";
  private static final Instant T = Instant.parse("2026-11-25T10:00:00Z");
  private static final Instant W2 = Instant.parse("2018-08-03T00:00:00Z");
  private static final Instant W3 = Instant.parse("2018-08-05T00:00:00Z");

  private final ModelVersion v1 =
      new ModelVersion(1, OptionalLong.empty(), TestModels.valid(), "c1");
  private final ModelVersion v2 = online(2, v1, W2, T.plusSeconds(3600));
  private final ModelVersion v3 = online(3, v2, W3, T.plusSeconds(7200));
  private final SlotChange championV1 = change(1, Slot.CHAMPION, 1, "alice", T);
  private final SlotChange challengerV2 =
      change(2, Slot.CHALLENGER, 2, LEARNER, T.plusSeconds(3600));
  private final SlotChange challengerV3 =
      change(3, Slot.CHALLENGER, 3, LEARNER, T.plusSeconds(7200));

  @Test
  void withoutOnlineVersionsStartsFromTheChampionAfterItsTrainingWindow() {
    LearnerStart start = LearnerStart.choose(List.of(v1), List.of(championV1), v1, LEARNER);

    assertThat(start.base()).isEqualTo(v1);
    assertThat(start.resumeAfter()).isEqualTo(v1.content().training().to());
    assertThat(start.why()).contains("v1");
  }

  @Test
  void resumesFromTheNewestOnlineVersionAndItsWatermark() {
    LearnerStart start =
        LearnerStart.choose(
            List.of(v1, v2, v3), List.of(championV1, challengerV2, challengerV3), v1, LEARNER);

    assertThat(start.base()).isEqualTo(v3);
    assertThat(start.resumeAfter()).isEqualTo(W3);
    assertThat(start.why()).contains("newest online version");
  }

  @Test
  void anOperatorsLaterChoiceWinsButLabelsAlreadyLearnedStayLearned() {
    SlotChange rollback = change(4, Slot.CHALLENGER, 2, "bob", T.plusSeconds(9000));

    LearnerStart start =
        LearnerStart.choose(
            List.of(v1, v2, v3),
            List.of(championV1, challengerV2, challengerV3, rollback),
            v1,
            LEARNER);

    assertThat(start.base()).isEqualTo(v2);
    assertThat(start.resumeAfter())
        .as("v3 learned up to W3; those labels are not learned again")
        .isEqualTo(W3);
    assertThat(start.why()).contains("bob");
  }

  @Test
  void anOperatorsChoiceBeforeTheNewestOnlineVersionIsAlreadyBuiltOn() {
    SlotChange earlier = change(4, Slot.CHAMPION, 2, "bob", T.plusSeconds(5000));

    LearnerStart start =
        LearnerStart.choose(
            List.of(v1, v2, v3),
            List.of(championV1, challengerV2, earlier, challengerV3),
            v2,
            LEARNER);

    assertThat(start.base()).isEqualTo(v3);
  }

  private static ModelVersion online(
      long id, ModelVersion parent, Instant watermark, Instant created) {
    Standardisation scale =
        new Standardisation(parent.content().meanArray(), parent.content().stdArray());
    PrequentialWindow.Metrics none =
        new PrequentialWindow.Metrics(
            0,
            0,
            OptionalDouble.empty(),
            OptionalDouble.empty(),
            OptionalDouble.empty(),
            OptionalDouble.empty());
    NewModelVersion v =
        OnlineVersion.childOf(
            parent,
            scale,
            new double[] {0.1 * id, 0.2, 1.8, -4.0},
            Map.of(),
            watermark,
            100,
            none,
            Clock.fixed(created, ZoneOffset.UTC),
            LEARNER);
    return new ModelVersion(id, OptionalLong.of(parent.id()), v.content(), "c" + id);
  }

  private static SlotChange change(long event, Slot slot, long to, String actor, Instant at) {
    return new SlotChange(
        event,
        "fraud-lr",
        slot,
        SlotChange.Action.PROMOTE,
        OptionalLong.empty(),
        to,
        actor,
        at,
        "test",
        java.util.Optional.of("fraudwatch"));
  }
}
