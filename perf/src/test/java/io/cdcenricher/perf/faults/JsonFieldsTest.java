package io.cdcenricher.perf.faults;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JsonFieldsTest {

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aRevIsTheTopLevelWholeNumberHoweverTheJsonIsSpaced() {
        assertThat(JsonFields.integer(utf8("{\"id\":1, \"rev\" : 42, \"name\":\"c1\"}"), "rev")).hasValue(42);
        assertThat(JsonFields.integer(utf8("{\"row\":{\"rev\":7}}"), "rev")).isEmpty();
        assertThat(JsonFields.integer(utf8("{\"rev\":\"42\"}"), "rev")).isEmpty();
        assertThat(JsonFields.integer(utf8("{\"rev\":4.5}"), "rev")).isEmpty();
    }

    @Test
    void aTombstoneOrAnUnparseableValueHasNoFields() {
        assertThat(JsonFields.integer(null, "rev")).isEmpty();
        assertThat(JsonFields.integer(utf8("{\"rev\":"), "rev")).isEmpty();
        assertThat(JsonFields.text(utf8(""), "type")).isEmpty();
    }

    @Test
    void aTypeIsTheTopLevelString() {
        assertThat(JsonFields.text(utf8("{\"type\":\"bogus\"}"), "type")).contains("bogus");
        assertThat(JsonFields.text(utf8("{\"type\":3}"), "type")).isEmpty();
    }
}
