package io.cdcenricher.enricher.internals;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Times a table record by the source database's commit time, the top-level field {@code __source_ts_ms} that the
 * connector adds ({@code ExtractNewRecordState} with {@code add.fields=source.ts_ms}), so a row version is valid
 * from when it was committed, not from when Connect wrote it. Falls back to the record timestamp when the field
 * is absent or not a positive whole number, and for tombstones (they carry no value; their timestamp is Connect's).
 *
 * <p>Only the top level of the row is read, with a streaming parser that skips nested values; a value that is not
 * JSON falls back too (the updater skips and logs it).
 */
final class SourceTimestampExtractor implements TimestampExtractor {

    static final String FIELD = "__source_ts_ms";

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        long fallback = record.timestamp() >= 0 ? record.timestamp() : Math.max(partitionTime, 0);
        if (!(record.value() instanceof byte[] value)) {
            return fallback;
        }
        long sourceTime = sourceTime(value);
        return sourceTime > 0 ? sourceTime : fallback;
    }

    /** {@code __source_ts_ms} of a JSON row, or -1. */
    static long sourceTime(byte[] row) {
        try (JsonParser parser = Json.FACTORY.createParser(row)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return -1;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (name.equals(FIELD)) {
                    boolean fitsLong = value == JsonToken.VALUE_NUMBER_INT
                            && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER;
                    return fitsLong ? parser.getLongValue() : -1;
                }
                parser.skipChildren();
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }
}
