package io.cdcenricher.ops;

import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The source offset Connect committed for a Debezium binlog connector ({@code GET /connectors/{name}/offsets}):
 * where the task resumes after a restart. Debezium stores the binlog file and position to restart from
 * ({@code file}, {@code pos}) and, when the last delivered record was inside a transaction, how many events and
 * rows of that transaction to skip ({@code event}, {@code row}); {@code snapshot} is set while the initial snapshot
 * has not completed.
 */
public record CommittedOffset(BinlogPosition position, long event, long row, boolean snapshotting, String raw) {

    /** The first entry of the {@code offsets} array that has a binlog position; empty when there is none. */
    public static Optional<CommittedOffset> parse(JsonNode offsets) {
        for (JsonNode entry : offsets) {
            JsonNode offset = entry.path("offset");
            if (offset.path("file").isTextual() && offset.path("pos").canConvertToLong()) {
                JsonNode snapshot = offset.path("snapshot");
                boolean snapshotting = !snapshot.isMissingNode() && !snapshot.isNull()
                        && !"false".equalsIgnoreCase(snapshot.asText());
                return Optional.of(new CommittedOffset(
                        new BinlogPosition(offset.path("file").asText(), offset.path("pos").asLong()),
                        offset.path("event").asLong(0), offset.path("row").asLong(0), snapshotting, offset.toString()));
            }
        }
        return Optional.empty();
    }

    /**
     * Whether the task resumes inside the transaction that starts at {@link #position}: that transaction was (at
     * least partly) delivered, so it is not a change still waiting to be captured.
     */
    public boolean insideTransaction() {
        return event > 0 || row > 0;
    }

    /** Whether both resume at the same place: same binlog position and the same events and rows to skip. */
    public boolean samePlace(CommittedOffset other) {
        return position.equals(other.position) && event == other.event && row == other.row;
    }

    @Override
    public String toString() {
        return position + (insideTransaction() ? " (event " + event + ", row " + row + ")" : "");
    }
}
