package io.fraudwatch.migrations;

/**
 * The NOLOGIN group roles that the migrations create; login users are made members of one of them.
 */
public enum GroupRole {
  /**
   * The scoring job: reads the fraudwatch tables, inserts into them, and updates only what its work
   * changes (labels, the label columns of the terminal history, offsets, batch metrics, model
   * slots); never deletes.
   */
  JOB("fraudwatch_job"),
  /**
   * Analysts: SELECT on the analyst-facing tables and views only, read-only transactions by
   * default.
   */
  ANALYST("fraudwatch_analyst"),
  /**
   * Model operators and maintenance: read every product table, store model versions and move slots
   * (`bin/fraudwatch models`), create partitions ahead and apply retention.
   */
  OPERATOR("fraudwatch_operator"),
  /**
   * Investigators: read the alerts and what analysts read, and record dispositions on alerts
   * (INSERT into the append-only {@code alert_reviews}); nothing else.
   */
  INVESTIGATOR("fraudwatch_investigator");

  private final String roleName;

  GroupRole(String roleName) {
    this.roleName = roleName;
  }

  /** The role's name in PostgreSQL. */
  public String roleName() {
    return roleName;
  }
}
