package io.fraudwatch.app.chaos;

import io.fraudwatch.config.Keyed;
import java.time.Duration;
import java.util.List;

/** The faults of the matrix, in the order they run. */
public enum ChaosFault implements Keyed {
  SCORER_KILL(
      "scorer-kill", "the scorer SIGKILLed 10 times at seeded points, once in the commit window"),
  TASK_FAILURE(
      "task-failure",
      "partition tasks throw mid-partition, between the alert sends and the commit"),
  BROKER_KILL(
      "broker-kill",
      "the broker SIGKILLed 3 times and started again on the same port and log directory"),
  POSTGRES_STOP("postgres-stop", "PostgreSQL stopped immediately for 20 s and started again"),
  POSTGRES_TERMINATE(
      "postgres-terminate",
      "the job's PostgreSQL backends ended with pg_terminate_backend, 3 times"),
  POISON("poison", "1,000 poison transactions of every kind, and poison labels"),
  REPEATED_IDS(
      "repeated-ids",
      "earlier transaction ids at new offsets, with the same and a changed event time"),
  ALERTS_LOCK("alerts-lock", "the alerts table locked for 60 s"),
  OVERLOAD("overload", "twice the rate the scorer is set to take, for 2 minutes"),
  RESTART_RECONFIGURED(
      "restart-reconfigured", "a restart with another batch interval and another partition count");

  private final String id;
  private final String description;

  ChaosFault(String id, String description) {
    this.id = id;
    this.description = description;
  }

  @Override
  public String key() {
    return id;
  }

  public String description() {
    return description;
  }

  /** Sends the fault's workload and injects it; returns what was injected. */
  String inject(ChaosRun run) throws Exception {
    return switch (this) {
      case SCORER_KILL -> run.scorerKills(10);
      case TASK_FAILURE -> run.failingCommits();
      case BROKER_KILL -> run.brokerKills(3);
      case POSTGRES_STOP -> run.postgresStop(Duration.ofSeconds(20));
      case POSTGRES_TERMINATE -> run.terminateBackends(3);
      case POISON -> run.poison(1000);
      case REPEATED_IDS -> run.repeatedIds(200);
      case ALERTS_LOCK -> run.lockAlerts(Duration.ofSeconds(60));
      case OVERLOAD -> run.overload(Duration.ofMinutes(2));
      case RESTART_RECONFIGURED -> run.restartReconfigured();
    };
  }

  /** Checks of the fault's own, after the common ones. */
  List<String> afterCheck(ChaosRun run) throws Exception {
    return switch (this) {
      case TASK_FAILURE -> run.failingCommitsCheck();
      case POISON -> run.poisonCheck();
      case RESTART_RECONFIGURED -> run.restartReconfiguredCheck();
      default -> List.of();
    };
  }
}
