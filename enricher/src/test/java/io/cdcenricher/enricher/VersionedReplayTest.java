package io.cdcenricher.enricher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deterministic replay. The same input (events and reference changes, each with its time) runs twice through a
 * fresh application: once with the reference data loaded first, once interleaved in time order. With a versioned
 * table (joined as of the event time) both runs give the same output; with a latest-row table they do not, which
 * is why a replay of old events against a table loaded today enriches them with today's rows.
 */
class VersionedReplayTest {

    private static final Instant T = Instant.parse("2024-05-01T10:00:00Z");

    @TempDir
    Path stateDir;

    /** One input record: a table change ({@code table} true) or an event, at {@code at} seconds after T. */
    private record Input(boolean table, String key, String value, int at) {
        Instant time() {
            return T.plusSeconds(at);
        }
    }

    private static String row(String tier, int at) {
        return "{\"id\":42,\"name\":\"Ada\",\"tier\":\"" + tier + "\",\"__source_ts_ms\":"
                + T.plusSeconds(at).toEpochMilli() + "}";
    }

    private static String event(String id, int at) {
        return "{\"type\":\"create\",\"id\":\"" + id + "\",\"customerId\":42,\"ts\":\"" + T.plusSeconds(at) + "\"}";
    }

    private static final List<Input> HISTORY = List.of(
            new Input(true, "42", row("silver", 0), 0),
            new Input(false, "o-1", event("o-1", 5), 5),
            new Input(true, "42", row("gold", 10), 10),
            new Input(false, "o-2", event("o-2", 15), 15),
            new Input(true, "42", null, 20),
            new Input(false, "o-3", event("o-3", 25), 25));

    private static String yaml(String joinExtras) {
        return EnricherFixture.customerJoinYaml("materialization: partitioned\npartitions: 2\n" + joinExtras)
                .replace("joins:", "event: {timestampField: ts}\njoins:");
    }

    private List<KeyValue<String, String>> run(String yaml, List<Input> inputs, String dir) {
        try (EnricherFixture fixture = new EnricherFixture(yaml, stateDir.resolve(dir))) {
            for (Input input : inputs) {
                if (input.table()) {
                    fixture.tableAt(EnricherFixture.CUSTOMERS, input.key(), input.value(), input.time());
                } else {
                    fixture.eventAt(input.key(), input.value(), input.time());
                }
            }
            return fixture.output();
        }
    }

    private static List<Input> tablesFirst(List<Input> inputs) {
        List<Input> ordered = new ArrayList<>(inputs);
        ordered.sort(Comparator.comparing(input -> !input.table()));
        return ordered;
    }

    private static String enrichment(KeyValue<String, String> kv) {
        return kv.key + " " + kv.value.substring(kv.value.indexOf(",\"customer\":") + 1);
    }

    @Test
    void shouldGiveTheSameOutputWhetherTheTableIsLoadedFirstOrInterleavedWhenVersioned() {
        String yaml = yaml("versioned: {historyRetention: 7d}");

        List<KeyValue<String, String>> interleaved = run(yaml, HISTORY, "interleaved");
        List<KeyValue<String, String>> loadedFirst = run(yaml, tablesFirst(HISTORY), "loaded-first");

        assertThat(loadedFirst).isEqualTo(interleaved);
        assertThat(interleaved).extracting(VersionedReplayTest::enrichment).containsExactly(
                "o-1 \"customer\":{\"name\":\"Ada\",\"tier\":\"silver\"},\"enrichment\":{\"customer\":\"hit\"}}",
                "o-2 \"customer\":{\"name\":\"Ada\",\"tier\":\"gold\"},\"enrichment\":{\"customer\":\"hit\"}}",
                "o-3 \"customer\":null,\"enrichment\":{\"customer\":\"deleted\"}}");
    }

    @Test
    void shouldDependOnLoadOrderWithoutVersioning() {
        String yaml = yaml("");

        List<KeyValue<String, String>> interleaved = run(yaml, HISTORY, "interleaved");
        List<KeyValue<String, String>> loadedFirst = run(yaml, tablesFirst(HISTORY), "loaded-first");

        assertThat(loadedFirst).isNotEqualTo(interleaved);
        assertThat(loadedFirst).extracting(VersionedReplayTest::enrichment).as("every event sees the last state")
                .containsOnly("o-1 \"customer\":null,\"enrichment\":{\"customer\":\"deleted\"}}",
                        "o-2 \"customer\":null,\"enrichment\":{\"customer\":\"deleted\"}}",
                        "o-3 \"customer\":null,\"enrichment\":{\"customer\":\"deleted\"}}");
    }

    @Test
    void shouldTimeTableVersionsBySourceCommitTimeNotByRecordTimestamp() {
        // Connect wrote the row 30 s after the database committed it; the event at +5 s must still see it.
        List<Input> inputs = List.of(new Input(true, "42", row("silver", 0), 30), new Input(false, "o-1",
                event("o-1", 5), 5));

        assertThat(run(yaml("versioned: {historyRetention: 7d}"), inputs, "run"))
                .extracting(VersionedReplayTest::enrichment).containsExactly(
                        "o-1 \"customer\":{\"name\":\"Ada\",\"tier\":\"silver\"},\"enrichment\":{\"customer\":\"hit\"}}");
    }

    @Test
    void shouldReadEpochMillisEventTimeAndFallBackToTheRecordTimestampWithoutIt() {
        String epoch = "{\"type\":\"create\",\"customerId\":42,\"ts\":" + T.plusSeconds(5).toEpochMilli() + "}";
        String untimed = "{\"type\":\"create\",\"customerId\":42}";
        List<Input> inputs = List.of(new Input(true, "42", row("silver", 0), 0),
                new Input(true, "42", row("gold", 10), 10),
                new Input(false, "o-1", epoch, 20),
                new Input(false, "o-2", untimed, 20));

        assertThat(run(yaml("versioned: {historyRetention: 7d}"), inputs, "run"))
                .extracting(kv -> kv.key + " " + kv.value.contains("silver")).containsExactly("o-1 true", "o-2 false");
    }

    @Test
    void shouldMissWhenTheEventIsOlderThanTheFirstVersion() {
        List<Input> inputs = List.of(new Input(true, "42", row("silver", 10), 10),
                new Input(false, "o-1", event("o-1", 5), 5));

        assertThat(run(yaml("versioned: {historyRetention: 7d}"), inputs, "run"))
                .extracting(VersionedReplayTest::enrichment)
                .containsExactly("o-1 \"customer\":null,\"enrichment\":{\"customer\":\"miss\"}}");
    }
}
