package io.cdcenricher.perf;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.SplittableRandom;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

/**
 * Deterministic order events of about 200 bytes, keyed by entity id: creates of new entities and, with probability
 * {@code updateRatio}, updates of an earlier one. The customer id is drawn by a {@link KeySampler} over the
 * reference rows. The same seed gives the same sequence, so every mode drains the same input.
 */
public final class EventGenerator {

    /** Target size of an event value in bytes; a {@code note} field pads shorter events up to it. */
    public static final int TARGET_BYTES = 200;
    private static final long BASE_MILLIS = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    private static final String PAD = "x".repeat(TARGET_BYTES);
    /** {@code ,"note":""} and {@code }}: the bytes around the padding. */
    private static final int NOTE_FRAME_BYTES = ",\"note\":\"\"}".length();
    private static final JsonFactory JSON = new JsonFactory();

    private final String keyPrefix;
    private final KeySampler customers;
    private final double updateRatio;
    private final SplittableRandom random;
    private long created;
    private long sequence;

    public EventGenerator(String keyPrefix, KeySampler customers, double updateRatio, long seed) {
        this.keyPrefix = keyPrefix;
        this.customers = customers;
        this.updateRatio = updateRatio;
        this.random = new SplittableRandom(seed);
    }

    /** One event: the entity id (the record key) and the JSON value. */
    public record Event(String key, byte[] value, int customerId) {
        public byte[] keyBytes() {
            return key.getBytes(StandardCharsets.UTF_8);
        }
    }

    public Event next() {
        boolean update = created > 0 && random.nextDouble() < updateRatio;
        long entity = update ? random.nextLong(created) : created++;
        return event(update ? "update" : "create", keyPrefix + entity, customers.next());
    }

    /** An event for a given customer, e.g. a freshness probe. */
    public Event event(String type, String key, int customerId) {
        long seq = sequence++;
        ByteArrayOutputStream out = new ByteArrayOutputStream(TARGET_BYTES + 16);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("type", type);
            json.writeStringField("id", key);
            json.writeNumberField("customerId", customerId);
            json.writeStringField("productId", "p-" + (1 + random.nextInt(100)));
            json.writeNumberField("amount", random.nextInt(100_000) / 100.0);
            json.writeStringField("ts", Instant.ofEpochMilli(BASE_MILLIS + seq).toString());
            json.flush(); // so that out.size() counts what is written so far
            // The note pads the event to TARGET_BYTES: what is left after ,"note":"" and the closing brace.
            int pad = TARGET_BYTES - out.size() - NOTE_FRAME_BYTES;
            json.writeStringField("note", PAD.substring(0, Math.max(1, pad)));
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Event(key, out.toByteArray(), customerId);
    }
}
