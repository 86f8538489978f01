package io.cdcenricher.enricher;

import io.cdcenricher.enricher.avro.ApicurioAvroWire;
import io.cdcenricher.enricher.avro.AvroWire;
import io.cdcenricher.enricher.config.EnricherConfig;
import io.cdcenricher.enricher.internals.TopologyFactory;
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

    /**
     * The topology for {@code config}, built with {@code options} ({@link TopologyOptions#defaults()} for every
     * start-up gate open, no metrics and Avro through the configured registry).
     */
    public static Topology build(EnricherConfig config, TopologyOptions options) {
        Supplier<AvroWire> avro = options.avroWire();
        if (avro == null && config.isAvro()) {
            avro = ApicurioAvroWire.supplier(config.avro());
        }
        return TopologyFactory.build(config, options.gate(), options.metrics(), avro);
    }
}
