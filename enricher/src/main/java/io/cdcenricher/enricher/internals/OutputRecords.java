package io.cdcenricher.enricher.internals;

import io.cdcenricher.enricher.DeadLetter;
import io.cdcenricher.enricher.JoinStatus;
import io.cdcenricher.enricher.config.EnricherConfig;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The last step of every path: splice the enriched event, or dead-letter it as oversized. Shared by the
 * single-pass processor and the processor that ends the partitioned path, so both give the same answer.
 */
final class EnrichedEventFinisher {

    private final EnrichedEventWriter writer;
    private final int maxRecordBytes;

    EnrichedEventFinisher(EnricherConfig config) {
        this.writer = new EnrichedEventWriter(config.joins());
        this.maxRecordBytes = config.maxRecordBytes();
    }

    /** The record to forward for an event whose joins are all resolved. */
    Record<byte[], Outcome> finish(Record<byte[], ?> record, byte[] key, byte[] value, int closingBrace,
                                   boolean hasFields, JoinStatus[] statuses, byte[][] rows,
                                   DeadLetter.Source source) {
        int length = writer.length(value, closingBrace, hasFields, statuses, rows);
        if (key.length + length > maxRecordBytes) {
            return deadLetter(record, key, value, DeadLetter.Reason.OVERSIZED_RECORD, "the enriched record would be "
                    + (key.length + length) + " bytes (key + value), above maxRecordBytes " + maxRecordBytes,
                    null, source);
        }
        byte[] enriched = writer.write(value, closingBrace, hasFields, statuses, rows);
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
