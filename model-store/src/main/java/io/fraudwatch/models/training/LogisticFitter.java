package io.fraudwatch.models.training;

/**
 * Fits a logistic regression with an intercept; the Spark implementation runs MLlib, tests may run
 * anything.
 */
public interface LogisticFitter {

  /**
   * @param features one row per example, already standardised
   * @param fraud the labels
   * @param fraudWeight how much one fraud counts in the loss relative to one genuine transaction
   * @return one weight per feature followed by the intercept (the bias weight)
   */
  double[] fit(double[][] features, boolean[] fraud, double fraudWeight);
}
