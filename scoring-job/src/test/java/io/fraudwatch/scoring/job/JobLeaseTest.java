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
    return new Self("00000000-0000-0000-0000-000000000001", "node-a", 100, pid -> othersAlive);
  }

  private static Holder holder(String host, long pid, Instant renewedAt) {
    return new Holder(OTHER, host, pid, T.minusSeconds(600), renewedAt);
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
    Holder third = new Holder("9a3e0c1d-0000-4000-8000-000000000003", "node-c", 7, T, T);
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
  void thisProcessesOwnPidIsNeverTakenAsGone() {
    Holder sameProcess = holder("node-a", 100, T); // another runner of this JVM
    assertThat(JobLease.judge(sameProcess, sameProcess, self(false))).isEqualTo(Verdict.WAIT);
  }
}
