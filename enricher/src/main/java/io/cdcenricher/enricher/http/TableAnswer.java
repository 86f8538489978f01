package io.cdcenricher.enricher.http;

/**
 * What {@code /tables/{join}/{key}} answers: the reference row as the enricher would splice it, the fact that it was
 * deleted, that no row is known, or where another instance holds it.
 */
public sealed interface TableAnswer {

    /** The row as the enricher would splice it (the projected fields as a JSON object). */
    record Found(byte[] json) implements TableAnswer {
    }

    /** A tombstone was seen for the key and its marker is still held. */
    record Deleted() implements TableAnswer {
    }

    /** No row for the key. */
    record Missing() implements TableAnswer {
    }

    /** No join of that name is configured. */
    record UnknownJoin(String join) implements TableAnswer {
    }

    /** A partitioned table whose key lives on another instance ({@code application.server}). */
    record Elsewhere(String hostAndPort) implements TableAnswer {
    }

    /** The store cannot be queried right now (rebalancing, restoring): ask again. */
    record Unavailable(String reason) implements TableAnswer {
    }
}
