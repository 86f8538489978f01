package io.cdcenricher.enricher.http;

/**
 * What {@code /tables/{join}/{key}} answers: the reference row as the enricher would splice it, the fact that it was
 * deleted, that no row is known, or where another instance holds it.
 */
public sealed interface TableRow {

    /** The row as the enricher would splice it (the projected fields as a JSON object). */
    record Found(byte[] json) implements TableRow {
    }

    /** A tombstone was seen for the key and its marker is still held. */
    record Deleted() implements TableRow {
    }

    /** No row for the key. */
    record Missing() implements TableRow {
    }

    /** No join of that name is configured. */
    record UnknownJoin(String join) implements TableRow {
    }

    /** A partitioned table whose key lives on another instance ({@code application.server}). */
    record Elsewhere(String hostAndPort) implements TableRow {
    }

    /** The store cannot be queried right now (rebalancing, restoring): ask again. */
    record Unavailable(String reason) implements TableRow {
    }
}
