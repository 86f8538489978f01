package io.cdcenricher.enricher.http;

/** Looks up a reference row of one join by its (normalized) key; see {@link TableRow} for the answers. */
@FunctionalInterface
public interface TableLookup {
    TableRow lookup(String join, String key);
}
