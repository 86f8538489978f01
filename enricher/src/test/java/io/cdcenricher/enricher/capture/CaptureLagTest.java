package io.cdcenricher.enricher.capture;

import io.cdcenricher.enricher.config.CaptureConfig;
import io.cdcenricher.enricher.config.JoinConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CaptureLagTest {

    private static final long START = 1_000_000L;
    private final AtomicLong now = new AtomicLong(START);

    private static JoinConfig join(String name, CaptureConfig capture) {
        return JoinConfig.builder(name, "t." + name, name + "Id").appliesTo(Set.of("create")).capture(capture).build();
    }

    private final CaptureLag lag = new CaptureLag(List.of(
            join("customer", new CaptureConfig("__debezium-heartbeat.demo", Duration.ofSeconds(10))),
            join("product", CaptureConfig.NONE)), now::get);

    @Test
    void countsFromStartUpUntilSomethingIsSeen() {
        now.addAndGet(4_000);
        assertThat(lag.lag("customer")).isEqualTo(Duration.ofSeconds(4));

        now.addAndGet(7_000);
        assertThat(lag.exceeded()).singleElement().satisfies(e -> {
            assertThat(e.join()).isEqualTo("customer");
            assertThat(e.lag()).isEqualTo(Duration.ofSeconds(11));
            assertThat(e.reason()).contains("no heartbeat or row seen since start-up 11.0 s ago");
        });
    }

    @Test
    void theNewestHeartbeatOrRowWinsWhateverTheOrderTheyArriveIn() {
        lag.observed("customer", START + 5_000);
        lag.rowSink("customer").accept(START + 3_000);
        now.set(START + 8_000);

        assertThat(lag.lag("customer")).isEqualTo(Duration.ofSeconds(3));
        assertThat(lag.exceeded()).isEmpty();
    }

    @Test
    void theLastTableUpdateIsTheNewestRowNotTheNewestHeartbeat() {
        assertThat(lag.lastTableUpdate("customer")).as("nothing applied since start-up").isEmpty();

        now.set(START + 2_000);
        lag.rowSink("customer").accept(START + 1_500);
        now.set(START + 3_000);
        lag.rowSink("customer").accept(START + 1_000);
        lag.observed("customer", START + 2_900);

        assertThat(lag.lastTableUpdate("customer"))
                .contains(new CaptureLag.TableUpdate(START + 1_500, START + 3_000));
        assertThat(lag.lastTableUpdate("product")).isEmpty();
        assertThat(lag.lastTableUpdate("nope")).isEmpty();
    }

    @Test
    void aHeartbeatBringsAJoinBackWithinItsBound() {
        now.set(START + 20_000);
        assertThat(lag.exceeded()).extracting(CaptureLag.Exceeded::join).containsExactly("customer");

        lag.observed("customer", START + 19_500);

        assertThat(lag.exceeded()).isEmpty();
    }

    @Test
    void aStoppedConnectorIsNamedAsSuch() {
        lag.observed("customer", START);
        now.set(START + 15_000);

        assertThat(lag.exceeded()).singleElement()
                .satisfies(e -> assertThat(e.reason()).contains("15.0 s old: the connector is not capturing"));
    }

    @Test
    void aMissingHeartbeatTopicIsTheReason() {
        lag.heartbeatProblem("customer", "heartbeat topic '__debezium-heartbeat.demo' does not exist (yet)");
        now.set(START + 15_000);

        assertThat(lag.exceeded()).singleElement()
                .satisfies(e -> assertThat(e.reason()).contains("does not exist"));
    }

    @Test
    void aJoinWithoutABoundIsMeasuredNeverJudged() {
        now.set(START + 3_600_000);

        assertThat(lag.lag("product")).isEqualTo(Duration.ofHours(1));
        assertThat(lag.exceeded()).extracting(CaptureLag.Exceeded::join).containsExactly("customer");
    }

    @Test
    void aSourceClockAheadOfOursIsNoLag() {
        lag.observed("customer", START + 60_000);

        assertThat(lag.lag("customer")).isEqualTo(Duration.ZERO);
    }

    @Test
    void exportsOneGaugePerJoinInSeconds() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        lag.bindTo(registry);
        now.set(START + 2_500);

        assertThat(registry.get("enricher.capture.lag").tag("join", "customer").gauge().value()).isEqualTo(2.5);
        assertThat(registry.get("enricher.capture.lag").tag("join", "product").gauge().value()).isEqualTo(2.5);
    }

    @Test
    void exportsTheBoundOfEachJoinThatHasOneBesideItsLag() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        lag.bindTo(registry);
        now.set(START + 2_500);

        assertThat(registry.scrape())
                .contains("enricher_capture_lag_seconds{join=\"customer\"} 2.5")
                .contains("enricher_capture_lag_max_seconds{join=\"customer\"} 10.0")
                .doesNotContain("enricher_capture_lag_max_seconds{join=\"product\"}");
    }

    @Test
    void unknownJoinsAreIgnoredWhenReportedAndRefusedWhenAsked() {
        lag.observed("nope", START);
        lag.rowSink("nope").accept(START);

        assertThatThrownBy(() -> lag.lag("nope")).hasMessageContaining("no join named 'nope'");
    }
}
