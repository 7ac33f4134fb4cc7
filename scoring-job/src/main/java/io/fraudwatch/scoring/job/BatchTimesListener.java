package io.fraudwatch.scoring.job;

import io.fraudwatch.scoring.metrics.JobMetrics;
import java.time.Duration;
import org.apache.spark.streaming.scheduler.BatchInfo;
import org.apache.spark.streaming.scheduler.StreamingListener;
import org.apache.spark.streaming.scheduler.StreamingListenerBatchCompleted;
import scala.Option;

/**
 * Spark's own processing time and scheduling delay of every completed batch, into the job's
 * metrics.
 */
final class BatchTimesListener implements StreamingListener {
  private final JobMetrics metrics;

  BatchTimesListener(JobMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void onBatchCompleted(StreamingListenerBatchCompleted completed) {
    BatchInfo info = completed.batchInfo();
    metrics.recordBatch(millis(info.processingDelay()), millis(info.schedulingDelay()));
  }

  private static Duration millis(Option<Object> value) {
    return value.isDefined()
        ? Duration.ofMillis(((Number) value.get()).longValue())
        : Duration.ZERO;
  }
}
