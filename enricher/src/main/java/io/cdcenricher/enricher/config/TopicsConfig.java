package io.cdcenricher.enricher.config;

/**
 * The application's own topics.
 *
 * @param events     input events, key = entity id, value = JSON object
 * @param output     enriched events
 * @param deadLetter records that could not be enriched, unchanged, with {@code dlq.*} headers
 */
public record TopicsConfig(String events, String output, String deadLetter) {
}
