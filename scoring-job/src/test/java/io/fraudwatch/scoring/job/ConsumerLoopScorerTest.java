package io.fraudwatch.scoring.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class ConsumerLoopScorerTest {

  private static List<TopicPartition> partitions(int n) {
    return IntStream.range(0, n).mapToObj(p -> new TopicPartition("t", p)).toList();
  }

  @Test
  void dealsPartitionsRoundRobinToAtMostOneThreadEach() {
    assertThat(ConsumerLoopScorer.shares(partitions(5), 2))
        .containsExactly(
            List.of(
                new TopicPartition("t", 0), new TopicPartition("t", 2), new TopicPartition("t", 4)),
            List.of(new TopicPartition("t", 1), new TopicPartition("t", 3)));
    assertThat(ConsumerLoopScorer.shares(partitions(2), 8)).hasSize(2);
  }
}
