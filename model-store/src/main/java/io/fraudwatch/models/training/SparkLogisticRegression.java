package io.fraudwatch.models.training;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fits with Spark MLlib's logistic regression (L-BFGS) in local mode, inside the calling JVM.
 *
 * <p>The intercept is fitted as MLlib's intercept and returned as the bias weight: scoring with the
 * appended constant-1 input gives the same scores. (An appended constant column with {@code
 * fitIntercept=false} would not work: MLlib gives constant columns zero coefficients.) Features
 * arrive standardised, so MLlib's own standardisation is off; frauds are weighted through the
 * instance-weight column.
 */
public final class SparkLogisticRegression implements LogisticFitter {

  private static final Logger LOG = LoggerFactory.getLogger(SparkLogisticRegression.class);

  private final double regParam;
  private final int maxIterations;

  /**
   * @param regParam L2 regularisation strength; @param maxIterations L-BFGS iterations at most
   */
  public SparkLogisticRegression(double regParam, int maxIterations) {
    if (!(regParam >= 0) || Double.isInfinite(regParam)) {
      throw new IllegalArgumentException("regularisation must be >= 0, got " + regParam);
    }
    if (maxIterations < 1) {
      throw new IllegalArgumentException("max iterations must be >= 1, got " + maxIterations);
    }
    this.regParam = regParam;
    this.maxIterations = maxIterations;
  }

  @Override
  public double[] fit(double[][] features, boolean[] fraud, double fraudWeight) {
    SparkConf conf =
        new SparkConf()
            .setMaster("local[*]")
            .setAppName("fraudwatch-models-train")
            .set("spark.ui.enabled", "false")
            .set("spark.log.level", "WARN")
            .set("spark.driver.host", "127.0.0.1")
            .set("spark.driver.bindAddress", "127.0.0.1")
            .set("spark.sql.shuffle.partitions", "4");
    StructType schema =
        new StructType()
            .add("label", DataTypes.DoubleType, false)
            .add("weight", DataTypes.DoubleType, false)
            .add("features", SQLDataTypes.VectorType(), false);
    List<Row> rows = new ArrayList<>(features.length);
    for (int i = 0; i < features.length; i++) {
      rows.add(
          RowFactory.create(
              fraud[i] ? 1.0 : 0.0, fraud[i] ? fraudWeight : 1.0, Vectors.dense(features[i])));
    }
    SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
    try {
      // materialised once and cut from its lineage: otherwise every L-BFGS pass would ship the rows
      // again
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      int slices = jsc.defaultParallelism();
      Dataset<Row> data =
          spark.createDataFrame(jsc.parallelize(rows, slices), schema).localCheckpoint();
      LogisticRegressionModel model =
          new LogisticRegression()
              .setFitIntercept(true)
              .setStandardization(false)
              .setRegParam(regParam)
              .setElasticNetParam(0.0)
              .setMaxIter(maxIterations)
              .setTol(1e-6)
              .setWeightCol("weight")
              .fit(data);
      LOG.info(
          "logistic regression: {} L-BFGS iterations over {} rows in {} slices",
          model.summary().totalIterations(),
          features.length,
          slices);
      double[] coefficients = model.coefficients().toArray();
      double[] weights = new double[coefficients.length + 1];
      System.arraycopy(coefficients, 0, weights, 0, coefficients.length);
      weights[coefficients.length] = model.intercept();
      return weights;
    } finally {
      spark.stop();
    }
  }
}
