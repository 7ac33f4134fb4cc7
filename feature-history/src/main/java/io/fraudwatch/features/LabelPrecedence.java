package io.fraudwatch.features;

/**
 * Which of two verdicts on one transaction stands, whatever order they arrive in: an equal verdict
 * keeps the earliest time it became known; a different verdict known later replaces the current one
 * (a correction); at equal times fraud wins. The terminal history, the labels table and the online
 * learner all apply this rule, so a live job and a restarted one keep the same verdict.
 *
 * <p>The rule compares only the standing verdict with the new one, so it is order-independent for
 * two verdicts on a transaction, not for three or more that alternate: genuine at t1, fraud at t2
 * and genuine at t3 end as genuine at t3 in that order, but as fraud at t2 when the t3 label comes
 * before the t2 one (the t3 label only confirms t1's verdict, and is forgotten).
 */
public final class LabelPrecedence {

  private LabelPrecedence() {}

  /**
   * @param knownAtOrder the sign of (candidate's known-at compared with the current one's)
   * @return whether the candidate verdict replaces the current one
   */
  public static boolean supersedes(boolean candidateFraud, boolean currentFraud, int knownAtOrder) {
    if (candidateFraud == currentFraud) {
      return knownAtOrder < 0;
    }
    return knownAtOrder > 0 || (knownAtOrder == 0 && candidateFraud);
  }
}
