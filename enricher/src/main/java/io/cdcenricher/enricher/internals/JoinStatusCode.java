package io.cdcenricher.enricher.internals;

import io.cdcenricher.enricher.JoinStatus;
import org.apache.kafka.common.errors.SerializationException;

/**
 * The byte that stands for a {@link JoinStatus} in {@link PartlyEnrichedEventSerde}'s records. Each constant's code is
 * written out here rather than taken from {@link Enum#ordinal()}: repartition topics and changelogs hold records
 * written by the previous version of the enricher, so reordering or inserting a constant must not change what an
 * old byte means. A new constant gets a new, unused code; a code once used is never reused.
 */
final class JoinStatusCode {

    /** A join whose partitioned lookup is still to come (its status is {@code null}). */
    static final byte PENDING = -1;

    private JoinStatusCode() {
    }

    /** The code written for {@code status}; {@link #PENDING} for {@code null}. */
    static byte of(JoinStatus status) {
        if (status == null) {
            return PENDING;
        }
        // A switch expression with no default: a new constant does not compile until it is given its code here.
        return switch (status) {
            case HIT -> 0;
            case MISS -> 1;
            case DELETED -> 2;
            case SKIPPED -> 3;
            case LATE -> 4;
        };
    }

    /** The status a code stands for; {@code null} for {@link #PENDING}. */
    static JoinStatus status(byte code) {
        return switch (code) {
            case PENDING -> null;
            case 0 -> JoinStatus.HIT;
            case 1 -> JoinStatus.MISS;
            case 2 -> JoinStatus.DELETED;
            case 3 -> JoinStatus.SKIPPED;
            case 4 -> JoinStatus.LATE;
            default -> throw new SerializationException("unknown join status code " + code
                    + " in a pending event (written by a newer enricher?)");
        };
    }
}
