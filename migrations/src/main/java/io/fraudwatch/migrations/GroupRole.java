package io.fraudwatch.migrations;

/** The NOLOGIN group roles that the migrations create; login users are made members of one of them. */
public enum GroupRole {
  /** The scoring job: reads and writes the fraudwatch tables. */
  JOB("fraudwatch_job"),
  /** Analysts: SELECT on the analyst-facing tables and views only, read-only transactions by default. */
  ANALYST("fraudwatch_analyst");

  private final String roleName;

  GroupRole(String roleName) {
    this.roleName = roleName;
  }

  /** The role's name in PostgreSQL. */
  public String roleName() {
    return roleName;
  }
}
