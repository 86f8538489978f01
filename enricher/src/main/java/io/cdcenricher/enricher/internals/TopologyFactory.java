package io.cdcenricher.enricher.internals;

import io.cdcenricher.enricher.EnrichmentMetrics;
import io.cdcenricher.enricher.config.EnricherConfig;
import io.cdcenricher.enricher.config.JoinConfig;
import io.cdcenricher.enricher.avro.AvroWire;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;

/**
 * Wires the topology; the public entry point is {@code io.cdcenricher.enricher.EnrichmentTopology}.
 *
 * <p>With global joins only, everything an event goes through is one sub-topology: events -&gt; enrich -&gt;
 * output or dead letters. Each partitioned join adds a re-key by its foreign key through a repartition topic
 * ({@code by-<join>}, as many partitions as the table topic) into the sub-topology that also reads the table
 * topic, and one final re-key by entity id ({@code by-entity}) ends the path, so the output stays keyed by
 * entity id. Global joins are still resolved in the first pass. Every path ends in one sink that writes each
 * outcome to the output or the dead-letter topic ({@link DeadLetterRouter}).
 */
public final class TopologyFactory {

    /** The name of the last repartition topic (before the application-id prefix Kafka Streams adds). */
    static final String BY_ENTITY = "by-entity";

    private TopologyFactory() {
    }

    /**
     * The topology whose partitioned lookups wait for {@code gate} (see {@link StartupGate}), reporting what it
     * writes to {@code metrics}; with {@code format: avro} it reads and writes values through {@code avro}
     * ({@code null} for JSON).
     */
    public static Topology build(EnricherConfig config, StartupGate gate, EnrichmentMetrics metrics,
                                 Supplier<AvroWire> avro) {
        if (config.isAvro() && avro == null) {
            throw new IllegalArgumentException("format avro needs an Avro wire");
        }
        List<JoinConfig> partitioned = config.joins().stream().filter(JoinConfig::isPartitioned).toList();
        for (JoinConfig join : partitioned) {
            if (join.partitions() <= 0) {
                throw new IllegalArgumentException("join '" + join.name() + "' is partitioned but its partition "
                        + "count is unknown: set 'partitions' or let the start-up checks read it from the broker");
            }
        }
        StreamsBuilder builder = new StreamsBuilder();
        for (JoinConfig join : config.joins()) {
            if (!join.isPartitioned()) {
                ReferenceTable.addTo(builder, join, config.isAvro() ? RowDecoder.avro(avro) : () -> RowDecoder.JSON,
                        metrics);
            }
        }
        Topic<byte[], byte[]> events = Topic.bytes(config.topics().events());
        Topic<byte[], byte[]> output = Topic.bytes(config.topics().output());
        Topic<byte[], byte[]> deadLetter = Topic.bytes(config.topics().deadLetter());
        List<String> enrichStores = new ArrayList<>();
        if (config.hasWaitingJoins()) {
            builder.addStateStore(WaitBuffer.storeBuilder());
            enrichStores.add(WaitBuffer.STORE_NAME);
        }
        if (config.event().versionGuard() != null) {
            builder.addStateStore(VersionGuard.storeBuilder());
            enrichStores.add(VersionGuard.STORE_NAME);
        }
        KStream<byte[], byte[]> input = builder.stream(events.name(), events.consumed().withName("events"));
        if (config.isAvro()) {
            input = avroToJson(input, deadLetter, avro, metrics);
        }
        // On the single-pass JSON path nothing after the processor can change an outcome, so it counts them itself
        // and forwards straight to the sink: events -> enrich -> sink.
        boolean singlePassJson = partitioned.isEmpty() && !config.isAvro();
        KStream<byte[], Outcome> outcomes = input
                .process(() -> new EnrichmentProcessor(config, metrics, singlePassJson), Named.as("enrich"),
                        enrichStores.toArray(String[]::new));
        if (config.isAvro()) {
            outcomes = outcomes.processValues(() -> new AvroEdge.Encoder(avro, config.avro().outputSchema(),
                    output.name()), Named.as("json-to-avro"));
        }
        if (partitioned.isEmpty()) {
            if (!singlePassJson) {
                outcomes = outcomes.processValues(() -> new OutcomeRecorder(metrics), Named.as("metrics"));
            }
            DeadLetterRouter.route(outcomes, output, deadLetter);
            return builder.build(config.streamsProperties());
        }

        PartlyEnrichedEventSerde serde = new PartlyEnrichedEventSerde();
        KStream<byte[], PartlyEnrichedEvent> pending = pendingOf(outcomes, deadLetter, "enrich", metrics);
        for (JoinConfig join : partitioned) {
            int index = config.joins().indexOf(join);
            KStream<byte[], Outcome> looked = pending
                    .selectKey((key, event) -> event.routingKey(index), Named.as("key-by-" + join.name()))
                    .repartition(Repartitioned.with(Serdes.ByteArray(), serde)
                            .withName("by-" + join.name())
                            .withNumberOfPartitions(join.partitions()))
                    .process(() -> new PartitionedLookupProcessor(join, index, gate),
                            Named.as(PartitionedLookupProcessor.name(join)));
            pending = pendingOf(looked, deadLetter, PartitionedLookupProcessor.name(join), metrics);
        }
        KStream<byte[], Outcome> finished = pending
                .selectKey((key, event) -> event.entityKey, Named.as("key-by-entity"))
                .repartition(Repartitioned.with(Serdes.ByteArray(), serde).withName(BY_ENTITY))
                .process(() -> new PartitionedPathFinisher(config), Named.as("finish"))
                .processValues(() -> new OutcomeRecorder(metrics), Named.as("metrics"));
        DeadLetterRouter.route(finished, output, deadLetter);

        Topology topology = builder.build(config.streamsProperties());
        for (JoinConfig join : partitioned) {
            ReferenceTable.addPartitionedTo(topology, join, PartitionedLookupProcessor.name(join), gate, metrics);
        }
        return topology;
    }

