package io.cdcenricher.enricher.internals;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The grace buffer on its own. A restart is played by a second buffer on the same store, which is what a task
 * gets back from the changelog ({@code TopologyTestDriver} wipes its state directory on close, so the topology
 * tests cannot restart).
 */
class GraceBufferTest {

    private static final long GRACE = 5_000;

    private KeyValueStore<Bytes, byte[]> store;
    private final List<String> released = new ArrayList<>();

    @BeforeEach
    void openStore() {
        store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("grace"), Serdes.Bytes(), Serdes.ByteArray())
                .withLoggingDisabled().build();
        store.init(new MockProcessorContext<Void, Void>().getStateStoreContext(), store);
    }

    private static BufferedEvent held(String name) {
        return new BufferedEvent(name.getBytes(StandardCharsets.UTF_8), new byte[0], 0, new RecordHeaders(), null, 0,
                new byte[0][]);
    }

    private void release(BufferedEvent event) {
        released.add(new String(event.key, StandardCharsets.UTF_8));
    }

    /** What the processor does with an event at {@code time}. */
    private void offer(GraceBuffer buffer, String name, long time) {
        if (buffer.advance(time, this::release)) {
            buffer.hold(time, held(name));
        } else {
            released.add(name + " at once");
        }
    }

    @Test
    void shouldReleaseInTimeOrderThenArrivalOrderIncludingTimesBeforeTheEpoch() {
        GraceBuffer buffer = new GraceBuffer(GRACE);
        buffer.init(store);
        offer(buffer, "a", 1_000);
        offer(buffer, "b", -1_000);
        offer(buffer, "c", 1_000);
        offer(buffer, "d", 0);

        offer(buffer, "e", 6_000);

        assertThat(released).containsExactly("b", "d", "a", "c");
    }

    @Test
    void shouldKeepHeldEventsAndStreamTimeAcrossARestart() {
        GraceBuffer before = new GraceBuffer(GRACE);
        before.init(store);
        offer(before, "a", 10_000);
        offer(before, "b", 12_000);

        GraceBuffer after = new GraceBuffer(GRACE);
        after.init(store);
        offer(after, "late", 7_000);  // stream time 12 s was restored: 7 <= 12 - 5
        offer(after, "c", 12_000);    // must not overwrite b (the sequence was restored too)
        offer(after, "d", 17_000);

        assertThat(released).containsExactly("late at once", "a", "b", "c");
    }

    @Test
    void shouldReleaseWhatIsStillHeldAtTheFirstEventWhenTheGraceIsLoweredToZero() {
        GraceBuffer before = new GraceBuffer(GRACE);
        before.init(store);
        offer(before, "a", 10_000);

        GraceBuffer after = new GraceBuffer(0);
        after.init(store);
        offer(after, "b", 10_000);

        assertThat(released).containsExactly("a", "b at once");
    }
}
