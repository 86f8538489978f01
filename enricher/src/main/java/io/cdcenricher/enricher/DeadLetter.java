package io.cdcenricher.enricher;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The dead-letter contract: a dead letter carries the original key and value bytes unchanged, the original
 * headers, and {@code dlq.*} headers saying why and where from. Consumers of the dead-letter topic depend on
 * these names and reason codes.
 */
public final class DeadLetter {

    public static final String REASON = "dlq.reason";
    public static final String DETAIL = "dlq.detail";
    public static final String EXCEPTION_CLASS = "dlq.exception.class";
    public static final String SOURCE_TOPIC = "dlq.source.topic";
    public static final String SOURCE_PARTITION = "dlq.source.partition";
    public static final String SOURCE_OFFSET = "dlq.source.offset";

    private static final String[] ALL = {REASON, DETAIL, EXCEPTION_CLASS, SOURCE_TOPIC, SOURCE_PARTITION,
        SOURCE_OFFSET};

    /** Why a record was dead-lettered; {@link #code()} is the {@code dlq.reason} header value. */
    public enum Reason {
        NULL_KEY("null-key"),
        MALFORMED_JSON("malformed-json"),
        UNKNOWN_EVENT_TYPE("unknown-event-type"),
        OUTPUT_FIELD_CONFLICT("output-field-conflict"),
        MISSING_FOREIGN_KEY("missing-foreign-key"),
        INVALID_FOREIGN_KEY("invalid-foreign-key"),
        /** A join with {@code onMiss: dead-letter} found no row, or a deleted one. */
        JOIN_MISS("join-miss"),
        OVERSIZED_RECORD("oversized-record"),
        /** A held event's row did not arrive within {@code maxWait} and the join has {@code onTimeout: dead-letter}. */
        WAIT_TIMEOUT("wait-timeout"),
        /** The wait buffer was full and released the event with {@code waitBuffer.onOverflow: dead-letter}. */
        WAIT_OVERFLOW("wait-overflow"),
        /** {@code format: avro}: the value cannot be decoded (unknown schema id, corrupt bytes). */
        MALFORMED_AVRO("malformed-avro"),
        /** {@code format: avro}: the enriched event does not fit the output schema. */
        OUTPUT_SCHEMA_MISMATCH("output-schema-mismatch"),
        /** Version guard: the version field is missing or not a positive whole number, or the expected one invalid. */
        INVALID_VERSION("invalid-version"),
        /** Version guard, {@code onVersionConflict: dead-letter}: see {@link VersionOutcome#VERSION_CONFLICT}. */
        VERSION_CONFLICT("version-conflict"),
        /** Version guard, {@code onDuplicate: dead-letter}: see {@link VersionOutcome#DUPLICATE}. */
        DUPLICATE("duplicate"),
        /** Version guard, {@code onEntityDeleted: dead-letter}: see {@link VersionOutcome#ENTITY_DELETED}. */
        ENTITY_DELETED("entity-deleted");

        private final String code;

        Reason(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    /** Where the record was read from; {@code null} topic when unknown (e.g. a punctuation). */
    public record Source(String topic, int partition, long offset) {
    }

    private DeadLetter() {
    }

    /**
     * A copy of {@code original} plus the {@code dlq.*} headers. Any {@code dlq.*} headers already present
     * (a dead letter replayed into the input) are replaced, so each header appears once and is current.
     */
    public static Headers headers(Headers original, Reason reason, String detail, Throwable exception,
                                  Source source) {
        Headers headers = new RecordHeaders(original.toArray());
        for (String name : ALL) {
            headers.remove(name);
        }
        add(headers, REASON, reason.code());
        add(headers, DETAIL, detail);
        if (exception != null) {
            add(headers, EXCEPTION_CLASS, exception.getClass().getName());
        }
        if (source != null && source.topic() != null) {
            add(headers, SOURCE_TOPIC, source.topic());
            add(headers, SOURCE_PARTITION, Integer.toString(source.partition()));
            add(headers, SOURCE_OFFSET, Long.toString(source.offset()));
        }
        return headers;
    }

    private static void add(Headers headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
