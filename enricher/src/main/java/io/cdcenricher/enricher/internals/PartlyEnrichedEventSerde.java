package io.cdcenricher.enricher.internals;

import io.cdcenricher.enricher.DeadLetter;
import io.cdcenricher.enricher.JoinStatus;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The repartition-topic format of a {@link PartlyEnrichedEvent}: length-prefixed byte arrays, no JSON, so the event and
 * the pre-serialized rows are copied, never parsed again. Internal topics only; a version byte leads so the
 * format can change across upgrades.
 *
 * <pre>
 * version(1) entityKey value closingBrace(4) hasFields(1) joins(2)
 *   per join: status(1, {@link JoinStatusCode}, -1 = pending) row foreignKey
 * source: present(1) [topic partition(4) offset(8)]
 * eventTime(8)                                      (version 2; version 1 records use the record timestamp)
 * where each byte array is length(4, -1 = null) + bytes
 * </pre>
 */
final class PartlyEnrichedEventSerde implements Serde<PartlyEnrichedEvent>, Serializer<PartlyEnrichedEvent>,
        Deserializer<PartlyEnrichedEvent> {

    private static final byte VERSION = 2;
    private static final byte VERSION_WITHOUT_EVENT_TIME = 1;

    @Override
    public byte[] serialize(String topic, PartlyEnrichedEvent event) {
        if (event == null) {
            return null;
        }
        byte[] sourceTopic = event.source == null ? null : event.source.topic().getBytes(StandardCharsets.UTF_8);
        int size = 1 + sizeOf(event.entityKey) + sizeOf(event.value) + 4 + 1 + 2 + 1;
        for (int i = 0; i < event.statuses.length; i++) {
            size += 1 + sizeOf(event.rows[i]) + sizeOf(event.foreignKeys[i]);
        }
        if (sourceTopic != null) {
            size += sizeOf(sourceTopic) + 4 + 8;
        }
        size += 8;
        ByteBuffer out = ByteBuffer.allocate(size);
        out.put(VERSION);
        put(out, event.entityKey);
        put(out, event.value);
        out.putInt(event.closingBrace);
        out.put((byte) (event.hasFields ? 1 : 0));
        out.putShort((short) event.statuses.length);
        for (int i = 0; i < event.statuses.length; i++) {
            out.put(JoinStatusCode.of(event.statuses[i]));
            put(out, event.rows[i]);
            put(out, event.foreignKeys[i]);
        }
        out.put((byte) (sourceTopic == null ? 0 : 1));
        if (sourceTopic != null) {
            put(out, sourceTopic);
            out.putInt(event.source.partition());
            out.putLong(event.source.offset());
        }
        out.putLong(event.eventTime);
        return out.array();
    }

    @Override
    public PartlyEnrichedEvent deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        ByteBuffer in = ByteBuffer.wrap(data);
        byte version = in.get();
        if (version != VERSION && version != VERSION_WITHOUT_EVENT_TIME) {
            throw new SerializationException("unknown pending-event format version " + version);
        }
        byte[] entityKey = get(in);
        byte[] value = get(in);
        int closingBrace = in.getInt();
        boolean hasFields = in.get() != 0;
        int joins = in.getShort();
        JoinStatus[] statuses = new JoinStatus[joins];
        byte[][] rows = new byte[joins][];
        byte[][] foreignKeys = new byte[joins][];
        for (int i = 0; i < joins; i++) {
            statuses[i] = JoinStatusCode.status(in.get());
            rows[i] = get(in);
            foreignKeys[i] = get(in);
        }
        DeadLetter.Source source = null;
        if (in.get() != 0) {
            String sourceTopic = new String(get(in), StandardCharsets.UTF_8);
            source = new DeadLetter.Source(sourceTopic, in.getInt(), in.getLong());
        }
        long eventTime = version == VERSION ? in.getLong() : PartlyEnrichedEvent.RECORD_TIME;
        return new PartlyEnrichedEvent(entityKey, value, closingBrace, hasFields, statuses, rows, foreignKeys, source,
                eventTime);
    }

    static int sizeOf(byte[] bytes) {
        return 4 + (bytes == null ? 0 : bytes.length);
    }

    static void put(ByteBuffer out, byte[] bytes) {
        if (bytes == null) {
            out.putInt(-1);
        } else {
            out.putInt(bytes.length).put(bytes);
        }
    }

    static byte[] get(ByteBuffer in) {
        int length = in.getInt();
        if (length < 0) {
            return null;
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return bytes;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        // Nothing to configure.
    }

    @Override
    public void close() {
        // Nothing to release.
    }

    @Override
    public Serializer<PartlyEnrichedEvent> serializer() {
        return this;
    }

    @Override
    public Deserializer<PartlyEnrichedEvent> deserializer() {
        return this;
    }
}
