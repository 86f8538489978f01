package io.cdcenricher.enricher.config;

/**
 * What happens when the wait buffer is full. Either way the oldest entity's whole queue is released, in order,
 * to make room: an entity's events never overtake each other.
 */
public enum OnOverflow {
    /** The released events are joined now; a wait join still missing reports {@code miss}. */
    EMIT_MISS("emit-miss"),
    /** The released events whose wait join is still missing go to the dead-letter topic ({@code wait-overflow}). */
    DEAD_LETTER("dead-letter");

    private final String yamlName;

    OnOverflow(String yamlName) {
        this.yamlName = yamlName;
    }

    public String yamlName() {
        return yamlName;
    }
}
