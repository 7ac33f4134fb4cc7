package io.fraudwatch.features.history;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/** Collects what one class logs at INFO and above while open. */
final class CapturedLog extends AbstractAppender implements AutoCloseable {

  record Line(Level level, String message) {}

  private final Logger logger;
  private final List<Line> lines = new CopyOnWriteArrayList<>();

  private CapturedLog(Logger logger) {
    super("captured-" + logger.getName(), null, null, true, Property.EMPTY_ARRAY);
    this.logger = logger;
  }

  static CapturedLog of(Class<?> source) {
    CapturedLog log = new CapturedLog((Logger) LogManager.getLogger(source));
    log.start();
    log.logger.addAppender(log);
    return log;
  }

  @Override
  public void append(LogEvent event) {
    if (event.getLevel().isMoreSpecificThan(Level.INFO)) {
      lines.add(new Line(event.getLevel(), event.getMessage().getFormattedMessage()));
    }
  }

  List<Line> lines() {
    return List.copyOf(lines);
  }

  List<Line> at(Level level) {
    return lines.stream().filter(l -> l.level() == level).toList();
  }

  @Override
  public void close() {
    logger.removeAppender(this);
    stop();
  }
}
