package io.fraudwatch.app;

import io.fraudwatch.app.runtime.RuntimeConfig;
import io.fraudwatch.app.runtime.Services;
import io.fraudwatch.config.Cli;
import io.fraudwatch.config.CommandFailure;
import io.fraudwatch.config.JdbcUrls;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import picocli.CommandLine.Option;

/**
 * The commands that write test data (demo, bench, backtest) into configured services refuse a
 * database or a broker that holds data they did not write, unless {@code --allow-existing-data}: a
 * mistyped {@code jdbc.url} or {@code kafka.bootstrap} must not fill production with simulated
 * transactions (or let the bench delete rows). Each run marks what it writes to: a row in {@code
 * fraudwatch.scratch_runs}, the topic {@value #MARKER_TOPIC}. Embedded services are the command's
 * own (a fresh work directory) and are not checked.
 */
final class ExistingDataGuard {
  static final String MARKER_TOPIC = "fraudwatch.scratch-runs";
  static final List<String> TABLES =
      List.of(
          "scored_transactions",
          "alerts",
          "labels",
          "transaction_history",
          "stream_offsets",
          "batch_metrics",
          "model_versions");
  private static final long TIMEOUT_SECONDS = 30;

  /** The flag, as a picocli mixin. */
  static final class Flag {
    @Option(
        names = "--allow-existing-data",
        description =
            "write into configured services (jdbc.url,"
                + " kafka.bootstrap) even though they hold data that no demo, bench or backtest wrote")
    boolean allowExistingData;
  }

  private ExistingDataGuard() {}

  /**
   * Refuses (exit 4) configured services with data of others, or marks them as written by {@code
   * command}.
   *
   * @param topics the topics the command writes to (their records count as data)
   */
  static void check(
      String command,
      RuntimeConfig config,
      Services services,
      List<String> topics,
      boolean allow,
      PrintWriter err)
      throws Exception {
    List<String> refusals = new ArrayList<>();
    if (!config.database().embedded()) {
      databaseData(services).ifPresent(refusals::add);
    }
    if (!config.kafka().embedded()) {
      kafkaData(services, topics).ifPresent(refusals::add);
    }
    if (!refusals.isEmpty()) {
      if (!allow) {
        throw new CommandFailure(
            Cli.REFUSED,
            String.join("; ", refusals)
                + ". The "
                + command
                + " writes test data"
                + (command.equals("bench") ? " and deletes its own rows between runs" : "")
                + ": point it at a sandbox,"
                + " or pass --allow-existing-data if this is one");
      }
      err.println("note: --allow-existing-data: " + String.join("; ", refusals));
    }
    if (!config.database().embedded()) {
      markDatabase(services, command);
    }
    if (!config.kafka().embedded()) {
      markKafka(services, err);
    }
  }

  private static Optional<String> databaseData(Services services) throws SQLException {
    try (Connection c = services.jobDataSource().getConnection()) {
      if (exists(c, "SELECT EXISTS (SELECT 1 FROM fraudwatch.scratch_runs)")) {
        return Optional.empty();
      }
      List<String> withRows = new ArrayList<>();
      for (String table : TABLES) {
        if (exists(c, "SELECT EXISTS (SELECT 1 FROM fraudwatch." + table + ")")) {
          withRows.add("fraudwatch." + table);
        }
      }
      return withRows.isEmpty()
          ? Optional.empty()
          : Optional.of(
              "PostgreSQL at "
                  + JdbcUrls.redact(services.jdbcUrl())
                  + " holds data that no demo, bench or backtest wrote (rows in "
                  + String.join(", ", withRows)
                  + ")");
    } catch (SQLException e) {
      if ("42P01".equals(e.getSQLState())) {
        throw new CommandFailure(
            Cli.USAGE,
            "PostgreSQL at "
                + JdbcUrls.redact(services.jdbcUrl())
                + " lacks the schema ("
                + e.getMessage()
                + "): run bin/fraudwatch migrate first",
            e);
      }
      throw e;
    }
  }

  private static void markDatabase(Services services, String command) throws SQLException {
    try (Connection c = services.jobDataSource().getConnection();
        PreparedStatement ps =
            c.prepareStatement("INSERT INTO fraudwatch.scratch_runs (command) VALUES (?)")) {
      ps.setString(1, command);
      ps.executeUpdate();
    }
  }

  private static boolean exists(Connection c, String sql) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getBoolean(1);
    }
  }

  private static Optional<String> kafkaData(Services services, List<String> topics)
      throws Exception {
    try (Admin admin = Admin.create(services.kafkaClient(Map.of()))) {
      Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      if (existing.contains(MARKER_TOPIC)) {
        return Optional.empty();
      }
      List<String> present = topics.stream().filter(existing::contains).toList();
      if (present.isEmpty()) {
        return Optional.empty();
      }
      List<TopicPartition> partitions =
          admin
              .describeTopics(present)
              .allTopicNames()
              .get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
              .values()
              .stream()
              .flatMap(
                  d ->
                      d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition())))
              .toList();
      var earliest =
          admin
              .listOffsets(
                  partitions.stream()
                      .collect(Collectors.toMap(Function.identity(), tp -> OffsetSpec.earliest())))
              .all()
              .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      var latest =
          admin
              .listOffsets(
                  partitions.stream()
                      .collect(Collectors.toMap(Function.identity(), tp -> OffsetSpec.latest())))
              .all()
              .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      List<String> withRecords =
          partitions.stream()
              .filter(tp -> latest.get(tp).offset() > earliest.get(tp).offset())
              .map(TopicPartition::topic)
              .distinct()
              .sorted()
              .toList();
      return withRecords.isEmpty()
          ? Optional.empty()
          : Optional.of(
              "Kafka at "
                  + services.kafkaBootstrap()
                  + " holds records that no demo, bench or backtest wrote (in "
                  + String.join(", ", withRecords)
                  + ")");
    }
  }

  private static void markKafka(Services services, PrintWriter err) throws Exception {
    try (Admin admin = Admin.create(services.kafkaClient(Map.of()))) {
      admin
          .createTopics(List.of(new NewTopic(MARKER_TOPIC, Optional.of(1), Optional.empty())))
          .all()
          .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        err.println(
            "warning: could not create the marker topic "
                + MARKER_TOPIC
                + " ("
                + e.getCause().getMessage()
                + "); the next run will need --allow-existing-data");
      }
    }
  }
}
