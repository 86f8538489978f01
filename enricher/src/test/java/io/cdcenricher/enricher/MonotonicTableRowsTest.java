package io.cdcenricher.enricher;

import static io.cdcenricher.enricher.EnricherFixture.customerJoinYaml;
import static org.assertj.core.api.Assertions.assertThat;

import io.cdcenricher.enricher.config.EnricherConfigLoader;
import io.cdcenricher.enricher.internals.StartupGate;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A table row never goes back in time: after a Connect crash Debezium writes the last second or so of changes
 * again, so the table topic carries version 7 after version 8. The join must keep serving version 8 (and a deleted
 * row must stay deleted), skip the re-sent versions and count them; the same for a global and a partitioned store.
 */
class MonotonicTableRowsTest extends TopologyTestBase {

    private static final String GLOBAL = "materialization: global";
    private static final String PARTITIONED = "materialization: partitioned\npartitions: 2";
    private static final String EVENT = "{\"type\":\"create\",\"customerId\":42}";

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    /** A row as the connector files write it: the binlog position of its change in {@code __source_*}. */
    private static String row(String tier, String file, long pos) {
        return "{\"id\":42,\"name\":\"Ada\",\"tier\":\"" + tier + "\",\"__source_ts_ms\":1700000000000,"
                + "\"__source_server_id\":1,\"__source_file\":\"" + file + "\",\"__source_pos\":" + pos
                + ",\"__source_row\":0}";
    }

    private static String row(String tier, long pos) {
        return row(tier, "mariadb-bin.000003", pos);
    }

    /** A delete as {@code delete.tombstone.handling.mode=rewrite-with-tombstone} writes it before the tombstone. */
    private static String rewrittenDelete(long pos) {
        return row("gold", pos).replace("{\"id\"", "{\"__deleted\":\"true\",\"id\"");
    }

    private EnricherFixture startJoin(String joinExtras) {
        String yaml = customerJoinYaml(joinExtras);
        fixture = new EnricherFixture(yaml, stateDir, StartupGate.open(),
                new MicrometerEnrichmentMetrics(registry, EnricherConfigLoader.parse(yaml).joins()));
        return fixture;
    }

    private double staleSkipped() {
        return registry.get("enricher.table.stale.skipped").tag("join", "customer").counter().count();
    }

    /** The tier the next event is enriched with, or its status when it is not a hit. */
    private String joinedTier() {
        fixture.event("o-1", EVENT);
        var output = fixture.output();
        assertThat(output).hasSize(1);
        var event = json(output.get(0).value);
        String status = event.get("enrichment").get("customer").asText();
        return status.equals("hit") ? event.get("customer").get("tier").asText() : status;
    }