    /**
     * Decodes the Avro events into the JSON the engine reads; undecodable ones go to the dead-letter topic
     * ({@code malformed-avro}, original bytes and headers), counted like every dead letter.
     */
    private static KStream<byte[], byte[]> avroToJson(KStream<byte[], byte[]> events, Topic<byte[], byte[]> deadLetter,
                                                      Supplier<AvroWire> avro, EnrichmentMetrics metrics) {
        return events.process(() -> new AvroEdge.Decoder(avro), Named.as("avro-to-json"))
                .split(Named.as("avro-route-"))
                .branch((key, outcome) -> outcome instanceof Outcome.DeadLettered,
                        Branched.<byte[], Outcome>withConsumer(dead -> dead
                                .processValues(() -> new OutcomeRecorder(metrics), Named.as("avro-metrics"))
                                .mapValues(Outcome::value, Named.as("avro-dead-letter-value"))
                                .to(deadLetter.name(), deadLetter.produced().withName("avro-dead-letter-sink")))
                                .withName("dead-letter"))
                .defaultBranch(Branched.as("json"))
                .get("avro-route-json")
                .mapValues(Outcome::value, Named.as("avro-json-value"));
    }

    /** Sends the dead letters among {@code outcomes} to their topic and returns the events still pending. */
    private static KStream<byte[], PartlyEnrichedEvent> pendingOf(KStream<byte[], Outcome> outcomes,
                                                           Topic<byte[], byte[]> deadLetter, String stage,
                                                           EnrichmentMetrics metrics) {
        return outcomes.processValues(() -> new OutcomeRecorder(metrics), Named.as(stage + "-metrics"))
                .split(Named.as(stage + "-route-"))
                .branch((key, outcome) -> outcome instanceof Outcome.DeadLettered,
                        Branched.<byte[], Outcome>withConsumer(dead -> dead
                                .mapValues(Outcome::value, Named.as(stage + "-dead-letter-value"))
                                .to(deadLetter.name(), deadLetter.produced()
                                        .withName(stage + "-dead-letter-sink")))
                                .withName("dead-letter"))
                .defaultBranch(Branched.as("pending"))
                .get(stage + "-route-pending")
                .mapValues(outcome -> ((Outcome.Pending) outcome).event(), Named.as(stage + "-pending"));
    }
}
