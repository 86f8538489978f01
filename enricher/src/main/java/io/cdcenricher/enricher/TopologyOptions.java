package io.cdcenricher.enricher;

import io.cdcenricher.enricher.avro.AvroWire;
import io.cdcenricher.enricher.internals.StartupGate;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What the topology is built with besides its configuration. {@link #defaults()} suits tests of the join semantics
 * and tools: every start-up gate open, no metrics, and for {@code format: avro} the Apicurio Registry the
 * configuration names. The application passes the gate it captured at start-up and its metrics.
 *
 * @param gate     holds each partitioned lookup's events until its table partition has been read to where it ended
 *                 at start-up ({@link StartupGate#open()}: the tables count as loaded)
 * @param metrics  told about every record the topology writes
 * @param avroWire for {@code format: avro}, how values are read and written (one wire per processor instance);
 *                 {@code null} for the Apicurio Registry of the configuration. Ignored for JSON.
 */
public record TopologyOptions(StartupGate gate, EnrichmentMetrics metrics, Supplier<AvroWire> avroWire) {

    public TopologyOptions {
        Objects.requireNonNull(gate, "gate");
        Objects.requireNonNull(metrics, "metrics");
    }

    /** Every gate open, no metrics, Avro through the configured registry. */
    public static TopologyOptions defaults() {
        return new TopologyOptions(StartupGate.open(), EnrichmentMetrics.NONE, null);
    }

    /** These options with {@code gate}. */
    public TopologyOptions withGate(StartupGate gate) {
        return new TopologyOptions(gate, metrics, avroWire);
    }

    /** These options with {@code metrics}. */
    public TopologyOptions withMetrics(EnrichmentMetrics metrics) {
        return new TopologyOptions(gate, metrics, avroWire);
    }

    /** These options with Avro read and written through {@code avroWire} (tests that need no registry). */
    public TopologyOptions withAvroWire(Supplier<AvroWire> avroWire) {
        return new TopologyOptions(gate, metrics, avroWire);
    }
}
