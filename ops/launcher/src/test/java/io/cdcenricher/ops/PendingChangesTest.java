package io.cdcenricher.ops;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Counting undelivered captured changes in SHOW BINLOG EVENTS rows as MariaDB 10.11 writes them. */
class PendingChangesTest {

    private static final CapturedTables SHOP = CapturedTables.of(Map.of("database.include.list", "shop",
            "table.include.list", "shop\\.(customers|products)"));

    /** One autocommitted INSERT into {@code table}, starting at {@code pos}, as MariaDB logs it. */
    private static List<BinlogEvent> insert(long pos, String table) {
        return List.of(
                new BinlogEvent("binlog.000002", pos, "Gtid", pos + 42, "BEGIN GTID 0-1-7"),
                new BinlogEvent("binlog.000002", pos + 42, "Annotate_rows", pos + 100, "INSERT INTO x VALUES (1)"),
                new BinlogEvent("binlog.000002", pos + 100, "Table_map", pos + 160, "table_id: 33 (" + table + ")"),
                new BinlogEvent("binlog.000002", pos + 160, "Write_rows_v1", pos + 210, "table_id: 33 flags: STMT_END_F"),
                new BinlogEvent("binlog.000002", pos + 210, "Xid", pos + 241, "COMMIT /* xid=12 */"));
    }

    private static List<BinlogEvent> concat(List<List<BinlogEvent>> parts) {
        return parts.stream().flatMap(List::stream).toList();
    }

    @Test
    void countsCommittedTransactionsOnCapturedTablesOnly() {
        List<BinlogEvent> events = concat(List.of(insert(400, "shop.customers"), insert(641, "other.customers"),
                insert(882, "shop.products"), insert(1123, "shop.audit")));

        PendingChanges pending = PendingChanges.count(events, false, SHOP, false);

        assertThat(pending.transactions()).isEqualTo(2);
        assertThat(pending.describe()).isEqualTo("2 committed transactions with changes to captured tables");
    }

    @Test
    void theTransactionTheOffsetPointsIntoWasDeliveredAlready() {
        List<BinlogEvent> events = concat(List.of(insert(400, "shop.customers"), insert(641, "shop.customers")));

        assertThat(PendingChanges.count(events, true, SHOP, false).transactions()).isEqualTo(1);
        assertThat(PendingChanges.count(insert(400, "shop.customers"), true, SHOP, false).transactions()).isZero();
    }

    @Test
    void aTransactionWithoutItsCommitIsNotCountedAndDdlIsNoChange() {
        List<BinlogEvent> open = insert(400, "shop.customers").subList(0, 4);
        List<BinlogEvent> ddl = List.of(new BinlogEvent("binlog.000002", 400, "Gtid", 442, "GTID 0-1-8"),
                new BinlogEvent("binlog.000002", 442, "Query", 560, "use `shop`; ALTER TABLE customers ADD x INT"));

        assertThat(PendingChanges.count(open, false, SHOP, false).transactions()).isZero();
        assertThat(PendingChanges.count(ddl, false, SHOP, false).transactions()).isZero();
    }

    @Test
    void aTruncatedScanSaysSo() {
        assertThat(PendingChanges.count(insert(400, "shop.customers"), false, SHOP, true).describe())
                .isEqualTo("at least 1 committed transaction with changes to captured tables");
        assertThat(PendingChanges.count(insert(400, "other.t"), false, SHOP, true).describe())
                .startsWith("none in the first 5 binlog events");
    }

    @Test
    void capturedTablesFollowDebeziumsIncludeAndExcludeLists() {
        CapturedTables everythingButAudit = CapturedTables.of(Map.of("table.exclude.list", "shop\\.audit"));

        assertThat(SHOP.captures("SHOP.Customers")).as("without case").isTrue();
        assertThat(SHOP.captures("shop.customers_old")).as("whole-name match").isFalse();
        assertThat(everythingButAudit.captures("any.table")).isTrue();
        assertThat(everythingButAudit.captures("shop.audit")).isFalse();
    }

    @Test
    void binlogPositionsOrderByFileSequenceThenPosition() {
        BinlogPosition early = new BinlogPosition("binlog.000009", 9_000);
        BinlogPosition later = new BinlogPosition("binlog.000010", 4);

        assertThat(early.isBefore(later)).isTrue();
        assertThat(later.isBefore(early)).isFalse();
        assertThat(new BinlogPosition("binlog.000010", 4).compareTo(later)).isZero();
        assertThat(early.bytesTo(new BinlogPosition("binlog.000009", 9_500))).isEqualTo(500);
    }

    @Test
    void committedOffsetsAreReadFromWhatTheOffsetsApiAnswers() throws Exception {
        ObjectMapper json = new ObjectMapper();
        var streaming = json.readTree("[{\"partition\":{\"server\":\"demo\"},\"offset\":{\"file\":\"binlog.000002\","
                + "\"pos\":1234,\"event\":2,\"row\":1,\"ts_sec\":1764644400}}]");
        var snapshot = json.readTree("[{\"partition\":{\"server\":\"demo\"},\"offset\":{\"file\":\"binlog.000002\","
                + "\"pos\":400,\"snapshot\":true}}]");

        CommittedOffset offset = CommittedOffset.parse(streaming).orElseThrow();
        assertThat(offset.position()).isEqualTo(new BinlogPosition("binlog.000002", 1234));
        assertThat(offset.insideTransaction()).isTrue();
        assertThat(offset.snapshotting()).isFalse();
        assertThat(CommittedOffset.parse(snapshot).orElseThrow().snapshotting()).isTrue();
        assertThat(CommittedOffset.parse(json.readTree("[]"))).isEmpty();
    }

    @Test
    void aFailureCauseIsTheDeepestCausedByOnOneLine() {
        assertThat(ConnectorStatus.cause("java.lang.IllegalStateException: top\n\tat x.y(Z.java:1)\n"))
                .isEqualTo("java.lang.IllegalStateException: top");
        assertThat(ConnectorStatus.cause("top\nCaused by: a.B: middle\n\tat q\nCaused by: c.D: root cause\n\tat r"))
                .isEqualTo("c.D: root cause");
        assertThat(ConnectorStatus.cause("x".repeat(400))).hasSize(300).endsWith("...");
        assertThat(ConnectorStatus.cause("")).isEqualTo("(Connect gave no trace)");
    }
}
