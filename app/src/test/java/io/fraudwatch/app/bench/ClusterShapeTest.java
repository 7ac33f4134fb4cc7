package io.fraudwatch.app.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ClusterShapeTest {

  @Test
  void sizesInSparksNotation() {
    assertThat(ClusterShape.mebibytes("1500m")).isEqualTo(1500);
    assertThat(ClusterShape.mebibytes("2g")).isEqualTo(2048);
    assertThat(ClusterShape.mebibytes("2G")).isEqualTo(2048);
    assertThatThrownBy(() -> ClusterShape.mebibytes("2 GB"))
        .hasMessageContaining("a size such as 1500m or 2g");
    assertThatThrownBy(() -> ClusterShape.mebibytes("1024"))
        .hasMessageContaining("a size such as 1500m or 2g");
  }

  @Test
  void refusesWhatSparkWouldRefuseLater() {
    assertThatThrownBy(() -> new ClusterShape(2, "400m")).hasMessageContaining("at least 450m");
    assertThatThrownBy(() -> new ClusterShape(0, "1g"))
        .hasMessageContaining("--workers must be between 1 and 16");
    assertThat(new ClusterShape(1, "450m").workerMemory()).isEqualTo("450m");
  }

  @Test
  void oneSingleCoreExecutorPerWorkerWithTheJobJar() {
    var p =
        new ClusterShape(3, "1500m")
            .sparkProperties(Path.of("/opt/job.jar"), Path.of("/work/cluster/tmp"));
    assertThat(p)
        .containsEntry("spark.jars", "/opt/job.jar")
        .containsEntry("spark.executor.memory", "1500m")
        .containsEntry("spark.executor.cores", "1")
        .containsEntry("spark.cores.max", "3")
        .containsEntry("spark.executor.defaultJavaOptions", "-Djava.io.tmpdir=/work/cluster/tmp");
    assertThat(new ClusterShape(3, "1500m").settings())
        .containsEntry("executors", 3)
        .containsEntry("executor_memory_bytes", 1500L << 20);
  }
}
