package io.cdcenricher.enricher.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdcenricher.enricher.DeadLetter;
import io.cdcenricher.enricher.JoinStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/**
 * The bytes the enricher leaves in repartition topics and changelogs, pinned in {@code src/test/resources/wire}:
 * records written by one version must read the same in the next. A failure here means the wire format changed; if
 * that is intended, give it a new version byte, keep reading the old one, and add a fixture for the new one rather
 * than editing an old fixture.
 */
class WireFormatTest {

    private final PartlyEnrichedEventSerde pendingSerde = new PartlyEnrichedEventSerde();

    /** Every join status once, plus a join still pending, so that each status code is pinned. */
    private static PartlyEnrichedEvent pendingEvent() {
        return new PartlyEnrichedEvent(utf8("o-1"), utf8("{\"customerId\":42,\"productId\":\"p-9\"}"), 34, true,
                new JoinStatus[] {JoinStatus.HIT, JoinStatus.MISS, JoinStatus.DELETED, JoinStatus.SKIPPED,
                        JoinStatus.LATE, null},
                new byte[][] {utf8("{\"name\":\"Ada\"}"), null, null, null, utf8("{\"title\":\"Lamp\"}"), null},
                new byte[][] {utf8("42"), utf8("43"), utf8("44"), null, utf8("p-9"), utf8("p-10")},
                new DeadLetter.Source("shop.orders", 3, 17L), 1_714_557_600_000L);
    }

    private static BufferedEvent heldEvent() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("trace-id", utf8("t-1"));
        headers.add("empty", null);
        return new BufferedEvent(utf8("o-1"), utf8("{\"customerId\":42}"), 1_714_557_600_000L, headers,
                new DeadLetter.Source("shop.orders", 2, 99L), 1_714_557_601_000L, new byte[][] {utf8("42"), null});
    }

    @Test
    void shouldReadAndWritePendingEventsOfVersion2AsPinned() {
        byte[] pinned = fixture("partly-enriched-event-v2.hex");

        assertThat(pendingSerde.deserialize("t", pinned)).usingRecursiveComparison().isEqualTo(pendingEvent());
        assertThat(HexFormat.of().formatHex(pendingSerde.serialize("t", pendingEvent())))
                .isEqualTo(HexFormat.of().formatHex(pinned));
    }

    @Test
    void shouldReadPendingEventsOfVersion1WithTheRecordTimestamp() {
        PartlyEnrichedEvent read = pendingSerde.deserialize("t", fixture("partly-enriched-event-v1.hex"));

        assertThat(read.entityKey).asString(StandardCharsets.UTF_8).isEqualTo("o-1");
        assertThat(read.value).asString(StandardCharsets.UTF_8).isEqualTo("{}");
        assertThat(read.closingBrace).isEqualTo(1);
        assertThat(read.hasFields).isFalse();
        assertThat(read.statuses).containsExactly(JoinStatus.LATE, null, JoinStatus.MISS);
        assertThat(read.rows[0]).asString(StandardCharsets.UTF_8).isEqualTo("{\"tier\":\"gold\"}");
        assertThat(read.rows[1]).isNull();
        assertThat(read.foreignKeys[1]).asString(StandardCharsets.UTF_8).isEqualTo("7");
        assertThat(read.source).isNull();
        assertThat(read.eventTime(77L)).isEqualTo(77L);
    }

    @Test
    void shouldRefuseAnUnknownJoinStatusCodeNamingIt() {
        byte[] bytes = fixture("partly-enriched-event-v2.hex");
        bytes[firstStatusOffset(pendingEvent())] = 9;

        assertThatThrownBy(() -> pendingSerde.deserialize("t", bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("unknown join status code 9");
    }

    @Test
    void shouldReadAndWriteBufferedEventsOfVersion1AsPinned() {
        byte[] pinned = fixture("buffered-event-v1.hex");

        assertThat(BufferedEventSerde.deserialize(pinned)).usingRecursiveComparison().isEqualTo(heldEvent());
        assertThat(HexFormat.of().formatHex(BufferedEventSerde.serialize(heldEvent())))
                .isEqualTo(HexFormat.of().formatHex(pinned));
    }

    /** version(1) entityKey value closingBrace(4) hasFields(1) joins(2), then the first join's status. */
    private static int firstStatusOffset(PartlyEnrichedEvent event) {
        return 1 + 4 + event.entityKey.length + 4 + event.value.length + 4 + 1 + 2;
    }

    /** A fixture's bytes: hex digits, whitespace ignored, {@code #} to the end of a line a comment. */
    static byte[] fixture(String name) {
        try (InputStream in = WireFormatTest.class.getResourceAsStream("/wire/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no test resource /wire/" + name);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            return HexFormat.of().parseHex(text.replaceAll("#[^\n]*", "").replaceAll("\\s+", ""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
