package io.cdcenricher.enricher;

import io.cdcenricher.enricher.config.EnricherConfig;
import io.cdcenricher.enricher.internals.TopologyFactory;
import org.apache.kafka.streams.Topology;

/**
 * Builds the enricher's topology from a validated configuration. The application and the tests use this one
 * factory, so the tests exercise the topology that runs.
 *
 * <p>Shape: one global store per join, fed from its table topic; the events topic read as bytes into one
 * processor that joins, splices and decides; a split into the output and dead-letter topics. Everything an
 * event goes through is in one sub-topology, which keeps per-entity order.
 */
public final class EnrichmentTopology {

    private EnrichmentTopology() {
    }

    public static Topology build(EnricherConfig config) {
        return TopologyFactory.build(config);
    }
}