    @ParameterizedTest
    @ValueSource(strings = {GLOBAL, PARTITIONED})
    void shouldSkipAReSentOlderVersion(String materialization) {
        startJoin(materialization).customer("42", row("silver", 100)).customer("42", row("gold", 200))
                .customer("42", row("silver", 100));

        assertThat(joinedTier()).isEqualTo("gold");
        assertThat(staleSkipped()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {GLOBAL, PARTITIONED})
    void shouldSkipTheSameVersionAgain(String materialization) {
        startJoin(materialization).customer("42", row("gold", 200)).customer("42", row("silver", 200));

        assertThat(joinedTier()).isEqualTo("gold");
        assertThat(staleSkipped()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {GLOBAL, PARTITIONED})
    void shouldApplyANewerVersionAlsoInANewerBinlogFile(String materialization) {
        startJoin(materialization).customer("42", row("silver", 100)).customer("42", row("gold", 200))
                .customer("42", row("platinum", "mariadb-bin.000004", 4));

        assertThat(joinedTier()).isEqualTo("platinum");
        assertThat(staleSkipped()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {GLOBAL, PARTITIONED})
    void shouldNotResurrectADeletedRowWithAReSentInsert(String materialization) {
        startJoin(materialization).customer("42", row("silver", 100)).customer("42", row("gold", 200))
                .customer("42", null)
                // Connect crashed and resumed from an offset before the insert.
                .customer("42", row("silver", 100));
        assertThat(joinedTier()).isEqualTo("deleted");
        assertThat(staleSkipped()).isEqualTo(1);

        // The version the tombstone deleted comes again, then its tombstone: a tombstone carries no position, so
        // this version cannot be told from the row inserted again after a re-sent tombstone (below) and is applied
        // until its own tombstone follows.
        fixture.customer("42", row("gold", 200)).customer("42", null);
        assertThat(joinedTier()).isEqualTo("deleted");
    }

    @ParameterizedTest
    @ValueSource(strings = {GLOBAL, PARTITIONED})
    void shouldKeepARowInsertedAgainAfterAReSentTombstone(String materialization) {
        startJoin(materialization).customer("42", row("silver", 100)).customer("42", null)
                .customer("42", row("gold", 300))
                // Connect crashed and resumed from an offset before the delete.
                .customer("42", null).customer("42", row("gold", 300));

        assertThat(joinedTier()).isEqualTo("gold");
        assertThat(staleSkipped()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {GLOBAL, PARTITIONED})
    void shouldKeepTheVersionOfARewrittenDeleteThroughItsTombstone(String materialization) {
        startJoin(materialization).customer("42", row("silver", 100)).customer("42", rewrittenDelete(300))
                .customer("42", null)
                .customer("42", row("silver", 100)).customer("42", rewrittenDelete(300)).customer("42", null);

        assertThat(joinedTier()).isEqualTo("deleted");
        // The re-sent insert, the re-sent delete and the tombstone that belongs to it.
        assertThat(staleSkipped()).isEqualTo(3);

        fixture.customer("42", row("gold", 400));
        assertThat(joinedTier()).isEqualTo("gold");
    }

    @ParameterizedTest
    @ValueSource(strings = {GLOBAL, PARTITIONED})
    void shouldNotLetAReSentDeleteRemoveANewerInsert(String materialization) {
        startJoin(materialization).customer("42", rewrittenDelete(300)).customer("42", null)
                .customer("42", row("gold", 400))
                .customer("42", rewrittenDelete(300)).customer("42", null);

        assertThat(joinedTier()).isEqualTo("gold");
        assertThat(staleSkipped()).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {GLOBAL, PARTITIONED})
    void shouldOrderByAConfiguredVersionColumn(String materialization) {
        startJoin(materialization + "\nversionField: updated_at")
                .customer("42", "{\"id\":42,\"tier\":\"silver\",\"updated_at\":\"2024-05-01T10:00:00Z\"}")
                .customer("42", "{\"id\":42,\"tier\":\"gold\",\"updated_at\":\"2024-05-01T12:00:00.000001+02:00\"}")
                .customer("42", "{\"id\":42,\"tier\":\"silver\",\"updated_at\":\"2024-05-01T10:00:00Z\"}");

        assertThat(joinedTier()).isEqualTo("gold");
        assertThat(staleSkipped()).isEqualTo(1);
    }

    @Test
    void shouldOrderByANumericVersionColumnAndIgnoreTheSourcePosition() {
        startJoin("versionField: version")
                .customer("42", "{\"id\":42,\"tier\":\"silver\",\"version\":7,\"__source_file\":\"b.000001\","
                        + "\"__source_pos\":900}")
                .customer("42", "{\"id\":42,\"tier\":\"gold\",\"version\":8,\"__source_file\":\"b.000001\","
                        + "\"__source_pos\":100}")
                .customer("42", "{\"id\":42,\"tier\":\"silver\",\"version\":7}");

        assertThat(joinedTier()).isEqualTo("gold");
        assertThat(staleSkipped()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {GLOBAL, PARTITIONED})
    void shouldFallBackToTopicOrderForRowsWithoutAVersion(String materialization) {
        startJoin(materialization).customer("42", "{\"id\":42,\"tier\":\"gold\"}")
                .customer("42", "{\"id\":42,\"tier\":\"silver\"}");

        assertThat(joinedTier()).isEqualTo("silver");
        assertThat(staleSkipped()).isZero();
    }

    @Test
    void shouldAcceptALowerPositionOfAnotherServer() {
        startJoin(GLOBAL).customer("42", row("silver", 900))
                .customer("42", row("gold", 100).replace("\"__source_server_id\":1", "\"__source_server_id\":2"));

        assertThat(joinedTier()).isEqualTo("gold");
    }

    @Test
    void shouldAcceptALowerPositionCommittedLaterAsAResetBinlog() {
        startJoin(GLOBAL).customer("42", row("silver", "mariadb-bin.000009", 900))
                .customer("42", row("gold", "mariadb-bin.000001", 100)
                        .replace("1700000000000", "1700000060000"));

        assertThat(joinedTier()).isEqualTo("gold");
    }

    @Test
    void shouldKeepTheNewerVersionOfTheSameCommitSecondInAVersionedStore() {
        Instant committed = EnricherFixture.T0.plusSeconds(10);
        startJoin(PARTITIONED + "\nversioned: {historyRetention: 1h}")
                .tableAt(EnricherFixture.CUSTOMERS, "42", row("silver", 100), committed)
                .tableAt(EnricherFixture.CUSTOMERS, "42", row("gold", 200), committed)
                .tableAt(EnricherFixture.CUSTOMERS, "42", row("silver", 100), committed);
        fixture.eventAt("o-1", EVENT, committed.plusSeconds(60));

        assertThat(json(fixture.output().get(0).value).get("customer").get("tier").asText()).isEqualTo("gold");
        assertThat(staleSkipped()).isEqualTo(1);
    }
}
