package io.cdcenricher.enricher.config;

import java.time.Duration;

/**
 * The history a partitioned join keeps so that events are looked up as of their own time (KIP-889 versioned
 * store), and the grace its lookup waits for late table changes (KIP-923).
 *
 * @param historyRetention how far back lookups as of the event time are answered; {@code null} for a table that
 *                         holds only the latest row
 * @param grace            how long (in event time) a lookup holds an event so that table changes with an earlier
 *                         source time that arrive later are still seen; {@link Duration#ZERO} joins at once;
 *                         {@code null} for a table that is not versioned
 */
public record VersionedConfig(Duration historyRetention, Duration grace) {

    /** A table that holds only the latest row. */
    public static final VersionedConfig NONE = new VersionedConfig(null, null);

    public boolean isVersioned() {
        return historyRetention != null;
    }
}
