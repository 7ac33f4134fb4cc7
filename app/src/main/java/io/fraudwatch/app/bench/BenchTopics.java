package io.fraudwatch.app.bench;

import io.fraudwatch.app.runtime.Services;
import io.fraudwatch.config.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Each system under test gets its own topics, named after the configured ones ({@code
 * fraud.transactions} becomes {@code fraud.transactions.bench-spark}), made afresh for every run:
 * the same records go into each system's transaction topic, and each system's alerts are timed on a
 * topic of their own.
 */
public final class BenchTopics {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private BenchTopics() {}

  public static Topics forSystem(Topics configured, String system) {
    String suffix = ".bench-" + system;
    return new Topics(
        configured.transactions() + suffix,
        configured.labels() + suffix,
        configured.alerts() + suffix,
        configured.deadLetter() + suffix);
  }

  /**
   * Deletes the topics if they exist, then creates them with {@code partitions} and waits for their
   * leaders.
   */
  static void recreate(Services services, Topics topics, int partitions) throws Exception {
    List<String> names = topics.all();
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    try (Admin admin = Admin.create(services.kafkaClient(Map.of()))) {
      List<String> old = names.stream().filter(admin.listTopics().names().get()::contains).toList();
      if (!old.isEmpty()) {
        admin.deleteTopics(old).all().get();
        // deletion completes asynchronously; a name is free again once it is no longer listed
        while (admin.listTopics().names().get().stream().anyMatch(old::contains)) {
          awaitOrFail(deadline, "deleting " + old);
        }
      }
      admin
          .createTopics(names.stream().map(n -> new NewTopic(n, partitions, (short) 1)).toList())
          .all()
          .get();
      while (!haveLeaders(admin, names)) {
        awaitOrFail(deadline, "waiting for the leaders of " + names);
      }
    }
  }

  /**
   * Whether every partition of the topics has a leader; a topic just made may not be known
   * everywhere yet.
   */
  private static boolean haveLeaders(Admin admin, List<String> names) throws Exception {
    try {
      return admin.describeTopics(names).allTopicNames().get().values().stream()
          .flatMap(t -> t.partitions().stream())
          .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        return false;
      }
      throw e;
    }
  }

  private static void awaitOrFail(long deadline, String what) throws InterruptedException {
    if (System.nanoTime() > deadline) {
      throw new IllegalStateException(what + " took longer than " + TIMEOUT.toSeconds() + " s");
    }
    Thread.sleep(50);
  }
}
