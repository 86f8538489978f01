package io.cdcenricher.enricher.internals;

import io.cdcenricher.enricher.DeadLetter;
import io.cdcenricher.enricher.JoinStatus;
import io.cdcenricher.enricher.config.EnricherConfig;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The records a path ends with: the enriched event, spliced by {@link EventSplicer}, or the original event as an
 * {@code oversized-record} dead letter when key and enriched value would exceed {@code maxRecordBytes}; and the dead
 * letters every stage sends, with their {@code dlq.*} headers. Shared by the single-pass processor and the processor
 * that ends the partitioned path, so both give the same answer.
 */
final class OutputRecords {

    private final EventSplicer splicer;
    private final int maxRecordBytes;

    OutputRecords(EnricherConfig config) {
        this.splicer = new EventSplicer(config.joins());
        this.maxRecordBytes = config.maxRecordBytes();
    }

    /** The record to forward for an event whose joins are all resolved. */
    Record<byte[], Outcome> enriched(Record<byte[], ?> record, byte[] key, byte[] value, int closingBrace,
                                     boolean hasFields, JoinStatus[] statuses, byte[][] rows,
                                     DeadLetter.Source source) {
        int length = splicer.length(value, closingBrace, hasFields, statuses, rows);
        if (key.length + length > maxRecordBytes) {
            return deadLetter(record, key, value, DeadLetter.Reason.OVERSIZED_RECORD, "the enriched record would be "
                    + (key.length + length) + " bytes (key + value), above maxRecordBytes " + maxRecordBytes,
                    null, source);
        }
        byte[] enriched = splicer.write(value, closingBrace, hasFields, statuses, rows);
        return new Record<>(key, new Outcome.Output(enriched, statuses.clone()), record.timestamp(), record.headers());
    }

    /** A dead letter: the original key and value, the record's headers plus {@code dlq.*}. */
    static Record<byte[], Outcome> deadLetter(Record<byte[], ?> record, byte[] key, byte[] value,
                                              DeadLetter.Reason reason, String detail, Throwable exception,
                                              DeadLetter.Source source) {
        Headers headers = DeadLetter.headers(record.headers(), reason, detail, exception, source);
        return new Record<>(key, new Outcome.DeadLettered(value, reason), record.timestamp(), headers);
    }
}
