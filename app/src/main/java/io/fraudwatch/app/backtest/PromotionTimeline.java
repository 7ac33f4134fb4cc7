package io.fraudwatch.app.backtest;

import io.fraudwatch.models.Slot;
import io.fraudwatch.models.SlotChange;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Which version alerted (scored as champion) and which shadow-scored as challenger, from when to
 * when in event time, read from the scored rows in event-time order: a period is a run of
 * consecutive transactions scored by one version in that role, so a version that comes back (a
 * rollback) has a period each time. With the model store's audit trail it gives the champion's
 * changes, promotions and rollbacks, each with the event time from which the new champion scored.
 *
 * @param champion the champion's periods, in event-time order
 * @param challenger the challenger's periods, likewise (transactions without a challenger belong to
 *     none)
 */
public record PromotionTimeline(List<Period> champion, List<Period> challenger) {

  public PromotionTimeline {
    champion = List.copyOf(champion);
    challenger = List.copyOf(challenger);
  }

  /**
   * A version scoring in one role: the event times of its period's first and last transaction, and
   * how many it scored.
   */
  public record Period(long version, Instant from, Instant to, long transactions) {}

  /**
   * A change of the champion slot as the audit trail recorded it (wall time {@code recordedAt}),
   * with the event time of the first transaction the new champion scored (empty when it scored none
   * before the replay ended, e.g. replaced within the same step).
   */
  public record Change(
      SlotChange.Action action,
      Optional<Long> fromVersion,
      long toVersion,
      String actor,
      String reason,
      Instant recordedAt,
      Optional<Instant> firstScored) {

    /** "promote v1 -> v32" */
    public String describe() {
      return action.label()
          + " "
          + fromVersion.map(v -> "v" + v + " -> ").orElse("")
          + "v"
          + toVersion;
    }
  }

  /**
   * The champion slot's changes in the trail, oldest first, each placed at the first champion
   * period of its version after the one the previous change was placed at.
   */
  public List<Change> changes(List<SlotChange> trail) {
    List<Change> changes = new ArrayList<>();
    int next = 0;
    for (SlotChange c :
        trail.stream()
            .filter(c -> c.slot() == Slot.CHAMPION)
            .sorted(Comparator.comparingLong(SlotChange::eventId))
            .toList()) {
      Optional<Instant> first = Optional.empty();
      for (int i = next; i < champion.size(); i++) {
        if (champion.get(i).version() == c.toVersion()) {
          first = Optional.of(champion.get(i).from());
          next = i + 1;
          break;
        }
      }
      changes.add(
          new Change(
              c.action(),
              c.fromVersion().isPresent()
                  ? Optional.of(c.fromVersion().getAsLong())
                  : Optional.empty(),
              c.toVersion(),
              c.actor(),
              c.reason(),
              c.at(),
              first));
    }
    return changes;
  }

  /** Collects the periods from scored rows given in event-time order. */
  static final class Builder {
    private final List<Period> champion = new ArrayList<>();
    private final List<Period> challenger = new ArrayList<>();
    private Period championRun;
    private Period challengerRun;

    void add(ScoredRow row) {
      championRun = extend(champion, championRun, OptionalLong.of(row.modelVersion()), row);
      challengerRun = extend(challenger, challengerRun, row.challengerVersion(), row);
    }

    /** The run {@code version} continues or starts; the run it ends goes to {@code done}. */
    private static Period extend(
        List<Period> done, Period run, OptionalLong version, ScoredRow row) {
      if (run != null && version.isPresent() && run.version() == version.getAsLong()) {
        return new Period(run.version(), run.from(), row.eventTime(), run.transactions() + 1);
      }
      if (run != null) {
        done.add(run);
      }
      return version.isPresent()
          ? new Period(version.getAsLong(), row.eventTime(), row.eventTime(), 1)
          : null;
    }

    PromotionTimeline build() {
      List<Period> championPeriods = new ArrayList<>(champion);
      List<Period> challengerPeriods = new ArrayList<>(challenger);
      if (championRun != null) {
        championPeriods.add(championRun);
      }
      if (challengerRun != null) {
        challengerPeriods.add(challengerRun);
      }
      return new PromotionTimeline(championPeriods, challengerPeriods);
    }
  }
}
