package io.cdcenricher.enricher;

import static io.cdcenricher.enricher.EnricherFixture.customerJoinYaml;
import static org.assertj.core.api.Assertions.assertThat;

import io.cdcenricher.enricher.config.EnricherConfigLoader;
import io.cdcenricher.enricher.internals.StartupGate;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The counters operators alert on: a status per join for every enriched event, a reason for every dead letter. */
class EnrichmentMetricsTest extends TopologyTestBase {

    private static final String YAML = customerJoinYaml("appliesTo: [create]");
    private static final String ADA = "{\"id\":42,\"name\":\"Ada\",\"tier\":\"gold\"}";

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private EnricherFixture start() {
        fixture = new EnricherFixture(YAML, stateDir, StartupGate.open(),
                new MicrometerEnrichmentMetrics(registry, EnricherConfigLoader.parse(YAML).joins()));
        return fixture;
    }

    private double joins(String status) {
        return registry.get("enricher.join").tag("join", "customer").tag("status", status).counter().count();
    }

    @Test
    void shouldCountEachJoinStatusAndEachDeadLetterReason() {
        start().customer("42", ADA)
                .event("o-1", "{\"type\":\"create\",\"customerId\":42}")
                .event("o-2", "{\"type\":\"create\",\"customerId\":7}")
                .event("o-1", "{\"type\":\"update\",\"customerId\":42}")
                .customer("42", null)
                .event("o-3", "{\"type\":\"create\",\"customerId\":42}")
                .event("o-4", "not json")
                .event("o-5", "{\"type\":\"create\"}");

        assertThat(joins("hit")).isEqualTo(1);
        assertThat(joins("miss")).isEqualTo(1);
        assertThat(joins("skipped")).isEqualTo(1);
        assertThat(joins("deleted")).isEqualTo(1);
        assertThat(joins("late")).isZero();
        assertThat(registry.get("enricher.dead.letter").tag("reason", "malformed-json").counter().count()).isEqualTo(1);
        assertThat(registry.get("enricher.dead.letter").tag("reason", "missing-foreign-key").counter().count())
                .isEqualTo(1);
        assertThat(registry.get("enricher.end.to.end.latency").timer().count()).isEqualTo(4);
    }

    @Test
    void shouldNotCountAPassedThroughEntityTombstoneAsAJoin() {
        start().event("o-1", null);

        assertThat(registry.find("enricher.join").counters()).allMatch(c -> c.count() == 0);
        assertThat(fixture.output()).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"materialization: global", "materialization: partitioned\npartitions: 1"})
    void tableRowsReportTheirSourceTimeForTheCaptureLag(String materialization) {
        List<Long> times = new CopyOnWriteArrayList<>();
        EnrichmentMetrics recording = new EnrichmentMetrics() {
            @Override
            public void enriched(JoinStatus[] statuses, long eventTimestamp) {
            }

            @Override
            public void deadLettered(DeadLetter.Reason reason) {
            }

            @Override
            public LongConsumer tableRowTimes(String join) {
                return join.equals("customer") ? times::add : time -> { };
            }
        };
        fixture = new EnricherFixture(customerJoinYaml(materialization), stateDir, StartupGate.open(), recording);

        fixture.customer("42", "{\"id\":42,\"name\":\"Ada\",\"__source_ts_ms\":1700000000123}")
                .customer("42", null);

        assertThat(times).hasSize(2).first().isEqualTo(1700000000123L);
    }
}
