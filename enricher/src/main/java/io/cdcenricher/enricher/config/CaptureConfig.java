package io.cdcenricher.enricher.config;

import java.time.Duration;

/**
 * How a join watches the capture that feeds its table: the Debezium heartbeat topic of the table's connector and
 * the capture lag beyond which {@code /health} reports the join DEGRADED.
 *
 * <p>Why a heartbeat topic: a quiet table writes nothing, so the age of its newest row cannot tell a live
 * connector from a dead one. Debezium writes a heartbeat every {@code heartbeat.interval.ms} while it reads the
 * binlog, quiet or not; its absence means capture has stopped.
 *
 * @param heartbeatTopic the connector's heartbeat topic ({@code __debezium-heartbeat.<topic.prefix>}); {@code null}
 *                       when the join watches only its rows
 * @param maxCaptureLag  the bound on the capture lag (now minus the source time of the newest heartbeat or row);
 *                       {@code null}: the lag is measured and exported, never judged
 */
public record CaptureConfig(String heartbeatTopic, Duration maxCaptureLag) {

    /** No heartbeat topic, no bound: the lag metric counts from the newest row only. */
    public static final CaptureConfig NONE = new CaptureConfig(null, null);

    public boolean hasHeartbeats() {
        return heartbeatTopic != null;
    }

    public boolean isBounded() {
        return maxCaptureLag != null;
    }
}
