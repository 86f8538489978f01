package io.cdcenricher.enricher;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.cdcenricher.enricher.capture.CaptureLag;
import io.cdcenricher.enricher.config.JoinConfig;
import java.util.function.LongConsumer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * {@link EnrichmentMetrics} as Micrometer meters, created once at start-up so the per-record path is a lookup in an
 * array and an atomic add: {@code enricher_join_total{join,status}}, {@code enricher_dead_letter_total{reason}},
 * {@code enricher_version_total{outcome}} (the version guard) and
 * {@code enricher_end_to_end_latency_seconds} (wall clock when the enriched event is ready minus its record timestamp),
 * and {@code enricher_table_stale_skipped_total{join}} (table records skipped because the store held the same or a
 * newer version of the row).
 */
public final class MicrometerEnrichmentMetrics implements EnrichmentMetrics {

    /** The meter of {@code enricher_table_stale_skipped_total{join}}. */
    public static final String STALE_TABLE_ROWS_METER = "enricher.table.stale.skipped";

    private final Counter[][] joins;
    private final Map<DeadLetter.Reason, Counter> deadLetters = new EnumMap<>(DeadLetter.Reason.class);
    private final Map<VersionOutcome, Counter> versions = new EnumMap<>(VersionOutcome.class);
    private final Timer latency;
    private final CaptureLag captureLag;
    private final Map<String, Counter> staleTableRows = new java.util.HashMap<>();

    public MicrometerEnrichmentMetrics(MeterRegistry registry, List<JoinConfig> joinConfigs) {
        this(registry, joinConfigs, new CaptureLag(joinConfigs));
    }

    /** Meters whose table rows report their source times to {@code captureLag}. */
    public MicrometerEnrichmentMetrics(MeterRegistry registry, List<JoinConfig> joinConfigs, CaptureLag captureLag) {
        this.captureLag = captureLag;
        JoinStatus[] statuses = JoinStatus.values();
        joins = new Counter[joinConfigs.size()][statuses.length];
        for (int i = 0; i < joinConfigs.size(); i++) {
            for (JoinStatus status : statuses) {
                joins[i][status.ordinal()] = Counter.builder("enricher.join")
                        .description("Enriched events by join and status (hit, miss, late, deleted, skipped)")
                        .tag("join", joinConfigs.get(i).name()).tag("status", status.wireName())
                        .register(registry);
            }
        }
        for (JoinConfig join : joinConfigs) {
            staleTableRows.put(join.name(), Counter.builder(STALE_TABLE_ROWS_METER)
                    .description("Table records skipped because the store held the same or a newer version of the "
                            + "row (a re-sent change), by join")
                    .tag("join", join.name()).register(registry));
        }
        for (DeadLetter.Reason reason : DeadLetter.Reason.values()) {
            deadLetters.put(reason, Counter.builder("enricher.dead.letter")
                    .description("Events sent to the dead-letter topic, by reason")
                    .tag("reason", reason.code()).register(registry));
        }
        for (VersionOutcome outcome : VersionOutcome.values()) {
            versions.put(outcome, Counter.builder("enricher.version")
                    .description("Events checked by the version guard (event.versionField), by outcome")
                    .tag("outcome", outcome.wireName()).register(registry));
        }
        latency = Timer.builder("enricher.end.to.end.latency")
                .description("From the event's record timestamp to the enriched event being ready to write")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(5))
                .register(registry);
    }

    @Override
    public void enriched(JoinStatus[] statuses, long eventTimestamp) {
        for (int i = 0; i < statuses.length; i++) {
            joins[i][statuses[i].ordinal()].increment();
        }
        long age = System.currentTimeMillis() - eventTimestamp;
        if (age >= 0) {
            latency.record(age, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void deadLettered(DeadLetter.Reason reason) {
        if (reason != null) {
            deadLetters.get(reason).increment();
        }
    }

    @Override
    public void versionChecked(VersionOutcome outcome) {
        versions.get(outcome).increment();
    }

    @Override
    public Runnable staleTableRows(String join) {
        Counter counter = staleTableRows.get(join);
        return counter == null ? () -> { } : counter::increment;
    }

    @Override
    public LongConsumer tableRowTimes(String join) {
        return captureLag.rowSink(join);
    }
}
