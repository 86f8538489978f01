package io.cdcenricher.enricher.config;

/** What a join does when the table has no row for the foreign key, or the row was deleted. */
public enum OnMiss {
    /** Emit the event with the nested object {@code null} and status {@code miss}/{@code deleted}. */
    EMIT("emit"),
    /** Send the original event to the dead-letter topic (reason {@code join-miss}). */
    DEAD_LETTER("dead-letter"),
    /**
     * Hold the event (and the later events of its entity) in the wait buffer until the row arrives (status
     * {@code late}) or {@code maxWait} passes ({@code onTimeout}). A deleted row does not wait: it is reported
     * {@code deleted} at once. Global joins only.
     */
    WAIT("wait");

    private final String yamlName;

    OnMiss(String yamlName) {
        this.yamlName = yamlName;
    }

    public String yamlName() {
        return yamlName;
    }
}
