package io.fraudwatch.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * The job jar carries the job and what a Spark distribution lacks, and nothing of the launcher or
 * of Spark.
 */
class JobJarIT {
  private static final Path JOB_JAR = Path.of(System.getProperty("fraudwatch.job-jar"));

  @Test
  void holdsTheJobTheKafkaIntegrationAndTheDatabaseClientsButNotWhatTheClusterOrTheLauncherHas()
      throws Exception {
    List<String> entries;
    try (JarFile jar = new JarFile(JOB_JAR.toFile())) {
      entries = jar.stream().map(e -> e.getName()).toList();
    }

    assertThat(entries)
        .contains(
            "io/fraudwatch/scoring/job/ScoringJobMain.class",
            "io/fraudwatch/avro/Transaction.class",
            "io/fraudwatch/features/HandbookFeatures.class",
            "io/fraudwatch/models/ModelStore.class",
            "io/fraudwatch/models/rules/CompiledRules.class",
            "org/apache/spark/streaming/kafka010/KafkaUtils.class",
            "org/apache/kafka/clients/consumer/KafkaConsumer.class",
            "com/zaxxer/hikari/HikariDataSource.class",
            "org/postgresql/Driver.class",
            "picocli/CommandLine.class",
            "io/prometheus/metrics/core/metrics/Counter.class",
            "io/prometheus/metrics/exporter/httpserver/HTTPServer.class",
            "META-INF/services/java.sql.Driver");
    // Spark, Scala and what Spark ships are the cluster's; the launcher's parts never run there
    for (String absent :
        List.of(
            "org/apache/spark/SparkContext",
            "org/apache/spark/streaming/StreamingContext",
            "scala/",
            "org/apache/avro/",
            "com/fasterxml/jackson/",
            "org/slf4j/",
            "kafka/server/",
            "io/zonky/",
            "org/jfree/",
            "io/fraudwatch/simulator/",
            "io/fraudwatch/app/",
            "io/fraudwatch/embedded/",
            "io/fraudwatch/bench/",
            "org/flywaydb/",
            "org/openjdk/jmh/")) {
      assertThat(entries)
          .as("entries starting with " + absent)
          .noneMatch(e -> e.startsWith(absent));
    }
  }
}
