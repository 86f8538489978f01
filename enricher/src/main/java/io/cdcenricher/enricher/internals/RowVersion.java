package io.cdcenricher.enricher.internals;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * The version of a table row, so a store never replaces a row with an older one: a connector that resumes from its
 * last committed offset after a crash writes the last second or so of changes again, and a latest-row join must
 * not serve version 7 again after version 8.
 *
 * <p>Read from the row's top-level fields while {@link RowProjector} projects it (no second parse), one of:
 * <ul>
 *   <li>a configured version column ({@code versionField}): a whole number, or an ISO-8601 timestamp with an offset
 *       (compared to the microsecond). Newer means greater.</li>
 *   <li>else Debezium's binlog position, as {@code ExtractNewRecordState} adds it with
 *       {@code add.fields=source.ts_ms,source.server_id,source.file,source.pos,source.row}: {@code __source_file},
 *       {@code __source_pos}, {@code __source_row}, plus {@code __source_server_id} and {@code __source_ts_ms}.
 *       Newer means a greater (file number, position, row) on the same server. Positions of different servers are
 *       not comparable (a failover): such a row is accepted; snapshot records carry server id 0 and are compared. A lower position with a later commit time is a reset
 *       binlog ({@code RESET MASTER}, a rebuilt server), not a re-send: accepted too. Snapshot records share the
 *       snapshot's position, but each key is read once per snapshot, and a streamed change after it has a greater
 *       position.</li>
 *   <li>else none: the row is accepted in topic order, as before versions were kept.</li>
 * </ul>
 * A row whose version column is absent or unreadable has no version and is accepted (the fallback).
 *
 * <p>Encoded versions are small byte arrays (a kind byte, then big-endian longs) kept with the stored row and the
 * deletion marker ({@link ReferenceTable}).
 */
final class RowVersion {

    /** Debezium's top-level metadata fields this class reads. */
    static final String FILE = "__source_file";
    static final String POSITION = "__source_pos";
    static final String ROW = "__source_row";
    static final String SERVER_ID = "__source_server_id";
    /** A row written by {@code delete.tombstone.handling.mode=rewrite} or {@code rewrite-with-tombstone}. */
    static final String DELETED = "__deleted";

    private static final byte KIND_POSITION = 1;
    private static final byte KIND_FIELD = 2;
    private static final int POSITION_LENGTH = 1 + 5 * Long.BYTES;
    private static final int FIELD_LENGTH = 1 + Long.BYTES;
    private static final long ABSENT = Long.MIN_VALUE;
    /**
     * The server id of snapshot records (Debezium 3.5 on MariaDB 10.11: {@code __source_server_id} 0 on the snapshot,
     * the server's id on streamed changes, as {@code DebeziumMariaDbCaptureIT} reads them): their position is the
     * snapshot's binlog position on the server they were read from, so it is compared with any server's.
     */
    private static final long SNAPSHOT_SERVER_ID = 0;

    /** Reads the fields of one row; fresh per row. */
    static final class Reader {
        private final String versionField;
        private long field = ABSENT;
        private long sourceTime = -1;
        private long serverId = ABSENT;
        private long fileNumber = ABSENT;
        private long position = ABSENT;
        private long row = 0;
        private boolean deleted;

        /** @param versionField the configured version column, or null for the source position */
        Reader(String versionField) {
            this.versionField = versionField;
        }

        /**
         * Called for each top-level field with the parser on its value; reads scalars only and never moves the
         * parser, so the caller copies or skips the value afterwards.
         */
        void read(String name, JsonParser parser) throws IOException {
            JsonToken token = parser.currentToken();
            if (versionField != null && name.equals(versionField)) {
                field = fieldVersion(token, parser);
            }
            if (!name.startsWith("__")) {
                return;
            }
            switch (name) {
                case SourceTimestampExtractor.FIELD -> sourceTime = wholeNumber(token, parser, -1);
                case SERVER_ID -> serverId = wholeNumber(token, parser, ABSENT);
                case FILE -> fileNumber = token == JsonToken.VALUE_STRING ? fileNumber(parser.getText()) : ABSENT;
                case POSITION -> position = wholeNumber(token, parser, ABSENT);
                case ROW -> row = wholeNumber(token, parser, 0);
                case DELETED -> deleted = token == JsonToken.VALUE_TRUE
                        || token == JsonToken.VALUE_STRING && parser.getText().equals("true");
                default -> {
                }
            }
        }

