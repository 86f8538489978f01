package io.cdcenricher.enricher.config;

/**
 * How values are written on the events, table and output topics. The enrichment itself always works on JSON
 * bytes; {@code avro} converts at the edges (see {@link AvroConfig}).
 */
public enum WireFormat {
    JSON("json"),
    AVRO("avro");

    private final String yamlName;

    WireFormat(String yamlName) {
        this.yamlName = yamlName;
    }

    public String yamlName() {
        return yamlName;
    }
}
