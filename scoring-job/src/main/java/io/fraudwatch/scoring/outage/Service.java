package io.fraudwatch.scoring.outage;

/** The services the job cannot work without. */
public enum Service {
  POSTGRESQL("PostgreSQL"),
  KAFKA("Kafka");

  private final String label;

  Service(String label) {
    this.label = label;
  }

  @Override
  public String toString() {
    return label;
  }
}
