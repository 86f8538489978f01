package io.cdcenricher.enricher.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TableKeyNormalizerTest {

    private final TableKeyNormalizer normalizer = new TableKeyNormalizer("id");

    private String normalize(String key) throws InvalidInputException {
        return normalizer.normalize(key.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldKeepPlainKeys() throws Exception {
        assertThat(normalize("42")).isEqualTo("42");
        assertThat(normalize("abc-1")).isEqualTo("abc-1");
    }

    @Test
    void shouldUnquoteJsonStringKey() throws Exception {
        assertThat(normalize("\"42\"")).isEqualTo("42");
    }

    @Test
    void shouldReduceDebeziumObjectKeyToItsKeyField() throws Exception {
        assertThat(normalize("{\"id\":42}")).isEqualTo("42");
        assertThat(normalize("{\"other\":{\"id\":1},\"id\":\"C-1\"}")).isEqualTo("C-1");
        assertThat(normalize("{\"id\":42.0}")).isEqualTo("42");
    }

    @Test
    void shouldRejectUnusableKeys() {
        for (String bad : new String[] {"", "{\"other\":1}", "{\"id\":{\"x\":1}}", "{\"id\":true}", "{\"id\":", "\"x"}) {
            assertThatThrownBy(() -> normalize(bad)).as(bad).isInstanceOf(InvalidInputException.class);
        }
    }
}
