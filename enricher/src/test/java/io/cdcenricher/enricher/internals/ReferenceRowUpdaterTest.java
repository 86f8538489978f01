package io.cdcenricher.enricher.internals;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdcenricher.enricher.EnrichmentMetrics;
import io.cdcenricher.enricher.JoinStatus;
import io.cdcenricher.enricher.config.EnricherConfigLoader;
import io.cdcenricher.enricher.config.JoinConfig;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The updater against what a store can hold besides its own writes: a partitioned latest-row store is restored from
 * the table topic raw (the restore does not run the updater), and values written before versions were kept have
 * none. A re-sent older row must not replace a raw row restored from a newer record; an old value is replaced.
 */
class ReferenceRowUpdaterTest {

    private static final Bytes KEY = Bytes.wrap("42".getBytes(StandardCharsets.UTF_8));
    private static final long TIME = 1_700_000_000_000L;

    private final JoinConfig join = EnricherConfigLoader.parse("""
            applicationId: a
            bootstrapServers: b:9
            topics: {events: e, output: o, deadLetter: d}
            joins:
              - {name: customer, topic: t, foreignKey: customerId, fields: [tier], store: in-memory,
                 materialization: partitioned, partitions: 1}
            """).joins().get(0);
    private final AtomicInteger stale = new AtomicInteger();
    private KeyValueStore<Bytes, byte[]> store;
    private ReferenceRowUpdater updater;

    private static byte[] row(String tier, long pos) {
        return ("{\"id\":42,\"tier\":\"" + tier + "\",\"__source_ts_ms\":" + TIME + ",\"__source_server_id\":1,"
                + "\"__source_file\":\"mariadb-bin.000003\",\"__source_pos\":" + pos + ",\"__source_row\":0}")
                .getBytes(StandardCharsets.UTF_8);
    }

    @BeforeEach
    void openStore() {
        MockProcessorContext<Void, Void> context = new MockProcessorContext<>();
        store = ReferenceTable.storeBuilder(join).build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        context.setRecordMetadata("t", 0, 0);
        updater = new ReferenceRowUpdater(join, StartupGate.open(), RowDecoder.JSON, new EnrichmentMetrics() {
            @Override
            public void enriched(JoinStatus[] statuses, long eventTimestamp) {
            }

            @Override
            public void deadLettered(io.cdcenricher.enricher.DeadLetter.Reason reason) {
            }

            @Override
            public Runnable staleTableRows(String name) {
                return stale::incrementAndGet;
            }
        });
        updater.init(context);
    }

    private void process(byte[] value) {
        updater.process(new Record<>("42".getBytes(StandardCharsets.UTF_8), value, TIME));
    }

    private String storedTier() {
        byte[] stored = store.get(KEY);
        byte[][] rows = new byte[1][];
        assertThat(new ForeignKeyLookup(join).statusOfStored(stored, TIME, rows, 0)).isEqualTo(JoinStatus.HIT);
        return new String(rows[0], 1, ReferenceTable.jsonLength(rows[0]), StandardCharsets.UTF_8);
    }

    @Test
    void shouldCompareAgainstARawRowRestoredFromTheTableTopic() {
        store.put(KEY, row("gold", 200));

        process(row("silver", 100));
        assertThat(stale.get()).isEqualTo(1);
        assertThat(storedTier()).isEqualTo("{\"tier\":\"gold\"}");

        process(row("platinum", 300));
        assertThat(stale.get()).isEqualTo(1);
        assertThat(storedTier()).isEqualTo("{\"tier\":\"platinum\"}");
    }

    @Test
    void shouldReplaceAValueStoredBeforeVersionsWereKept() throws InvalidInputException {
        store.put(KEY, new RowProjector(join.fields()).project("{\"tier\":\"gold\"}".getBytes(StandardCharsets.UTF_8)));

        process(row("silver", 100));

        assertThat(stale.get()).isZero();
        assertThat(storedTier()).isEqualTo("{\"tier\":\"silver\"}");
    }

    @Test
    void shouldReplaceADeletionMarkerWithoutVersion() {
        store.put(KEY, ReferenceTable.deletedValue(TIME));

        process(row("silver", 100));

        assertThat(storedTier()).isEqualTo("{\"tier\":\"silver\"}");
    }

    @Test
    void shouldKeepTheVersionOfTheDeletedRowInTheDeletionMarker() {
        process(row("gold", 200));
        process(null);

        assertThat(ReferenceTable.statusOf(store.get(KEY), TIME, 1000)).isEqualTo(JoinStatus.DELETED);
        assertThat(ReferenceTable.versionOf(store.get(KEY), null)).isNotNull();
        process(row("silver", 100));
        assertThat(ReferenceTable.statusOf(store.get(KEY), TIME, 1000)).isEqualTo(JoinStatus.DELETED);
        assertThat(stale.get()).isEqualTo(1);
        // The deleted version itself is not stale against a tombstone's inherited version (see ReferenceTable).
        process(row("gold", 200));
        assertThat(storedTier()).isEqualTo("{\"tier\":\"gold\"}");
        assertThat(stale.get()).isEqualTo(1);
    }
}
