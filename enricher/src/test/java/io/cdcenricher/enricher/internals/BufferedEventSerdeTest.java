package io.cdcenricher.enricher.internals;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdcenricher.enricher.DeadLetter;
import io.cdcenricher.enricher.JoinStatus;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class BufferedEventSerdeTest {

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldRoundTripKeyValueTimestampHeadersSourceHoldTimeAndWaitKeys() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("trace-id", utf8("t-1"));
        headers.add("empty", null);
        BufferedEvent event = new BufferedEvent(utf8("o-1"), utf8("{\"customerId\":42}"), 1_714_557_600_000L, headers,
                new DeadLetter.Source("shop.orders", 2, 99L), 1_714_557_601_000L, new byte[][] {utf8("42"), null});

        BufferedEvent copy = BufferedEventSerde.deserialize(BufferedEventSerde.serialize(event));

        assertThat(copy).usingRecursiveComparison().isEqualTo(event);
    }

    @Test
    void shouldRoundTripHeldTombstoneWithoutSource() {
        BufferedEvent event = new BufferedEvent(utf8("o-1"), null, 5L, new RecordHeaders(), null, 6L, new byte[1][]);

        BufferedEvent copy = BufferedEventSerde.deserialize(BufferedEventSerde.serialize(event));

        assertThat(copy).usingRecursiveComparison().isEqualTo(event);
        assertThat(copy.waitsForRow()).isFalse();
    }

    @Test
    void shouldReadPendingEventsOfTheFormerFormatWithTheRecordTimestamp() {
        PartlyEnrichedEventSerde serde = new PartlyEnrichedEventSerde();
        PartlyEnrichedEvent event = new PartlyEnrichedEvent(utf8("o-1"), utf8("{}"), 1, false, new JoinStatus[] {null},
                new byte[1][], new byte[][] {utf8("42")}, null, 123L);
        byte[] current = serde.serialize("t", event);
        // Version 1 is version 2 without the trailing event time.
        byte[] former = java.util.Arrays.copyOf(current, current.length - Long.BYTES);
        former[0] = 1;

        assertThat(serde.deserialize("t", current).eventTime).isEqualTo(123L);
        assertThat(serde.deserialize("t", former).eventTime(77L)).isEqualTo(77L);
    }
}
