package io.cdcenricher.enricher.config;

/** Where an event goes that the version guard did not accept (a conflict, a duplicate, a deleted entity). */
public enum VersionAction {
    /** To the output topic, enriched as usual, with its outcome in the {@code enricher.version} header. */
    OUTPUT("output"),
    /** The original event to the dead-letter topic, with the outcome as {@code dlq.reason}. */
    DEAD_LETTER("dead-letter"),
    /** Nowhere: counted in {@code enricher_version_total} only. */
    DROP("drop");

    private final String yamlName;

    VersionAction(String yamlName) {
        this.yamlName = yamlName;
    }

    public String yamlName() {
        return yamlName;
    }
}
