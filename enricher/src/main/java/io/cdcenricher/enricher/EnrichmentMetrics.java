package io.cdcenricher.enricher;

import java.util.function.LongConsumer;

/**
 * What the topology reports about each record it writes: the status of every join of an enriched event, the reason
 * of every dead letter, and how long after its timestamp the event was ready to be written. Called on stream
 * threads, once per record: implementations must be cheap and thread-safe.
 */
public interface EnrichmentMetrics {

    /** Reports nothing: tests and tools that build the topology without an application around it. */
    EnrichmentMetrics NONE = new EnrichmentMetrics() {
        @Override
        public void enriched(JoinStatus[] statuses, long eventTimestamp) {
        }

        @Override
        public void deadLettered(DeadLetter.Reason reason) {
        }
    };

    /** An enriched event: {@code statuses[i]} is the status of the i-th configured join. */
    void enriched(JoinStatus[] statuses, long eventTimestamp);

    /** An event sent to the dead-letter topic. */
    void deadLettered(DeadLetter.Reason reason);

    /**
     * What the version guard decided for an event, counted where it decides (a dropped event reaches no topic).
     * By default not counted.
     */
    default void versionChecked(VersionOutcome outcome) {
    }

    /**
     * Where the updater of {@code join}'s table reports the source time (epoch millis) of each row it applies, for
     * the capture lag; asked once per updater. By default the times are ignored.
     */
    default LongConsumer tableRowTimes(String join) {
        return time -> { };
    }

    /**
     * What the updater of {@code join}'s table calls for each table record it skips because the store already
     * holds the same or a newer version of the row (a re-sent change); asked once per updater. By default ignored.
     */
    default Runnable staleTableRows(String join) {
        return () -> { };
    }
}
