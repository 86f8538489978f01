package io.cdcenricher.enricher;

import io.cdcenricher.enricher.config.WaitBufferConfig;
import io.cdcenricher.enricher.http.Health;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The gauges an operator alerts on besides the counters: what {@code /ready} and {@code /health} answer, and the
 * wait buffer's configured bounds, so that an alert can compare the buffer's size with its bound:
 * <ul>
 *   <li>{@code enricher_ready}: 1 while {@code /ready} answers 200, else 0;</li>
 *   <li>{@code enricher_health_status{status}}: 1 for the verdict {@code /health} gives now (UP, DEGRADED or DOWN),
 *       0 for the two others;</li>
 *   <li>{@code enricher_wait_buffer_max_records} and {@code enricher_wait_buffer_max_bytes}: {@code waitBuffer.maxRecords}
 *       and {@code waitBuffer.maxBytes}, bounds per task, only when a join has {@code onMiss: wait} (otherwise
 *       there is no wait buffer).</li>
 * </ul>
 * Every gauge is read at scrape time and holds its supplier strongly (Micrometer's gauges hold weak references by
 * default, and a lambda referenced by nothing else would read NaN after a garbage collection).
 */
public final class OperatorGauges implements MeterBinder {

    private final BooleanSupplier ready;
    private final Supplier<Health> health;
    private final WaitBufferConfig waitBuffer;

    /**
     * @param ready      what {@code /ready} decides on
     * @param health     what {@code /health} answers
     * @param waitBuffer the configured bounds, or {@code null} when no join waits
     */
    public OperatorGauges(BooleanSupplier ready, Supplier<Health> health, WaitBufferConfig waitBuffer) {
        this.ready = ready;
        this.health = health;
        this.waitBuffer = waitBuffer;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("enricher.ready", ready, r -> r.getAsBoolean() ? 1 : 0)
                .description("1 while /ready answers 200 (Kafka Streams RUNNING, every table loaded), else 0")
                .strongReference(true)
                .register(registry);
        for (Health.Status status : Health.Status.values()) {
            Gauge.builder("enricher.health.status", health, h -> h.get().status() == status ? 1 : 0)
                    .description("1 for the verdict /health gives now (UP, DEGRADED or DOWN), 0 for the others")
                    .tag("status", status.name())
                    .strongReference(true)
                    .register(registry);
        }
        if (waitBuffer != null) {
            Gauge.builder("enricher.wait.buffer.max.records", waitBuffer, WaitBufferConfig::maxRecords)
                    .description("waitBuffer.maxRecords: held events per task, at most")
                    .strongReference(true)
                    .register(registry);
            Gauge.builder("enricher.wait.buffer.max", waitBuffer, WaitBufferConfig::maxBytes)
                    .description("waitBuffer.maxBytes: serialized bytes of held events per task, at most")
                    .baseUnit("bytes")
                    .strongReference(true)
                    .register(registry);
        }
    }
}
