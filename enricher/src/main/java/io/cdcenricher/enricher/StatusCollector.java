package io.cdcenricher.enricher;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.cdcenricher.enricher.capture.CaptureLag;
import io.cdcenricher.enricher.config.EnricherConfig;
import io.cdcenricher.enricher.config.JoinConfig;
import io.cdcenricher.enricher.http.Health;
import io.cdcenricher.enricher.http.StatusSnapshot;
import io.cdcenricher.enricher.internals.StoreSizes;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;

/**
 * Gathers a {@link StatusSnapshot} for the status page: counts from the meters {@link MicrometerEnrichmentMetrics}
 * registers, their rates over the last minute ({@link CounterRates}), store sizes, assignment and wait buffer from
 * the running Kafka Streams client, and health and table updates from {@link CaptureLag}. It reads, never writes:
 * asking for a snapshot changes nothing but the rate samples. Thread-safe; called on the HTTP threads.
 */
public final class StatusCollector {

    static final Duration RATE_WINDOW = Duration.ofMinutes(1);
    private static final String JOIN_METER = "enricher.join";
    private static final String DEAD_LETTER_METER = "enricher.dead.letter";

    private final EnricherConfig config;
    private final MeterRegistry registry;
    private final CaptureLag captureLag;
    private final Supplier<Health> health;
    private final LongSupplier clock;
    private final CounterRates<List<String>> rates;

    /**
     * @param registry   where {@link MicrometerEnrichmentMetrics} registers its counters
     * @param captureLag the application's capture lag, fed by the table updaters
     * @param health     what {@code /health} answers
     */
    public StatusCollector(EnricherConfig config, MeterRegistry registry, CaptureLag captureLag,
                           Supplier<Health> health) {
        this(config, registry, captureLag, health, System::currentTimeMillis);
    }

    StatusCollector(EnricherConfig config, MeterRegistry registry, CaptureLag captureLag, Supplier<Health> health,
                    LongSupplier clock) {
        this.config = config;
        this.registry = registry;
        this.captureLag = captureLag;
        this.health = health;
        this.clock = clock;
        this.rates = new CounterRates<>(RATE_WINDOW, clock);
        // Every counter is 0 when the process starts: the first page load already has a baseline to measure against.
        rates.sample(totals());
    }

    /**
     * The snapshot as of now.
     *
     * @param streams   the current Kafka Streams client, {@code null} before the first one exists
     * @param readiness its readiness, {@code null} with it
     */
    public StatusSnapshot collect(KafkaStreams streams, EnricherReadiness readiness) {
        Map<List<String>, Double> totals = totals();
        CounterRates.Window<List<String>> window = rates.sample(totals);
        List<StatusSnapshot.Join> joins = new ArrayList<>();
        for (JoinConfig join : config.joins()) {
            joins.add(join(join, streams, totals, window));
        }
        List<StatusSnapshot.DeadLetters> deadLetters = new ArrayList<>();
        long deadLettersTotal = 0;
        for (DeadLetter.Reason reason : DeadLetter.Reason.values()) {
            List<String> key = deadLetterKey(reason);
            long total = Math.round(totals.get(key));
            deadLettersTotal += total;
            if (total > 0) {
                deadLetters.add(new StatusSnapshot.DeadLetters(reason.code(), total,
                        window.isEmpty() ? null : window.perSecond().get(key)));
            }
        }
        boolean running = streams != null;
        return new StatusSnapshot(config.applicationId(), clock.getAsLong(),
                running ? streams.state().name() : StatusSnapshot.STARTING,
                running && readiness.isReady(), running ? readiness.describe() : "starting",
                health.get(), window.isEmpty() ? null : window.seconds(), joins, deadLetters, deadLettersTotal,
                running ? partitions(streams) : StatusSnapshot.Partitions.NONE,
                running ? waitBuffer(streams) : new StatusSnapshot.WaitBuffer(0, 0, 0));
    }

