package io.fraudwatch.scoring.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudwatch.embedded.EmbeddedPostgresServer;
import io.fraudwatch.testsupport.SharedPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SharedPostgres.class)
class OffsetStoreIT {

  private static final Instant BATCH = Instant.parse("2018-08-03T08:16:00Z");
  private static DataSource job;

  @BeforeAll
  static void database(EmbeddedPostgresServer server) throws SQLException {
    job = JobDatabase.create(server, "offset_store_it");
  }

  @Test
  void resumesFromTheLastSavedOffsetOfEachPartitionOfTheJobsTopic() throws SQLException {
    try (Connection c = job.getConnection()) {
      c.setAutoCommit(false);
      OffsetStore.save(c, "scorer", "tx", 0, 100, BATCH);
      OffsetStore.save(c, "scorer", "tx", 1, 57, BATCH);
      OffsetStore.save(c, "scorer", "labels", 0, 9, BATCH);
      OffsetStore.save(c, "other-job", "tx", 0, 5, BATCH);
      c.commit();
      OffsetStore.save(c, "scorer", "tx", 0, 180, BATCH.plusSeconds(5));
      OffsetStore.save(c, "scorer", "tx", 1, 40, BATCH.plusSeconds(5));
      c.commit();
    }

    assertThat(OffsetStore.load(job, "scorer", "tx")).isEqualTo(Map.of(0, 180L, 1, 40L));
    assertThat(OffsetStore.load(job, "scorer", "labels")).isEqualTo(Map.of(0, 9L));
    assertThat(OffsetStore.load(job, "scorer", "never-read")).isEmpty();
  }

  @Test
  void aBatchMustContinueTheStoredOffsetOrRepeatTheLastBatch() throws SQLException {
    try (Connection c = job.getConnection()) {
      c.setAutoCommit(false);
      OffsetStore.requireContinuous(c, "gaps", "tx", 0, 0, 10); // nothing stored yet: any start
      OffsetStore.save(c, "gaps", "tx", 0, 10, BATCH);
      c.commit();

      OffsetStore.requireContinuous(c, "gaps", "tx", 0, 10, 20); // continues
      OffsetStore.requireContinuous(c, "gaps", "tx", 0, 0, 10); // the stored batch again
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> OffsetStore.requireContinuous(c, "gaps", "tx", 0, 20, 30))
          .isInstanceOf(OffsetStore.OffsetGapException.class)
          .hasMessageContaining("stored offset 10, but the batch covers [20, 30)");
      c.rollback();
    }
  }
}
