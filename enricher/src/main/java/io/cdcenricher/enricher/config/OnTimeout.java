package io.cdcenricher.enricher.config;

/** What happens to a held event whose reference row did not arrive within {@code maxWait}. */
public enum OnTimeout {
    /** Emit it with status {@code miss} for the join(s) still missing. */
    EMIT("emit"),
    /** Send the original event to the dead-letter topic with reason {@code wait-timeout}. */
    DEAD_LETTER("dead-letter");

    private final String yamlName;

    OnTimeout(String yamlName) {
        this.yamlName = yamlName;
    }

    public String yamlName() {
        return yamlName;
    }
}
