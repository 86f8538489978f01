package io.cdcenricher.enricher.http;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code /status.json} answers and the status page at {@code /} shows: one instance's view of its joins, dead
 * letters, health, readiness, partitions and wait buffer, gathered at one moment. Counts are this instance's since
 * it started; rates are per second over {@link #rateWindowSeconds}. It holds no configuration value beyond names
 * and topics, so no secret can reach the page.
 *
 * @param applicationId      the Kafka Streams application id
 * @param generatedAt        when it was gathered (epoch millis, this instance's clock)
 * @param streamsState       the Kafka Streams client's state, or {@code STARTING} before the first client exists
 * @param ready              what {@code /ready} answers
 * @param readiness          why (not) ready, as {@code /ready} says it
 * @param health             what {@code /health} answers (DEGRADED names each join behind its capture)
 * @param rateWindowSeconds  the span the rates cover: about a minute, longer when nobody asked for a while,
 *                           {@code null} right after start-up (no earlier sample yet)
 * @param joins              each join, in configuration order
 * @param deadLetters        each reason that has dead-lettered at least one event, in the order of the reasons
 * @param deadLettersTotal   all dead letters since start-up
 * @param partitions         the input partitions of this instance's tasks, by topic
 * @param waitBuffer         the wait buffer ({@code onMiss: wait}) over this instance's tasks
 */
public record StatusSnapshot(String applicationId, long generatedAt, String streamsState, boolean ready,
                             String readiness, Health health, Double rateWindowSeconds, List<Join> joins,
                             List<DeadLetters> deadLetters, long deadLettersTotal, Partitions partitions,
                             WaitBuffer waitBuffer) {

    /** The state reported before any Kafka Streams client exists. */
    public static final String STARTING = "STARTING";

    public StatusSnapshot {
        joins = List.copyOf(joins);
        deadLetters = List.copyOf(deadLetters);
    }

    /**
     * One join.
     *
     * @param name                 the join's name
     * @param topic                its table topic
     * @param materialization      {@code global} or {@code partitioned}
     * @param store                {@code rocksdb} or {@code in-memory}
     * @param versioned            whether the table keeps row versions
     * @param rowsHeld             entries in its store on this instance (Kafka Streams' {@code approximateNumEntries}:
     *                             exact in memory; RocksDB's estimate otherwise, which counts deletion markers and,
     *                             until compaction, may count a key written more than once more than once); {@code null} when the store cannot be asked (starting,
     *                             rebalancing, or a versioned store)
     * @param lastUpdate           source commit time (epoch millis) of the newest table change applied since start-up,
     *                             {@code null} when none was
     * @param lastUpdateAppliedAt  when the last table change was applied here (epoch millis), {@code null} when none was
     * @param captureLagSeconds    as {@code enricher_capture_lag_seconds}
     * @param maxCaptureLagSeconds the join's {@code maxCaptureLag}, {@code null} when unbounded
     * @param totals               enriched events by status ({@code hit}, {@code miss}, {@code late}, {@code deleted},
     *                             {@code skipped}) since start-up
     * @param perSecond            the same per second over the rate window; empty when there is no window yet
     * @param staleRowsSkipped     table records skipped as re-sent older or equal versions of a row since start-up
     *                             (as {@code enricher_table_stale_skipped_total})
     */
    public record Join(String name, String topic, String materialization, String store, boolean versioned,
                       Long rowsHeld, Long lastUpdate, Long lastUpdateAppliedAt, double captureLagSeconds,
                       Double maxCaptureLagSeconds, Map<String, Long> totals, Map<String, Double> perSecond,
                       long staleRowsSkipped) {
        public Join {
            // Kept in the caller's order (the statuses' order), which the JSON and the page show.
            totals = Collections.unmodifiableMap(new LinkedHashMap<>(totals));
            perSecond = Collections.unmodifiableMap(new LinkedHashMap<>(perSecond));
        }
    }

    /** Dead letters of one reason: since start-up, and per second over the rate window ({@code null} without one). */
    public record DeadLetters(String reason, long total, Double perSecond) {
    }

    /** Topic to partition numbers, for the active tasks and the standby tasks of this instance. */
    public record Partitions(Map<String, List<Integer>> active, Map<String, List<Integer>> standby) {
        public static final Partitions NONE = new Partitions(Map.of(), Map.of());

        public Partitions {
            active = Collections.unmodifiableMap(new TreeMap<>(active));
            standby = Collections.unmodifiableMap(new TreeMap<>(standby));
        }
    }

    /** Held events, their bytes, and the wall-clock age of the oldest (0 when none is held). */
    public record WaitBuffer(long records, long bytes, long oldestAgeMs) {
    }
}
