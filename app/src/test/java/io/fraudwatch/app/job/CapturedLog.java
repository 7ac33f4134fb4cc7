package io.fraudwatch.app.job;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/** The messages one logger writes while the test runs ("LEVEL message"). */
final class CapturedLog implements AutoCloseable {
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final Logger logger;
  private final AbstractAppender appender;

  CapturedLog(Class<?> source) {
    this(source.getName());
  }

  /** The logger of a class this package cannot see, by its name. */
  CapturedLog(String loggerName) {
    logger = (Logger) LogManager.getLogger(loggerName);
    appender =
        new AbstractAppender(
            "captured-" + System.nanoTime(), null, null, true, Property.EMPTY_ARRAY) {
          @Override
          public void append(LogEvent event) {
            lines.add(event.getLevel() + " " + event.getMessage().getFormattedMessage());
          }
        };
    appender.start();
    logger.addAppender(appender);
  }

  List<String> lines() {
    return List.copyOf(lines);
  }

  List<String> containing(String text) {
    return lines.stream().filter(l -> l.contains(text)).toList();
  }

  @Override
  public void close() {
    logger.removeAppender(appender);
    appender.stop();
  }
}
