package io.cdcenricher.enricher.internals;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdcenricher.enricher.JoinStatus;
import io.cdcenricher.enricher.config.EnricherConfigLoader;
import io.cdcenricher.enricher.config.JoinConfig;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A partitioned store restored from its table topic holds the topic's raw bytes (the restore does not run the
 * updater), and deletion markers expire: a lookup must give the same answer for both forms of a row.
 */
class ForeignKeyLookupTest {

    private static final long DELETED_AT = 1_700_000_000_000L;
    private static final byte[] KEY = "42".getBytes(StandardCharsets.UTF_8);

    private final JoinConfig join = EnricherConfigLoader.parse("""
            applicationId: a
            bootstrapServers: b:9
            topics: {events: e, output: o, deadLetter: d}
            joins:
              - {name: customer, topic: t, foreignKey: customerId, fields: [name], deletedRetention: 1h,
                 store: in-memory}
            """).joins().get(0);
    private final ForeignKeyLookup lookup = new ForeignKeyLookup(join);
    private final byte[][] rows = new byte[1][];
    private KeyValueStore<Bytes, byte[]> store;

    @BeforeEach
    void openStore() {
        store = ReferenceTable.storeBuilder(join).build();
        MockProcessorContext<Void, Void> context = new MockProcessorContext<>();
        store.init(context.getStateStoreContext(), store);
    }

    @Test
    void shouldProjectRawRowRestoredFromTheTableTopic() {
        store.put(Bytes.wrap(KEY), "{\"id\":42,\"name\":\"Ada\",\"tier\":\"gold\"}".getBytes(StandardCharsets.UTF_8));

        assertThat(lookup.lookUp(store, KEY, DELETED_AT, rows, 0)).isEqualTo(JoinStatus.HIT);
        assertThat(new String(rows[0], 1, rows[0].length - 1, StandardCharsets.UTF_8)).isEqualTo("{\"name\":\"Ada\"}");
    }

    @Test
    void shouldReportMissForRawRowThatIsNotAnObject() {
        store.put(Bytes.wrap(KEY), "[1]".getBytes(StandardCharsets.UTF_8));

        assertThat(lookup.lookUp(store, KEY, DELETED_AT, rows, 0)).isEqualTo(JoinStatus.MISS);
        assertThat(rows[0]).isNull();
    }

    @Test
    void shouldReportDeletedUpToTheRetentionAndMissAfterIt() {
        store.put(Bytes.wrap(KEY), ReferenceTable.deletedValue(DELETED_AT));

        assertThat(lookup.lookUp(store, KEY, DELETED_AT + 3_600_000L, rows, 0)).isEqualTo(JoinStatus.DELETED);
        assertThat(lookup.lookUp(store, KEY, DELETED_AT + 3_600_001L, rows, 0)).isEqualTo(JoinStatus.MISS);
    }

    @Test
    void shouldKeepReportingDeletedForMarkerWithoutTime() {
        store.put(Bytes.wrap(KEY), new byte[] {ReferenceTable.DELETED});

        assertThat(lookup.lookUp(store, KEY, Long.MAX_VALUE, rows, 0)).isEqualTo(JoinStatus.DELETED);
    }
}
