package io.fraudwatch.scoring.state;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Splits a customer's transactions into sessions by inactivity: a transaction more than the gap
 * after the session's last one (in event time) ends the session and starts the next. Pure, so that
 * the stream, the rebuild at start and the tests split alike.
 */
public final class Sessionizer {

  private Sessionizer() {}

  /**
   * What a customer's new transactions do to the open session.
   *
   * @param closed sessions that ended, oldest first
   * @param open the session still open after them
   * @param late transactions left out: they came more than the gap before the open session began
   */
  public record Folded(List<Session> closed, Session open, int late) {}

  /**
   * Adds {@code events} (in any order; taken in event-time order) to {@code open} (null when the
   * customer has none). A transaction more than the gap before the open session's start belongs to
   * an earlier session, which has ended; it is left out of the sessions, not added to the open one
   * (which would stretch it back over the sessions in between).
   */
  public static Folded fold(Session open, List<StoredEvent> events, long gapMs) {
    List<StoredEvent> ordered = new ArrayList<>(events);
    ordered.sort(Comparator.comparingLong(StoredEvent::eventTimeMs));
    List<Session> closed = new ArrayList<>();
    Session current = open;
    int late = 0;
    for (StoredEvent e : ordered) {
      if (current == open && open != null && open.startMs() - e.eventTimeMs() > gapMs) {
        late++;
      } else if (current == null) {
        current = Session.start(e);
      } else if (e.eventTimeMs() - current.endMs() > gapMs) {
        closed.add(current);
        current = Session.start(e);
      } else {
        current = current.add(e);
      }
    }
    return new Folded(closed, current, late);
  }
}
