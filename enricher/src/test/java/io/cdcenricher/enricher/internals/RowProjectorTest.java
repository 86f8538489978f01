package io.cdcenricher.enricher.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RowProjectorTest {

    private static final String ROW = "{\"id\":42,\"name\":\"Ad\u00e9\",\"price\":12.50,\"big\":123456789012345678901234.5,"
            + "\"tags\":[\"a\",{\"b\":null}],\"__op\":\"u\",\"__source_ts_ms\":1700000000000}";

    private static String project(List<String> fields, String row) throws InvalidInputException {
        byte[] stored = new RowProjector(fields).project(row.getBytes(StandardCharsets.UTF_8));
        assertThat(stored[0]).isEqualTo(ReferenceTable.ROW);
        return new String(Arrays.copyOfRange(stored, 1, stored.length), StandardCharsets.UTF_8);
    }

    @Test
    void shouldCopyListedFieldsInRowOrderKeepingNumbersExact() throws Exception {
        assertThat(project(List.of("price", "name", "big"), ROW))
                .isEqualTo("{\"name\":\"Ad\u00e9\",\"price\":12.50,\"big\":123456789012345678901234.5}");
    }

    @Test
    void shouldCopyAllButDebeziumFieldsWhenNoneListed() throws Exception {
        assertThat(project(List.of(), ROW)).isEqualTo("{\"id\":42,\"name\":\"Ad\u00e9\",\"price\":12.50,"
                + "\"big\":123456789012345678901234.5,\"tags\":[\"a\",{\"b\":null}]}");
    }

    @Test
    void shouldWriteNullForListedFieldMissingFromRow() throws Exception {
        assertThat(project(List.of("name", "tier"), "{\"name\":\"Ada\"}")).isEqualTo("{\"name\":\"Ada\",\"tier\":null}");
    }

    @Test
    void shouldRejectRowsThatAreNotJsonObjects() {
        for (String bad : new String[] {"[1]", "42", "", "{\"a\":", "{\"a\":1}x"}) {
            assertThatThrownBy(() -> project(List.of(), bad)).as(bad).isInstanceOf(InvalidInputException.class);
        }
    }
}
