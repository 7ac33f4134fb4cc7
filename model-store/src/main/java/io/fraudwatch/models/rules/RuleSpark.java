package io.fraudwatch.models.rules;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** A small local Spark session for checking and testing rules outside the stream (the CLI). */
public final class RuleSpark {
  private RuleSpark() {}

  /** One core, no UI: Spark SQL's parser and analyzer, and local DataFrames. */
  public static SparkSession local() {
    SparkConf conf =
        new SparkConf()
            .setMaster("local[1]")
            .setAppName("fraudwatch-rules")
            .set("spark.ui.enabled", "false")
            .set("spark.log.level", "WARN")
            .set("spark.driver.host", "127.0.0.1")
            .set("spark.driver.bindAddress", "127.0.0.1")
            .set("spark.sql.shuffle.partitions", "1");
    return SparkSession.builder().config(conf).getOrCreate();
  }
}
