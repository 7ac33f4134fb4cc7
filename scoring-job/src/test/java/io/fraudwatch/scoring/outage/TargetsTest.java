package io.fraudwatch.scoring.outage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TargetsTest {

  @Test
  void passwordsInTheJdbcUrlAreMasked() {
    assertThat(
            Targets.of(
                    "jdbc:postgresql://db:5432/fw?user=job&password=s3cret&sslmode=require&sslpassword=k3y",
                    "k:9092")
                .postgres())
        .isEqualTo(
            "jdbc:postgresql://db:5432/fw?user=job&password=******&sslmode=require"
                + "&sslpassword=******");
    assertThat(Targets.of("jdbc:postgresql://db/fw", "k:9092").postgres())
        .isEqualTo("jdbc:postgresql://db/fw");
  }

  @Test
  void backoffDoublesUpToItsCap() {
    Backoff b = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));

    assertThat(java.util.stream.IntStream.range(0, 9).mapToObj(b::delay).map(Duration::toMillis))
        .containsExactly(500L, 1000L, 2000L, 4000L, 8000L, 16000L, 30000L, 30000L, 30000L);
    assertThat(b.delay(1000)).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void aFailureFoundAmongCausesNamesTheService() {
    ServiceUnavailableException down =
        new ServiceUnavailableException(
            Service.KAFKA, "k:9092", Duration.ofMinutes(10), Duration.ofMinutes(10), null);

    assertThat(
            ServiceUnavailableException.in(
                new RuntimeException("job aborted", new IllegalStateException(down))))
        .contains(down);
    assertThat(down.getMessage())
        .isEqualTo(
            "Kafka at k:9092 has been unreachable for 10m, longer than"
                + " job.outage-tolerance (10m)");
  }
}
