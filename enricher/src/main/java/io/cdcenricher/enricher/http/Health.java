package io.cdcenricher.enricher.http;

import java.util.List;

/**
 * What {@code /health} says: {@code UP}; {@code DEGRADED} when the enricher runs but a join's table has fallen
 * behind its database by more than the join's bound (it still enriches, from a table that is not current); or
 * {@code DOWN} when the application has failed or stopped. Only DOWN answers 503: restarting the enricher does not
 * bring a stopped connector back, so a liveness probe must not act on DEGRADED.
 *
 * @param status    the verdict
 * @param degraded  for DEGRADED, each join that is behind and why; empty otherwise
 */
public record Health(Status status, List<Degradation> degraded) {

    /** The verdicts, from good to bad. */
    public enum Status { UP, DEGRADED, DOWN }

    /** One join whose capture lag is beyond its bound. */
    public record Degradation(String join, double captureLagSeconds, double maxCaptureLagSeconds, String reason) {
    }

    public Health {
        degraded = List.copyOf(degraded);
    }

    public static final Health UP = new Health(Status.UP, List.of());
    public static final Health DOWN = new Health(Status.DOWN, List.of());

    /** UP, or DEGRADED naming {@code degraded} when there are any. */
    public static Health of(List<Degradation> degraded) {
        return degraded.isEmpty() ? UP : new Health(Status.DEGRADED, degraded);
    }
}
