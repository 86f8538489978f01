package io.cdcenricher.enricher.internals;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdcenricher.enricher.DeadLetter;
import io.cdcenricher.enricher.JoinStatus;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PartlyEnrichedEventSerdeTest {

    private final PartlyEnrichedEventSerde serde = new PartlyEnrichedEventSerde();

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldRoundTripEveryFieldIncludingPendingAndNullEntries() {
        PartlyEnrichedEvent event = new PartlyEnrichedEvent(utf8("o-1"), utf8("{\"customerId\":42}"), 16, true,
                new JoinStatus[] {JoinStatus.HIT, null, JoinStatus.SKIPPED},
                new byte[][] {utf8("\u0001{\"name\":\"Ada\"}"), null, null},
                new byte[][] {null, utf8("42"), null},
                new DeadLetter.Source("shop.orders", 3, 17L));

        PartlyEnrichedEvent copy = serde.deserialize("t", serde.serialize("t", event));

        assertThat(copy).usingRecursiveComparison().isEqualTo(event);
    }

    @Test
    void shouldRoundTripEntityTombstoneWithoutSource() {
        PartlyEnrichedEvent event = new PartlyEnrichedEvent(utf8("o-1"), null, -1, false, new JoinStatus[1], new byte[1][],
                new byte[1][], null);

        PartlyEnrichedEvent copy = serde.deserialize("t", serde.serialize("t", event));

        assertThat(copy).usingRecursiveComparison().isEqualTo(event);
    }
}
