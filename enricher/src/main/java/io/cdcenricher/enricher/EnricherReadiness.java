package io.cdcenricher.enricher;

import io.cdcenricher.enricher.internals.StartupGate;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Whether this instance serves correct enrichments: Kafka Streams is RUNNING (which implies that every global
 * store was read to its end offsets: the global thread restores them before any stream thread starts) and the
 * start-up gate of every partitioned table partition assigned to this instance is open ({@link StartupGate}).
 * For a readiness endpoint ({@code /ready}); cheap and thread-safe.
 */
public final class EnricherReadiness {

    private final KafkaStreams streams;
    private final StartupGate gate;

    public EnricherReadiness(KafkaStreams streams, StartupGate gate) {
        this.streams = streams;
        this.gate = gate;
    }

    public boolean isReady() {
        return streams.state() == KafkaStreams.State.RUNNING && gate.assignedOpen();
    }

    /** A short reason for a probe's body or a log line. */
    public String describe() {
        if (streams.state() != KafkaStreams.State.RUNNING) {
            return "Kafka Streams is " + streams.state();
        }
        return gate.assignedOpen() ? "ready" : "partitioned tables still loading: " + gate.closed();
    }
}
