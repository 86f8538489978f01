package io.cdcenricher.enricher.capture;

import io.cdcenricher.enricher.config.CaptureConfig;
import io.cdcenricher.enricher.config.JoinConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * How far behind the database each join's table may be: the capture lag, now minus the source time of the newest
 * heartbeat or row the enricher has seen for the join. Rows come from the table's updater (their
 * {@code __source_ts_ms}, else their record time), heartbeats from {@link HeartbeatReader}. Before anything is seen
 * the lag counts from start-up, so a connector that never delivers shows a growing lag rather than none.
 *
 * <p>Exported as {@code enricher_capture_lag_seconds{join}}, with the bound of each join that has one as
 * {@code enricher_capture_lag_max_seconds{join}}; a join whose lag exceeds its {@code maxCaptureLag} is
 * {@link #exceeded() reported} for {@code /health}. Thread-safe: written by stream threads, the global thread and
 * the heartbeat reader, read by the HTTP threads and the metrics scrape.
 */
public final class CaptureLag implements MeterBinder {

    private final Map<String, Watched> joins = new LinkedHashMap<>();
    private final LongSupplier clock;
    private final long startedAt;

    /** One join: its settings, the newest source time seen, and why it may have no heartbeats. */
    private static final class Watched {
        final CaptureConfig config;
        final AtomicLong newest = new AtomicLong(Long.MIN_VALUE);
        // Rows apart from heartbeats: a heartbeat says the connector lives, only a row says the table changed.
        final AtomicLong newestRow = new AtomicLong(Long.MIN_VALUE);
        volatile long rowAppliedAt = Long.MIN_VALUE;
        volatile String heartbeatProblem;

        Watched(CaptureConfig config) {
            this.config = config;
        }

        void observed(long sourceTime) {
            newest.accumulateAndGet(sourceTime, Math::max);
        }

        void rowApplied(long sourceTime, long now) {
            observed(sourceTime);
            newestRow.accumulateAndGet(sourceTime, Math::max);
            rowAppliedAt = now;
        }
    }

    /**
     * The last change of a join's table that this instance applied to its store.
     *
     * @param newestSourceTime the source commit time (epoch millis) of the newest row or deletion applied
     * @param appliedAt        when (epoch millis, this instance's clock) the last one was applied
     */
    public record TableUpdate(long newestSourceTime, long appliedAt) {
    }

    /** A join whose capture lag is beyond its bound, and why. */
    public record Exceeded(String join, Duration lag, Duration bound, String reason) {
    }

    public CaptureLag(List<JoinConfig> joins) {
        this(joins, System::currentTimeMillis);
    }

    CaptureLag(List<JoinConfig> joins, LongSupplier clock) {
        this.clock = clock;
        this.startedAt = clock.getAsLong();
        for (JoinConfig join : joins) {
            this.joins.put(join.name(), new Watched(join.capture()));
        }
    }

    /**
     * Where the rows of {@code join}'s table report their source time, resolved once per updater so the per-row
     * cost is two compare-and-sets and a clock read; they also make the join's {@link #lastTableUpdate}. A join that
     * is not watched gets a sink that ignores them.
     */
    public LongConsumer rowSink(String join) {
        Watched watched = joins.get(join);
        return watched == null ? time -> { } : time -> watched.rowApplied(time, clock.getAsLong());
    }

    /** The last table change applied for {@code join}, or empty while none has been since start-up. */
    public Optional<TableUpdate> lastTableUpdate(String join) {
        Watched watched = joins.get(join);
        if (watched == null || watched.newestRow.get() == Long.MIN_VALUE) {
            return Optional.empty();
        }
        return Optional.of(new TableUpdate(watched.newestRow.get(), watched.rowAppliedAt));
    }

    /** A heartbeat or row of {@code join} with this source time (epoch millis). */
    public void observed(String join, long sourceTime) {
        Watched watched = joins.get(join);
        if (watched != null) {
            watched.observed(sourceTime);
        }
    }

    /** Why {@code join} has no heartbeats (e.g. its topic does not exist), or {@code null} once it has them. */
    void heartbeatProblem(String join, String problem) {
        Watched watched = joins.get(join);
        if (watched != null) {
            watched.heartbeatProblem = problem;
        }
    }

    /** Now minus the newest source time seen for {@code join} (from start-up when none); never negative. */
    public Duration lag(String join) {
        Watched watched = joins.get(join);
        if (watched == null) {
            throw new IllegalArgumentException("no join named '" + join + "'");
        }
        return lagOf(watched, clock.getAsLong());
    }

    private Duration lagOf(Watched watched, long now) {
        long newest = watched.newest.get();
        long since = newest == Long.MIN_VALUE ? startedAt : newest;
        // A source clock ahead of ours would give a negative lag: it is no lag.
        return Duration.ofMillis(Math.max(0, now - since));
    }

    /** The joins whose lag exceeds their {@code maxCaptureLag}, in configuration order. */
    public List<Exceeded> exceeded() {
        long now = clock.getAsLong();
        List<Exceeded> exceeded = new ArrayList<>();
        joins.forEach((name, watched) -> {
            Duration bound = watched.config.maxCaptureLag();
            if (bound == null) {
                return;
            }
            Duration lag = lagOf(watched, now);
            if (lag.compareTo(bound) > 0) {
                exceeded.add(new Exceeded(name, lag, bound, reason(watched, lag)));
            }
        });
        return exceeded;
    }

    private static String reason(Watched watched, Duration lag) {
        String problem = watched.heartbeatProblem;
        if (problem != null) {
            return problem;
        }
        if (watched.newest.get() == Long.MIN_VALUE) {
            return "no heartbeat or row seen since start-up " + seconds(lag) + " ago";
        }
        return "the newest heartbeat or row is " + seconds(lag) + " old: the connector is not capturing";
    }

    static String seconds(Duration duration) {
        return String.format(java.util.Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (String join : joins.keySet()) {
            Gauge.builder("enricher.capture.lag", this, lag -> lag.lag(join).toMillis() / 1000.0)
                    .description("Now minus the source time of the newest heartbeat or table row seen for the join")
                    .baseUnit("seconds")
                    .tag("join", join)
                    .register(registry);
        }
        // The bound beside the lag, so that an alert compares the two without repeating the configuration.
        joins.forEach((join, watched) -> {
            Duration bound = watched.config.maxCaptureLag();
            if (bound != null) {
                Gauge.builder("enricher.capture.lag.max", bound, b -> b.toMillis() / 1000.0)
                        .description("joins[].maxCaptureLag: the capture lag beyond which /health reports DEGRADED")
                        .baseUnit("seconds")
                        .tag("join", join)
                        .strongReference(true)
                        .register(registry);
            }
        });
    }
}
