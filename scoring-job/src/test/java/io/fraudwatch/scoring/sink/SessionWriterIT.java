package io.fraudwatch.scoring.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudwatch.embedded.EmbeddedPostgresServer;
import io.fraudwatch.scoring.state.Session;
import io.fraudwatch.testsupport.SharedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SharedPostgres.class)
class SessionWriterIT {
  private static final long T = Instant.parse("2026-12-04T04:00:00Z").toEpochMilli();
  private static final long MIN = 60_000;
  private static DataSource job;

  @BeforeAll
  static void database(EmbeddedPostgresServer server) throws SQLException {
    job = JobDatabase.create(server, "session_writer_it");
  }

  private static Session session(String customer, long fromMin, long toMin, int transactions) {
    return new Session(
        customer, T + fromMin * MIN, T + toMin * MIN, transactions, 1000, Set.of("T1"), 0);
  }

  private static void write(Session... sessions) throws SQLException {
    try (Connection c = job.getConnection()) {
      c.setAutoCommit(false);
      SessionWriter.write(c, List.of(sessions));
      c.commit();
    }
  }

  private static List<String> stored(String customer) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = job.getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT extract(epoch FROM session_start - timestamptz '2026-12-04 04:00Z') / 60,"
                    + " extract(epoch FROM session_end - timestamptz '2026-12-04 04:00Z') / 60,"
                    + " transactions FROM fraudwatch.sessions WHERE customer_id = '"
                    + customer
                    + "' ORDER BY session_start")) {
      while (rs.next()) {
        out.add(rs.getInt(1) + ".." + rs.getInt(2) + ":" + rs.getInt(3));
      }
    }
    return out;
  }

  @Test
  void aSessionWrittenAgainIsOneRowAndOneOverlappingAStoredSessionIsNotStored() throws Exception {
    write(session("C1", 0, 20, 3), session("C1", 100, 130, 2));

    write(session("C1", 0, 20, 3)); // a rebuild after a restart
    write(session("C1", 10, 4000, 20)); // late transactions made a session over both
    write(session("C1", 50, 60, 1)); // late, between the two: a session of its own

    assertThat(stored("C1")).containsExactly("0..20:3", "50..60:1", "100..130:2");
  }
}
