package io.cdcenricher.enricher.config;

import java.time.Duration;

/**
 * The enricher-level bounds of the wait buffer that holds events of joins with {@code onMiss: wait}. One buffer
 * per task (a changelogged store), so the bounds apply per task.
 *
 * @param maxRecords    held events per task, at most
 * @param maxBytes      serialized bytes of held events per task, at most
 * @param onOverflow    what a full buffer does to the oldest entity's queue it releases
 * @param onTimeout     the default of {@code joins[].onTimeout}
 * @param checkInterval how often (wall-clock) held events are checked for their rows and their deadline
 */
public record WaitBufferConfig(long maxRecords, long maxBytes, OnOverflow onOverflow, OnTimeout onTimeout,
                               Duration checkInterval) {

    public static final long DEFAULT_MAX_RECORDS = 100_000;
    public static final long DEFAULT_MAX_BYTES = 64L * 1024 * 1024;
    public static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofMillis(200);
    public static final WaitBufferConfig DEFAULTS = new WaitBufferConfig(DEFAULT_MAX_RECORDS, DEFAULT_MAX_BYTES,
            OnOverflow.EMIT_MISS, OnTimeout.EMIT, DEFAULT_CHECK_INTERVAL);
}
