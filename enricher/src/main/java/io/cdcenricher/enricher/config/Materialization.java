package io.cdcenricher.enricher.config;

/** How a reference table is held by the application. */
public enum Materialization {
    /** Every instance holds the whole table (a global store); no co-partitioning needed. */
    GLOBAL("global"),
    /** Each instance holds the partitions it owns; needs co-partitioned topics. Not supported yet. */
    PARTITIONED("partitioned");

    private final String yamlName;

    Materialization(String yamlName) {
        this.yamlName = yamlName;
    }

    public String yamlName() {
        return yamlName;
    }
}
