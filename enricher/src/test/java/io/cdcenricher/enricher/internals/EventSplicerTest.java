package io.cdcenricher.enricher.internals;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdcenricher.enricher.JoinStatus;
import io.cdcenricher.enricher.config.JoinConfig;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EventSplicerTest {

    private static JoinConfig join(String name, String as) {
        return JoinConfig.builder(name, "t." + name, name + "Id").appliesTo(Set.of("create")).as(as).build();
    }

    private final EventSplicer splicer = new EventSplicer(List.of(join("customer", "customer"),
            join("product", "item \"x\"")));

    private static byte[] stored(String json) {
        byte[] row = json.getBytes(StandardCharsets.UTF_8);
        byte[] stored = new byte[row.length + 1];
        stored[0] = ReferenceTable.ROW;
        System.arraycopy(row, 0, stored, 1, row.length);
        return stored;
    }

    private String write(String event, boolean hasFields, JoinStatus[] statuses, byte[][] rows) {
        byte[] bytes = event.getBytes(StandardCharsets.UTF_8);
        int closingBrace = event.lastIndexOf('}');
        byte[] out = splicer.write(bytes, closingBrace, hasFields, statuses, rows);
        assertThat(out).hasSize(splicer.length(bytes, closingBrace, hasFields, statuses, rows));
        return new String(out, StandardCharsets.UTF_8);
    }

    @Test
    void shouldSpliceRowsAndStatusBeforeTheClosingBrace() {
        String out = write("{\"a\":1}", true, new JoinStatus[] {JoinStatus.HIT, JoinStatus.MISS},
                new byte[][] {stored("{\"name\":\"Ada\"}"), null});

        assertThat(out).isEqualTo("{\"a\":1,\"customer\":{\"name\":\"Ada\"},\"item \\\"x\\\"\":null,"
                + "\"enrichment\":{\"customer\":\"hit\",\"product\":\"miss\"}}");
    }

    @Test
    void shouldWriteNoLeadingCommaIntoEmptyObject() {
        String out = write("{}", false, new JoinStatus[] {JoinStatus.DELETED, JoinStatus.SKIPPED},
                new byte[][] {null, null});

        assertThat(out).isEqualTo("{\"customer\":null,\"enrichment\":{\"customer\":\"deleted\",\"product\":\"skipped\"}}");
    }

    @Test
    void shouldWriteOnlyStatusWhenAllJoinsAreSkipped() {
        String out = write(" {\"a\":1 }\n", true, new JoinStatus[] {JoinStatus.SKIPPED, JoinStatus.SKIPPED},
                new byte[][] {null, null});

        assertThat(out).isEqualTo(" {\"a\":1 ,\"enrichment\":{\"customer\":\"skipped\",\"product\":\"skipped\"}}\n");
    }
}
