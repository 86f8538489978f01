package io.cdcenricher.enricher.http;

/** Looks up a reference row of one join by its (normalized) key; see {@link TableAnswer} for the answers. */
@FunctionalInterface
public interface TableQueries {
    TableAnswer lookup(String join, String key);
}
