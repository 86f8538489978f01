package io.cdcenricher.perf.load;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The headers {@code perf/load} puts on every event it sends, so that its events can be told from real traffic
 * anywhere downstream (the enricher copies an event's headers to its output and dead letters):
 * <ul>
 *   <li>{@value #ID_HEADER}: {@code <run id>/<sequence number>}, text; a consumer that must ignore load-test
 *       events drops every record that has this header;</li>
 *   <li>{@value #INTENDED_HEADER}: the event's intended send time, epoch microseconds as text, which latency is
 *       measured from.</li>
 * </ul>
 */
public final class LoadTag {

    public static final String ID_HEADER = "cdc-enricher-load-id";
    public static final String INTENDED_HEADER = "cdc-enricher-load-intended-us";

    /** A tagged event: whose run, which event, when it was meant to be sent. */
    public record Id(String runId, long seq, long intendedMicros) {
    }

    private LoadTag() {
    }

    public static void add(Headers headers, String runId, long seq, long intendedMicros) {
        headers.add(ID_HEADER, (runId + "/" + seq).getBytes(StandardCharsets.UTF_8));
        headers.add(INTENDED_HEADER, Long.toString(intendedMicros).getBytes(StandardCharsets.UTF_8));
    }

    /** The tag of a record, or empty for a record no load test sent (or one whose tag is damaged). */
    public static Optional<Id> read(Headers headers) {
        Header id = headers.lastHeader(ID_HEADER);
        Header intended = headers.lastHeader(INTENDED_HEADER);
        if (id == null || id.value() == null || intended == null || intended.value() == null) {
            return Optional.empty();
        }
        String text = new String(id.value(), StandardCharsets.UTF_8);
        int slash = text.lastIndexOf('/');
        if (slash <= 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Id(text.substring(0, slash), Long.parseLong(text.substring(slash + 1)),
                    Long.parseLong(new String(intended.value(), StandardCharsets.UTF_8))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
