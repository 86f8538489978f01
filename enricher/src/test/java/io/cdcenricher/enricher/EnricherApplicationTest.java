package io.cdcenricher.enricher;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;

/** Which client failures the application repairs with a new client, and which end it. */
class EnricherApplicationTest {

    private static final TopicPartition TABLE = new TopicPartition("shop.customers", 0);

    @Test
    void anOffsetOutOfRangeWrappedByKafkaStreamsIsRepairable() {
        OffsetOutOfRangeException cause = new OffsetOutOfRangeException("out of range", Map.of(TABLE, 4L));

        assertThat(EnricherApplication.invalidOffset(new StreamsException("Updating global state failed",
                new StreamsException(cause)))).isSameAs(cause);
    }

    @Test
    void anyOtherFailureIsNot() {
        assertThat(EnricherApplication.invalidOffset(new StreamsException("boom", new IllegalStateException()))).isNull();
        assertThat(EnricherApplication.invalidOffset(null)).isNull();
    }
}
