package io.cdcenricher.enricher.internals;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Which of two versions of a row is newer, from Debezium's binlog position or from a version column. */
class RowVersionTest {

    private static byte[] position(long time, int server, String file, long pos, int row) {
        return RowVersion.of(("{\"__source_ts_ms\":" + time + ",\"__source_server_id\":" + server
                + ",\"__source_file\":\"" + file + "\",\"__source_pos\":" + pos + ",\"__source_row\":" + row + "}")
                .getBytes(StandardCharsets.UTF_8), null);
    }

    private static byte[] column(String json) {
        return RowVersion.of(json.getBytes(StandardCharsets.UTF_8), "v");
    }

    @Test
    void shouldOrderByFileNumberThenPositionThenRow() {
        byte[] base = position(1000, 1, "bin.000002", 500, 1);

        assertThat(RowVersion.isStale(position(1000, 1, "bin.000002", 500, 0), base)).isTrue();
        assertThat(RowVersion.isStale(position(1000, 1, "bin.000002", 400, 9), base)).isTrue();
        assertThat(RowVersion.isStale(position(1000, 1, "bin.000001", 900, 9), base)).isTrue();
        assertThat(RowVersion.isStale(position(1000, 1, "bin.000002", 500, 1), base)).as("equal").isTrue();
        assertThat(RowVersion.isStale(position(1000, 1, "bin.000002", 500, 2), base)).isFalse();
        assertThat(RowVersion.isStale(position(1000, 1, "bin.000003", 4, 0), base)).isFalse();
        assertThat(RowVersion.isStale(position(1000, 1, "bin.000010", 4, 0), position(1000, 1, "bin.000009", 9, 0)))
                .as("numeric, not text order").isFalse();
    }

    @Test
    void shouldNotCompareAcrossServersNorTakeAResetBinlogForAReSend() {
        byte[] base = position(1000, 1, "bin.000002", 500, 0);

        assertThat(RowVersion.isStale(position(1000, 2, "bin.000001", 4, 0), base)).isFalse();
        assertThat(RowVersion.isStale(position(2000, 1, "bin.000001", 4, 0), base)).isFalse();
    }

    @Test
    void shouldCompareASnapshotRecordWithStreamedChanges() {
        // As DebeziumMariaDbCaptureIT reads them: server id 0 on the snapshot, the server's on streamed changes.
        byte[] snapshot = position(1000, 0, "binlog.000001", 935, 0);
        byte[] streamed = position(4000, 1, "binlog.000001", 1115, 0);

        assertThat(RowVersion.isStale(snapshot, streamed)).isTrue();
        assertThat(RowVersion.isStale(streamed, snapshot)).isFalse();
    }

    @Test
    void shouldOrderAVersionColumnAsNumberOrTimestamp() {
        assertThat(RowVersion.isStale(column("{\"v\":7}"), column("{\"v\":8}"))).isTrue();
        assertThat(RowVersion.isStale(column("{\"v\":\"8\"}"), column("{\"v\":8}"))).isTrue();
        assertThat(RowVersion.isStale(column("{\"v\":9}"), column("{\"v\":8}"))).isFalse();
        assertThat(RowVersion.isStale(column("{\"v\":\"2024-05-01T10:00:00.000002Z\"}"),
                column("{\"v\":\"2024-05-01T12:00:00.000001+02:00\"}"))).isFalse();
        assertThat(RowVersion.isStale(column("{\"v\":\"2024-05-01T10:00:00Z\"}"),
                column("{\"v\":\"2024-05-01T12:00:00+02:00\"}"))).isTrue();
    }

    @Test
    void shouldHaveNoVersionWithoutItsFieldsAndThenNeverBeStale() {
        assertThat(column("{\"v\":null}")).isNull();
        assertThat(column("{\"v\":\"yesterday\"}")).isNull();
        assertThat(column("{\"v\":{\"a\":1}}")).isNull();
        assertThat(RowVersion.of("{\"__source_ts_ms\":1}".getBytes(StandardCharsets.UTF_8), null)).isNull();
        assertThat(RowVersion.of("not json".getBytes(StandardCharsets.UTF_8), null)).isNull();
        assertThat(RowVersion.isStale(null, column("{\"v\":8}"))).isFalse();
        assertThat(RowVersion.isStale(column("{\"v\":8}"), null)).isFalse();
        assertThat(RowVersion.isStale(column("{\"v\":1}"), position(1, 1, "b.1", 1, 0))).as("other kind").isFalse();
    }

    @Test
    void shouldReadTheNumberOfABinlogFile() {
        assertThat(RowVersion.fileNumber("mariadb-bin.000042")).isEqualTo(42);
        assertThat(RowVersion.isStale(position(1, 1, "no-number", 1, 0), position(1, 1, "no-number", 9, 0)))
                .as("a file without a number is no position").isFalse();
    }
}
