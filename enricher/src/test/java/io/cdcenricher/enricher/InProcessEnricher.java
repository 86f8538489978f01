package io.cdcenricher.enricher;

import java.time.Duration;

import io.cdcenricher.enricher.config.EnricherConfig;
import io.cdcenricher.enricher.internals.StartupGate;
import io.cdcenricher.enricher.internals.StartupGateCapture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The enricher in the test's JVM, started on the jar's start-up path: topics checked, the start-up gate captured,
 * the topology built with that gate. For integration tests that need the Kafka Streams client itself (its metrics).
 */
record InProcessEnricher(KafkaStreams streams, EnricherReadiness readiness) {

    /** Starts the client; the caller keeps {@link #streams()} to close it, then {@link #awaitReady}. */
    static InProcessEnricher start(EnricherConfig loaded) {
        EnricherConfig config;
        StartupGate gate;
        try (Admin admin = Admin.create(BrokerChecks.adminProperties(loaded.streamsProperties(),
                "enricher-startup-check"))) {
            config = BrokerChecks.requireTopics(admin, loaded);
            gate = StartupGateCapture.capture(admin, config.streamsProperties(), config);
        }
        KafkaStreams streams = new KafkaStreams(EnrichmentTopology.build(config,
                TopologyOptions.defaults().withGate(gate)), config.streamsProperties());
        streams.start();
        return new InProcessEnricher(streams, new EnricherReadiness(streams, gate));
    }

    void awaitReady(Duration timeout) {
        await().atMost(timeout).until(readiness::isReady);
        assertThat(readiness.isReady()).as(readiness.describe()).isTrue();
    }
}
