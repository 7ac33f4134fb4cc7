package io.fraudwatch.scoring;

import java.time.Instant;
import java.util.List;

/**
 * Scored transactions for tests (of this module and, through its test jar, of the application's): a
 * row decided by the model alone, with defaults that a test overrides where they matter to it.
 */
public final class ScoredRows {
  private ScoredRows() {}

  /**
   * Transaction {@code id} at {@code eventTime} and {@code offset} of partition 0: customer "C",
   * terminal "T", amount 10, one feature, score 0.1 by model version 1 against threshold 0.5, no
   * challenger, no alert, no reason codes.
   */
  public static Builder row(String id, Instant eventTime, long offset) {
    return new Builder(id, eventTime, offset);
  }

  /** The same with the event time as ISO-8601 text, e.g. {@code 2018-04-01T10:00:00Z}. */
  public static Builder row(String id, String eventTime, long offset) {
    return row(id, Instant.parse(eventTime), offset);
  }

  public static final class Builder {
    private final String id;
    private final Instant eventTime;
    private final long offset;
    private String customer = "C";
    private String terminal = "T";
    private double amount = 10;
    private double[] features = {1};
    private double score = 0.1;
    private long modelVersion = 1;
    private double threshold = 0.5;
    private boolean alert;
    private List<ReasonCode> reasonCodes = List.of();
    private int partition;

    private Builder(String id, Instant eventTime, long offset) {
      this.id = id;
      this.eventTime = eventTime;
      this.offset = offset;
    }

    public Builder customer(String customer) {
      this.customer = customer;
      return this;
    }

    public Builder terminal(String terminal) {
      this.terminal = terminal;
      return this;
    }

    public Builder amount(double amount) {
      this.amount = amount;
      return this;
    }

    public Builder features(double... features) {
      this.features = features;
      return this;
    }

    /** The champion's score, model version and threshold; the row alerts when it is reached. */
    public Builder scored(double score, long modelVersion, double threshold) {
      this.score = score;
      this.modelVersion = modelVersion;
      this.threshold = threshold;
      this.alert = score >= threshold;
      return this;
    }

    public Builder reasonCodes(ReasonCode... reasonCodes) {
      this.reasonCodes = List.of(reasonCodes);
      return this;
    }

    public Builder partition(int partition) {
      this.partition = partition;
      return this;
    }

    public ScoredTransaction build() {
      return new ScoredTransaction(
          id,
          eventTime,
          customer,
          terminal,
          amount,
          features,
          score,
          modelVersion,
          threshold,
          null,
          null,
          alert,
          reasonCodes,
          partition,
          offset);
    }
  }
}