    private StatusSnapshot.Join join(JoinConfig join, KafkaStreams streams, Map<List<String>, Double> totals,
                                     CounterRates.Window<List<String>> window) {
        Map<String, Long> counts = new LinkedHashMap<>();
        Map<String, Double> perSecond = new LinkedHashMap<>();
        for (JoinStatus status : JoinStatus.values()) {
            List<String> key = joinKey(join.name(), status);
            counts.put(status.wireName(), Math.round(totals.get(key)));
            if (!window.isEmpty()) {
                perSecond.put(status.wireName(), window.perSecond().get(key));
            }
        }
        OptionalLong rows = streams == null ? OptionalLong.empty() : StoreSizes.approximateEntries(streams, join);
        var update = captureLag.lastTableUpdate(join.name());
        Duration bound = join.capture().maxCaptureLag();
        return new StatusSnapshot.Join(join.name(), join.topic(), join.materialization().yamlName(),
                join.store().yamlName(), join.isVersioned(), rows.isPresent() ? rows.getAsLong() : null,
                update.map(CaptureLag.TableUpdate::newestSourceTime).orElse(null),
                update.map(CaptureLag.TableUpdate::appliedAt).orElse(null),
                captureLag.lag(join.name()).toMillis() / 1000.0,
                bound == null ? null : bound.toMillis() / 1000.0, counts, perSecond, staleRowsSkipped(join));
    }

    private long staleRowsSkipped(JoinConfig join) {
        Counter counter = registry.find(MicrometerEnrichmentMetrics.STALE_TABLE_ROWS_METER).tag("join", join.name())
                .counter();
        return counter == null ? 0 : Math.round(counter.count());
    }

    /** Every counter the page shows, 0 for those not registered yet (before the first client starts). */
    private Map<List<String>, Double> totals() {
        Map<List<String>, Double> totals = new LinkedHashMap<>();
        for (JoinConfig join : config.joins()) {
            for (JoinStatus status : JoinStatus.values()) {
                Counter counter = registry.find(JOIN_METER).tag("join", join.name())
                        .tag("status", status.wireName()).counter();
                totals.put(joinKey(join.name(), status), counter == null ? 0.0 : counter.count());
            }
        }
        for (DeadLetter.Reason reason : DeadLetter.Reason.values()) {
            Counter counter = registry.find(DEAD_LETTER_METER).tag("reason", reason.code()).counter();
            totals.put(deadLetterKey(reason), counter == null ? 0.0 : counter.count());
        }
        return totals;
    }

    private static List<String> joinKey(String join, JoinStatus status) {
        return List.of("join", join, status.wireName());
    }

    private static List<String> deadLetterKey(DeadLetter.Reason reason) {
        return List.of("dead-letter", reason.code());
    }

    private static StatusSnapshot.Partitions partitions(KafkaStreams streams) {
        Set<ThreadMetadata> threads;
        try {
            threads = streams.metadataForLocalThreads();
        } catch (RuntimeException e) {
            // Not started yet, or already closed: nothing is assigned.
            return StatusSnapshot.Partitions.NONE;
        }
        return new StatusSnapshot.Partitions(byTopic(threads, ThreadMetadata::activeTasks),
                byTopic(threads, ThreadMetadata::standbyTasks));
    }

    private static Map<String, List<Integer>> byTopic(Set<ThreadMetadata> threads,
                                                      Function<ThreadMetadata, Set<TaskMetadata>> tasks) {
        Map<String, TreeSet<Integer>> partitions = new TreeMap<>();
        for (ThreadMetadata thread : threads) {
            for (TaskMetadata task : tasks.apply(thread)) {
                for (TopicPartition partition : task.topicPartitions()) {
                    partitions.computeIfAbsent(partition.topic(), t -> new TreeSet<>()).add(partition.partition());
                }
            }
        }
        Map<String, List<Integer>> lists = new TreeMap<>();
        partitions.forEach((topic, numbers) -> lists.put(topic, List.copyOf(numbers)));
        return lists;
    }

    private static StatusSnapshot.WaitBuffer waitBuffer(KafkaStreams streams) {
        WaitBufferMetrics held = WaitBufferMetrics.of(streams.metrics());
        return new StatusSnapshot.WaitBuffer(held.heldRecords(), held.heldBytes(), held.oldestHeldAgeMs());
    }
}
