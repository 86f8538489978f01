package io.cdcenricher.enricher.internals;

import io.cdcenricher.enricher.DeadLetter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The stored form of a {@link BufferedEvent}: length-prefixed byte arrays as in {@link PartlyEnrichedEventSerde}, no JSON.
 * A version byte leads so the format can change across upgrades (the buffer's changelog outlives a deployment).
 *
 * <pre>
 * version(1) key value timestamp(8) headers(4) [name value]* source: present(1) [topic partition(4) offset(8)]
 * heldAt(8) joins(2) [waitKey]*
 * where each byte array is length(4, -1 = null) + bytes
 * </pre>
 */
final class BufferedEventSerde {

    private static final byte VERSION = 1;

    private BufferedEventSerde() {
    }

    static byte[] serialize(BufferedEvent event) {
        Header[] headers = event.headers.toArray();
        byte[][] headerNames = new byte[headers.length][];
        byte[] sourceTopic = event.source == null || event.source.topic() == null ? null
                : event.source.topic().getBytes(StandardCharsets.UTF_8);
        int size = 1 + PartlyEnrichedEventSerde.sizeOf(event.key) + PartlyEnrichedEventSerde.sizeOf(event.value) + 8 + 4 + 1 + 8 + 2;
        for (int i = 0; i < headers.length; i++) {
            headerNames[i] = headers[i].key().getBytes(StandardCharsets.UTF_8);
            size += PartlyEnrichedEventSerde.sizeOf(headerNames[i]) + PartlyEnrichedEventSerde.sizeOf(headers[i].value());
        }
        if (sourceTopic != null) {
            size += PartlyEnrichedEventSerde.sizeOf(sourceTopic) + 4 + 8;
        }
        for (byte[] waitKey : event.waitKeys) {
            size += PartlyEnrichedEventSerde.sizeOf(waitKey);
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.put(VERSION);
        PartlyEnrichedEventSerde.put(out, event.key);
        PartlyEnrichedEventSerde.put(out, event.value);
        out.putLong(event.timestamp);
        out.putInt(headers.length);
        for (int i = 0; i < headers.length; i++) {
            PartlyEnrichedEventSerde.put(out, headerNames[i]);
            PartlyEnrichedEventSerde.put(out, headers[i].value());
        }
        out.put((byte) (sourceTopic == null ? 0 : 1));
        if (sourceTopic != null) {
            PartlyEnrichedEventSerde.put(out, sourceTopic);
            out.putInt(event.source.partition());
            out.putLong(event.source.offset());
        }
        out.putLong(event.heldAt);
        out.putShort((short) event.waitKeys.length);
        for (byte[] waitKey : event.waitKeys) {
            PartlyEnrichedEventSerde.put(out, waitKey);
        }
        return out.array();
    }

    static BufferedEvent deserialize(byte[] data) {
        ByteBuffer in = ByteBuffer.wrap(data);
        byte version = in.get();
        if (version != VERSION) {
            throw new SerializationException("unknown held-event format version " + version);
        }
        byte[] key = PartlyEnrichedEventSerde.get(in);
        byte[] value = PartlyEnrichedEventSerde.get(in);
        long timestamp = in.getLong();
        int headerCount = in.getInt();
        Headers headers = new RecordHeaders();
        for (int i = 0; i < headerCount; i++) {
            String name = new String(PartlyEnrichedEventSerde.get(in), StandardCharsets.UTF_8);
            headers.add(name, PartlyEnrichedEventSerde.get(in));
        }
        DeadLetter.Source source = null;
        if (in.get() != 0) {
            String topic = new String(PartlyEnrichedEventSerde.get(in), StandardCharsets.UTF_8);
            source = new DeadLetter.Source(topic, in.getInt(), in.getLong());
        }
        long heldAt = in.getLong();
        byte[][] waitKeys = new byte[in.getShort()][];
        for (int i = 0; i < waitKeys.length; i++) {
            waitKeys[i] = PartlyEnrichedEventSerde.get(in);
        }
        return new BufferedEvent(key, value, timestamp, headers, source, heldAt, waitKeys);
    }
}
