package io.cdcenricher.enricher;

import io.cdcenricher.enricher.config.EnricherConfig;
import io.cdcenricher.enricher.internals.StartupGate;
import io.cdcenricher.enricher.internals.TopologyFactory;
import io.cdcenricher.enricher.avro.AvroWire;
import java.util.function.Supplier;
import org.apache.kafka.streams.Topology;

/**
 * Builds the enricher's topology from a validated configuration. The application and the tests use this one
 * factory, so the tests exercise the topology that runs.
 *
 * <p>Shape: one global store per global join, fed from its table topic; the events topic read as bytes into one
 * processor that filters, joins, splices and decides; a split into the output and dead-letter topics. With global
 * joins only, everything an event goes through is in one sub-topology, which keeps per-entity order. Each
 * partitioned join adds a detour through a repartition topic keyed by its foreign key, and one more keyed by
 * entity id ends the path (see enricher/README.md, "materialization: partitioned", for what that does to per-entity order).
 */
public final class EnrichmentTopology {

    private EnrichmentTopology() {
    }

    /** The topology with every start-up gate open (the tables count as loaded): tests of the join semantics. */
    public static Topology build(EnricherConfig config) {
        return TopologyFactory.build(config);
    }

    /** The topology whose partitioned lookups hold events until {@code gate} opens for their table partition. */
    public static Topology build(EnricherConfig config, StartupGate gate) {
        return TopologyFactory.build(config, gate);
    }

    /** As {@link #build(EnricherConfig, StartupGate)}, reporting every record it writes to {@code metrics}. */
    public static Topology build(EnricherConfig config, StartupGate gate, EnrichmentMetrics metrics) {
        return TopologyFactory.build(config, gate, metrics);
    }

    /**
     * As {@link #build(EnricherConfig, StartupGate, EnrichmentMetrics)} with {@code format: avro} values read and
     * written through {@code avro} (one per processor instance) instead of Apicurio Registry.
     */
    public static Topology build(EnricherConfig config, StartupGate gate, EnrichmentMetrics metrics,
                                 Supplier<AvroWire> avro) {
        return TopologyFactory.build(config, gate, metrics, avro);
    }
}
