package io.cdcenricher.enricher;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdcenricher.enricher.config.OnOverflow;
import io.cdcenricher.enricher.config.OnTimeout;
import io.cdcenricher.enricher.config.WaitBufferConfig;
import io.cdcenricher.enricher.http.Health;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The gauges the alert rules in ops/prometheus read, under the names Prometheus scrapes. */
class OperatorGaugesTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicBoolean ready = new AtomicBoolean();
    private final AtomicReference<Health> health = new AtomicReference<>(Health.UP);

    @Test
    void readinessAndHealthFollowWhatTheEndpointsWouldAnswerAtScrapeTime() {
        new OperatorGauges(ready::get, health::get, null).bindTo(registry);

        assertThat(registry.scrape())
                .contains("enricher_ready 0.0")
                .contains("enricher_health_status{status=\"UP\"} 1.0")
                .contains("enricher_health_status{status=\"DEGRADED\"} 0.0")
                .contains("enricher_health_status{status=\"DOWN\"} 0.0");

        ready.set(true);
        health.set(Health.of(List.of(new Health.Degradation("customer", 20.0, 15.0, "not capturing"))));

        assertThat(registry.scrape())
                .contains("enricher_ready 1.0")
                .contains("enricher_health_status{status=\"UP\"} 0.0")
                .contains("enricher_health_status{status=\"DEGRADED\"} 1.0");

        health.set(Health.DOWN);
        assertThat(registry.scrape()).contains("enricher_health_status{status=\"DOWN\"} 1.0");
    }

    @Test
    void theWaitBufferBoundsAreExportedOnlyWhenAJoinWaits() {
        new OperatorGauges(ready::get, health::get, null).bindTo(registry);
        assertThat(registry.scrape()).doesNotContain("enricher_wait_buffer_max");

        PrometheusMeterRegistry waiting = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new OperatorGauges(ready::get, health::get, new WaitBufferConfig(500, 65_536, OnOverflow.EMIT_MISS,
                OnTimeout.EMIT, Duration.ofMillis(200))).bindTo(waiting);

        assertThat(waiting.scrape())
                .contains("enricher_wait_buffer_max_records 500.0")
                .contains("enricher_wait_buffer_max_bytes 65536.0");
    }

    @Test
    void theGaugesSurviveAGarbageCollectionOfTheirSuppliers() {
        new OperatorGauges(() -> true, () -> Health.UP, WaitBufferConfig.DEFAULTS).bindTo(registry);
        System.gc();

        assertThat(registry.scrape()).contains("enricher_ready 1.0").doesNotContain("NaN");
    }
}
