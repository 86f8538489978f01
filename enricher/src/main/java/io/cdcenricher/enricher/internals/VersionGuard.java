package io.cdcenricher.enricher.internals;

import com.fasterxml.jackson.core.JsonToken;
import io.cdcenricher.enricher.VersionOutcome;
import io.cdcenricher.enricher.config.VersionAction;
import io.cdcenricher.enricher.config.VersionGuardConfig;
import java.nio.ByteBuffer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The per-entity version guard ({@code event.versionField}): each entity's last accepted version, kept in a
 * changelogged store of the task that processes the entity's events ({@value #STORE_NAME}, keyed by the event key),
 * and the rule that decides each event against it. The processor reads the event's fields on arrival
 * ({@link #read}) and asks {@link #check} when the event is about to leave, so the store is read and written in the
 * same processing step as the event's output (and, under exactly-once, committed in the same transaction).
 *
 * <p>The rule ({@link #decide}), with {@code V} the stored version (0 for an entity never accepted):
 * <ol>
 *   <li>the event is the entity's last accepted one again (same version, same value bytes, compared by a 64-bit
 *       hash): {@link VersionOutcome#DUPLICATE}, a redelivery.</li>
 *   <li>with an expectation {@code E} (read checks {@code version > E}): the entity's delete was accepted:
 *       {@link VersionOutcome#ENTITY_DELETED}; {@code E != V}: {@link VersionOutcome#VERSION_CONFLICT}.</li>
 *   <li>without one: {@code version <= V}: {@link VersionOutcome#DUPLICATE} (that version or a later one was
 *       accepted: a redelivery or a stale replay); the entity's delete was accepted:
 *       {@link VersionOutcome#ENTITY_DELETED}.</li>
 *   <li>otherwise {@link VersionOutcome#ACCEPTED}: {@code version} and the hash are stored, marked deleted for the
 *       delete type.</li>
 * </ol>
 * Two commands issued against the same version (a {@code delete} and a {@code modify}, both expecting 1 and both
 * proposing 2) differ in their bytes, so the second is rejected for what it is, not dropped as a duplicate.
 */
final class VersionGuard {

    static final String STORE_NAME = "entity-versions";
    /** An event that carries no expectation ({@code expectedVersionField} absent, unset, or null in the event). */
    static final long NO_EXPECTATION = -1;

    /** An entity's last accepted version, whether that was its delete, and the hash of that event's value. */
    record EntityVersion(long version, boolean deleted, long valueHash) {

        private static final int LENGTH = Long.BYTES + 1 + Long.BYTES;

        byte[] toBytes() {
            return ByteBuffer.allocate(LENGTH).putLong(version).put((byte) (deleted ? 1 : 0)).putLong(valueHash)
                    .array();
        }

        static EntityVersion fromBytes(byte[] bytes) {
            if (bytes == null) {
                return null;
            }
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            return new EntityVersion(buffer.getLong(), buffer.get() != 0, buffer.getLong());
        }
    }

    /** An event's version fields and the hash of its value. */
    record Versions(long version, long expected, long valueHash) {
    }

    private final VersionGuardConfig config;
    private final int versionPath;
    private final int expectedPath;
    private final int deleteType;
    private KeyValueStore<Bytes, byte[]> store;
    /** What {@link #check} last read, for the detail of a rejection without a second read. */
    private EntityVersion lastStored;

    /** Registers the guard's paths with {@code scanner}; {@code deleteType} is the index of the delete type. */
    VersionGuard(VersionGuardConfig config, EventScanner scanner, int deleteType) {
        this.config = config;
        this.versionPath = scanner.addPath(config.versionField());
        this.expectedPath = config.expectedVersionField() == null ? -1
                : scanner.addPath(config.expectedVersionField());
        this.deleteType = deleteType;
    }

    /** The changelogged store (RocksDB; changelog {@code <applicationId>-entity-versions-changelog}). */
    static StoreBuilder<KeyValueStore<Bytes, byte[]>> storeBuilder() {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE_NAME), Serdes.Bytes(),
                Serdes.ByteArray());
    }

    void init(KeyValueStore<Bytes, byte[]> store) {
        this.store = store;
    }

    /**
     * Whether the event's versions can be read; {@link #invalidDetail} says why not. A version is a JSON whole
     * number or a string of digits: at least 1 for the version, at least 0 and below the version for the
     * expectation.
     */
    boolean readable(EventScan scan) {
        long version = number(scan, versionPath);
        if (version < 1) {
            return false;
        }
        if (!hasExpectation(scan)) {
            return true;
        }
        long expected = number(scan, expectedPath);
        return expected >= 0 && expected < version;
    }

    /** The versions of an event that is {@link #readable}, and the hash of its value. */
    Versions read(EventScan scan, byte[] value) {
        return new Versions(number(scan, versionPath), hasExpectation(scan) ? number(scan, expectedPath)
                : NO_EXPECTATION, hash(value));
    }

    private boolean hasExpectation(EventScan scan) {
        return expectedPath >= 0 && scan.token(expectedPath) != null
                && scan.token(expectedPath) != JsonToken.VALUE_NULL;
    }

    /** Why this event is not {@link #readable}. */
    String invalidDetail(EventScan scan) {
        JsonToken token = scan.token(versionPath);
        if (token == null || token == JsonToken.VALUE_NULL) {
            return "the event has no version field '" + config.versionField() + "'";
        }
        long version = number(scan, versionPath);
        if (version < 1) {
            return "the version field '" + config.versionField() + "' is " + describe(scan, versionPath)
                    + ", not a whole number of at least 1";
        }
        if (number(scan, expectedPath) < 0) {
            return "the expected version field '" + config.expectedVersionField() + "' is "
                    + describe(scan, expectedPath) + ", not a whole number of at least 0";
        }
        return "the version " + version + " does not follow the expected version " + number(scan, expectedPath)
                + " ('" + config.versionField() + "' must be greater than '" + config.expectedVersionField() + "')";
    }

    /**
     * Decides the event against its entity's stored version and, when accepted, stores its version: one read and
     * at most one write.
     */
    VersionOutcome check(byte[] entity, Versions versions, int type) {
        Bytes key = Bytes.wrap(entity);
        lastStored = EntityVersion.fromBytes(store.get(key));
        VersionOutcome outcome = decide(lastStored, versions);
        if (outcome == VersionOutcome.ACCEPTED) {
            store.put(key, new EntityVersion(versions.version(), type == deleteType, versions.valueHash()).toBytes());
        }
        return outcome;
    }

    /** The rule of the class comment; {@code stored} is {@code null} for an entity never accepted. */
    static VersionOutcome decide(EntityVersion stored, Versions event) {
        if (stored == null) {
            return event.expected() == NO_EXPECTATION || event.expected() == 0 ? VersionOutcome.ACCEPTED
                    : VersionOutcome.VERSION_CONFLICT;
        }
        if (event.version() == stored.version() && event.valueHash() == stored.valueHash()) {
            return VersionOutcome.DUPLICATE;
        }
        if (event.expected() == NO_EXPECTATION && event.version() <= stored.version()) {
            return VersionOutcome.DUPLICATE;
        }
        if (stored.deleted()) {
            return VersionOutcome.ENTITY_DELETED;
        }
        return event.expected() == NO_EXPECTATION || event.expected() == stored.version() ? VersionOutcome.ACCEPTED
                : VersionOutcome.VERSION_CONFLICT;
    }

    /** FNV-1a, 64 bits: tells a redelivered event from another command that proposes the same version. */
    static long hash(byte[] value) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : value) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        return hash;
    }

    /** Where a rejected event goes; accepted events always go to the output. */
    VersionAction actionFor(VersionOutcome outcome) {
        return switch (outcome) {
            case ACCEPTED -> VersionAction.OUTPUT;
            case VERSION_CONFLICT -> config.onConflict();
            case DUPLICATE -> config.onDuplicate();
            case ENTITY_DELETED -> config.onEntityDeleted();
        };
    }

    /** The detail header of the rejection {@link #check} just returned, for the dead-letter topic. */
    String rejectionDetail(Versions versions, VersionOutcome outcome) {
        String current = lastStored == null ? "0 (never accepted)" : Long.toString(lastStored.version());
        return switch (outcome) {
            case VERSION_CONFLICT -> "expected version " + versions.expected() + ", the entity is at " + current;
            case DUPLICATE -> "version " + versions.version() + " was already accepted (the entity is at version "
                    + current + ")";
            case ENTITY_DELETED -> "the entity was deleted at version " + current + "; version "
                    + versions.version() + " comes after its delete";
            case ACCEPTED -> "accepted";
        };
    }

    /** A whole number of at least 0 at {@code path}, or -1. */
    private static long number(EventScan scan, int path) {
        JsonToken token = scan.token(path);
        String text = scan.text(path);
        if (text == null || (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_STRING)
                || text.isEmpty() || text.length() > 18 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        return Long.parseLong(text);
    }

    private static String describe(EventScan scan, int path) {
        JsonToken token = scan.token(path);
        String text = scan.text(path);
        return text != null ? "'" + text + "'" : Json.kindOf(token);
    }
}
