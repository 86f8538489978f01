package io.cdcenricher.enricher.config;

import java.time.Duration;

/**
 * What a join with {@code onMiss: wait} does while its row is missing: how long an event is held and what
 * happens when that time is up.
 *
 * @param maxWait   how long (wall-clock, from arrival) an event waits for its row; {@code null} for a join that
 *                  does not wait
 * @param onTimeout what happens at {@code maxWait}; {@code null} for a join that does not wait
 */
public record WaitConfig(Duration maxWait, OnTimeout onTimeout) {

    /** A join that does not wait ({@code onMiss} other than {@code wait}). */
    public static final WaitConfig NONE = new WaitConfig(null, null);
}
