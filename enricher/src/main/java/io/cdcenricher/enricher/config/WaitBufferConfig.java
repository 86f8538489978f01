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

    /** The buffer of a configuration without {@code waitBuffer}: every bound at its declared default. */
    public static final WaitBufferConfig DEFAULTS = new WaitBufferConfig(WaitBufferKeys.MAX_RECORDS.defaultValue(),
            WaitBufferKeys.MAX_BYTES.defaultValue(), WaitBufferKeys.ON_OVERFLOW.defaultValue(),
            WaitBufferKeys.ON_TIMEOUT.defaultValue(), WaitBufferKeys.CHECK_INTERVAL.defaultValue());
}
