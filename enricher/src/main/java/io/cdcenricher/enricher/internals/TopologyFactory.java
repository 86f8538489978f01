package io.cdcenricher.enricher.internals;

import io.cdcenricher.enricher.config.EnricherConfig;
import io.cdcenricher.enricher.config.JoinConfig;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;

/** Wires the topology; the public entry point is {@code io.cdcenricher.enricher.EnrichmentTopology}. */
public final class TopologyFactory {

    private TopologyFactory() {
    }

    public static Topology build(EnricherConfig config) {
        StreamsBuilder builder = new StreamsBuilder();
        for (JoinConfig join : config.joins()) {
            ReferenceTable.addTo(builder, join);
        }
        Topic<byte[], byte[]> events = Topic.bytes(config.topics().events());
        KStream<byte[], Outcome> outcomes = builder
                .stream(events.name(), events.consumed().withName("events"))
                .process(() -> new EnrichmentProcessor(config), Named.as("enrich"));
        DeadLetterRouter.route(outcomes, Topic.bytes(config.topics().output()),
                Topic.bytes(config.topics().deadLetter()));
        return builder.build(config.streamsProperties());
    }
}
