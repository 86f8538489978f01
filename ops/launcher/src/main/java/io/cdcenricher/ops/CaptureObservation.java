package io.cdcenricher.ops;

import java.time.Instant;
import java.util.Optional;

/**
 * One read of everything that tells whether a connector captures: what Connect says (status), what it committed
 * (source offset) and where the database's binlog is. A part that could not be read is empty and {@code problems}
 * says why.
 */
public record CaptureObservation(Instant at, Optional<ConnectorStatus> status, Optional<CommittedOffset> offset,
                                 Optional<BinlogPosition> binlogEnd, String problems) {
}
