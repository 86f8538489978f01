package io.cdcenricher.enricher.config;

/** How a reference table is held by the application. */
public enum Materialization {
    /** Every instance holds the whole table (a global store); no co-partitioning needed, per-entity order kept. */
    GLOBAL("global"),
    /**
     * Each task holds the table partitions it owns; events are re-keyed by the foreign key through a repartition
     * topic with as many partitions as the table topic, and back to the entity id afterwards.
     */
    PARTITIONED("partitioned");

    private final String yamlName;

    Materialization(String yamlName) {
        this.yamlName = yamlName;
    }

    public String yamlName() {
        return yamlName;
    }
}
