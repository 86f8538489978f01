package io.cdcenricher.enricher;

import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * The wait buffer's gauges ({@code onMiss: wait}), summed over the tasks of one application instance. Each task
 * registers three Kafka Streams metrics in group {@value #GROUP}, tagged {@code thread-id} and {@code task-id}:
 * {@value #HELD_RECORDS}, {@value #HELD_BYTES} and {@value #OLDEST_HELD_AGE_MS}. They are refreshed on every hold
 * and on every check of the buffer ({@code waitBuffer.checkInterval}).
 *
 * <p>Read them with {@code WaitBufferMetrics.of(kafkaStreams.metrics())} (or a {@code TopologyTestDriver}'s
 * {@code metrics()}); an exporter can also pick the raw metrics by group and name.
 *
 * @param heldRecords     events held, over all tasks of this instance
 * @param heldBytes       their serialized size
 * @param oldestHeldAgeMs wall-clock age of the oldest held event at the last check; 0 when none is held
 */
public record WaitBufferMetrics(long heldRecords, long heldBytes, long oldestHeldAgeMs) {

    public static final String GROUP = "stream-enricher-metrics";
    public static final String HELD_RECORDS = "wait-buffer-records";
    public static final String HELD_BYTES = "wait-buffer-bytes";
    public static final String OLDEST_HELD_AGE_MS = "wait-buffer-oldest-age-ms";

    /** The gauges summed (records, bytes) or maxed (age) over the tasks found in {@code metrics}. */
    public static WaitBufferMetrics of(Map<MetricName, ? extends Metric> metrics) {
        long records = 0;
        long bytes = 0;
        long oldest = 0;
        for (Map.Entry<MetricName, ? extends Metric> entry : metrics.entrySet()) {
            if (!entry.getKey().group().equals(GROUP)) {
                continue;
            }
            Object value = entry.getValue().metricValue();
            long v = value instanceof Number number && !Double.isNaN(number.doubleValue()) ? number.longValue() : 0;
            switch (entry.getKey().name()) {
                case HELD_RECORDS -> records += v;
                case HELD_BYTES -> bytes += v;
                case OLDEST_HELD_AGE_MS -> oldest = Math.max(oldest, v);
                default -> {
                    // Another enricher metric.
                }
            }
        }
        return new WaitBufferMetrics(records, bytes, oldest);
    }
}
