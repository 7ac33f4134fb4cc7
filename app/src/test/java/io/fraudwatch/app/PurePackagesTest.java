package io.fraudwatch.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The pure core stays pure: features, scoring math, learning and alert policies, metrics, the
 * simulator and the configuration are plain Java, unit-tested in milliseconds; Spark, Kafka and
 * JDBC belong to the edges.
 */
class PurePackagesTest {
  static final String[] PURE = {
    "io.fraudwatch.config",
    "io.fraudwatch.features",
    "io.fraudwatch.features.handbook",
    "io.fraudwatch.scoring",
    "io.fraudwatch.scoring.core",
    "io.fraudwatch.scoring.state",
    "io.fraudwatch.models.scoring",
    "io.fraudwatch.models.metrics",
    "io.fraudwatch.models.online",
    "io.fraudwatch.simulator"
  };
  static final String[] EDGES = {
    "org.apache.spark..",
    "org.apache.kafka..",
    "java.sql..",
    "javax.sql..",
    "org.postgresql..",
    "com.zaxxer.."
  };

  @Test
  void pureCoreImportsNoSparkKafkaOrJdbc() {
    JavaClasses classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.fraudwatch");

    noClasses()
        .that()
        .resideInAnyPackage(PURE)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(EDGES)
        .because("the pure core is plain Java; I/O stays at the edges")
        .check(classes);
  }
}
