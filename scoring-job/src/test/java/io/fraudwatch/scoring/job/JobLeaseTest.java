package io.fraudwatch.scoring.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudwatch.scoring.job.JobLease.Holder;
import io.fraudwatch.scoring.job.JobLease.Self;
import io.fraudwatch.scoring.job.JobLease.Verdict;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class JobLeaseTest {
  private static final Instant T = Instant.parse("2026-12-07T21:00:00Z");
  private static final String OTHER = "7d0f1a52-3c1e-4f4e-9f0a-4a8f0c2b9e11";

  private static Self self(boolean othersAlive) {
    return new Self(
        "00000000-0000-0000-0000-000000000001", "node-a", "boot-a ns-1", 100, pid -> othersAlive);
  }

  /** A holder on {@code host}; on node-a in this scorer's process space. */
  private static Holder holder(String host, long pid, Instant renewedAt) {
    String space = host.equals("node-a") ? "boot-a ns-1" : "boot-b ns-1";
    return new Holder(OTHER, host, space, pid, T.minusSeconds(600), renewedAt);
  }

  @Test
  void aHolderThatRenewsWhileWatchedRunsSoTheNewcomerIsRefused() {
    Holder first = holder("node-b", 42, T);
    assertThat(JobLease.judge(first, first, self(true))).isEqualTo(Verdict.WAIT);
    assertThat(JobLease.judge(first, holder("node-b", 42, T.plusSeconds(10)), self(true)))
        .isEqualTo(Verdict.REFUSE);
  }

  @Test
  void anotherHolderTakingTheLeaseMeanwhileIsRefusedToo() {
    Holder first = holder("node-b", 42, T);
    Holder third =
        new Holder("9a3e0c1d-0000-4000-8000-000000000003", "node-c", "boot-c ns-1", 7, T, T);
    assertThat(JobLease.judge(first, third, self(true))).isEqualTo(Verdict.REFUSE);
  }

  @Test
  void aHolderWhoseProcessIsGoneFromThisHostIsTakenOverAtOnce() {
    Holder first = holder("node-a", 42, T);
    assertThat(JobLease.judge(first, first, self(false))).isEqualTo(Verdict.TAKE_OVER);
    assertThat(JobLease.judge(first, first, self(true))).isEqualTo(Verdict.WAIT);
  }

  @Test
  void aProcessOnAnotherHostIsNeverJudgedByThisHostsProcessTable() {
    Holder first = holder("node-b", 42, T);
    assertThat(JobLease.judge(first, first, self(false))).isEqualTo(Verdict.WAIT);
  }

  @Test
  void aProcessInAnotherPidNamespaceOrOfUnknownSpaceIsNeverJudgedGone() {
    Holder otherContainer = new Holder(OTHER, "node-a", "boot-a ns-2", 42, T, T);
    Holder unknown = new Holder(OTHER, "node-a", "", 42, T, T);
    Self unknownSelf =
        new Self("00000000-0000-0000-0000-000000000001", "node-a", "", 100, p -> false);
    assertThat(JobLease.judge(otherContainer, otherContainer, self(false))).isEqualTo(Verdict.WAIT);
    assertThat(JobLease.judge(unknown, unknown, unknownSelf)).isEqualTo(Verdict.WAIT);
  }

  @Test
  void thisProcessesOwnPidIsNeverTakenAsGone() {
    Holder sameProcess = holder("node-a", 100, T); // another runner of this JVM
    assertThat(JobLease.judge(sameProcess, sameProcess, self(false))).isEqualTo(Verdict.WAIT);
  }
}