        /** {@code __source_ts_ms}, or -1. */
        long sourceTime() {
            return sourceTime;
        }

        /** Whether the row is a rewritten delete ({@code __deleted: "true"}). */
        boolean deleted() {
            return deleted;
        }

        /** The encoded version, or null when the row has none. */
        byte[] version() {
            if (versionField != null) {
                return field == ABSENT ? null
                        : ByteBuffer.allocate(FIELD_LENGTH).put(KIND_FIELD).putLong(field).array();
            }
            if (fileNumber == ABSENT || position == ABSENT) {
                return null;
            }
            return ByteBuffer.allocate(POSITION_LENGTH).put(KIND_POSITION).putLong(sourceTime)
                    .putLong(serverId).putLong(fileNumber).putLong(position).putLong(row).array();
        }
    }

    private RowVersion() {
    }

    /** The version of a JSON row (a raw row restored into a partitioned store), or null. */
    static byte[] of(byte[] json, String versionField) {
        Reader reader = new Reader(versionField);
        try (JsonParser parser = Json.FACTORY.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                reader.read(name, parser);
                parser.skipChildren();
            }
        } catch (IOException e) {
            return null;
        }
        return reader.version();
    }

    /**
     * Whether a row of version {@code incoming} is a re-sent older (or the same) version of the stored row of
     * version {@code stored}; false whenever either is unknown or they are not comparable.
     */
    static boolean isStale(byte[] incoming, byte[] stored) {
        return isStale(incoming, stored, true);
    }

    /** As {@link #isStale(byte[], byte[])}; an equal version is stale only when {@code equalIsStale}. */
    static boolean isStale(byte[] incoming, byte[] stored, boolean equalIsStale) {
        if (incoming == null || stored == null || incoming.length != stored.length || incoming[0] != stored[0]) {
            return false;
        }
        ByteBuffer in = ByteBuffer.wrap(incoming);
        ByteBuffer st = ByteBuffer.wrap(stored);
        if (incoming[0] == KIND_FIELD) {
            long order = Long.compare(in.getLong(1), st.getLong(1));
            return order < 0 || order == 0 && equalIsStale;
        }
        long inTime = in.getLong(1);
        long stTime = st.getLong(1);
        long inServer = in.getLong(9);
        long stServer = st.getLong(9);
        if (inServer != stServer && inServer != SNAPSHOT_SERVER_ID && stServer != SNAPSHOT_SERVER_ID) {
            return false;
        }
        for (int offset = 17; offset < POSITION_LENGTH; offset += Long.BYTES) {
            int order = Long.compare(in.getLong(offset), st.getLong(offset));
            if (order != 0) {
                return order < 0 && inTime <= stTime;
            }
        }
        return equalIsStale;
    }

    /** The number a binlog file name ends with ({@code mariadb-bin.000042}: 42), or absent. */
    static long fileNumber(String file) {
        int dot = file.lastIndexOf('.');
        try {
            return Long.parseLong(file.substring(dot + 1));
        } catch (NumberFormatException e) {
            return ABSENT;
        }
    }

    private static long wholeNumber(JsonToken token, JsonParser parser, long otherwise) throws IOException {
        return token == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER
                ? parser.getLongValue() : otherwise;
    }

    /** A version column's value: a whole number, a string of digits, or an ISO timestamp (in microseconds). */
    private static long fieldVersion(JsonToken token, JsonParser parser) throws IOException {
        if (token == JsonToken.VALUE_NUMBER_INT) {
            return wholeNumber(token, parser, ABSENT);
        }
        if (token != JsonToken.VALUE_STRING) {
            return ABSENT;
        }
        String text = parser.getText();
        try {
            if (!text.isEmpty() && text.chars().allMatch(Character::isDigit)) {
                return Long.parseLong(text);
            }
            Instant instant = text.endsWith("Z") || text.endsWith("z") ? Instant.parse(text)
                    : OffsetDateTime.parse(text).toInstant();
            return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1000);
        } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
            return ABSENT;
        }
    }
}
