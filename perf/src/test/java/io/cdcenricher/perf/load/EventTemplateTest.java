package io.cdcenricher.perf.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventTemplateTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static EventTemplate.Context context(long seq) {
        return new EventTemplate.Context("run-1", seq, "run-1-" + seq, 1_700_000_000_123L);
    }

    @Test
    void fillsEveryPlaceholder() throws Exception {
        EventTemplate template = EventTemplate.parse("""
                {"type":"{{oneOf:create}}","id":"{{entityId}}","seq":{{seq}},"at":{{now}},"iso":"{{now:iso}}",
                 "run":"{{runId}}","customerId":{{fk:5..5}}}""", dir, 42, "t.json");
        JsonNode event = JSON.readTree(template.render(context(7)));
        assertThat(event.path("type").asText()).isEqualTo("create");
        assertThat(event.path("id").asText()).isEqualTo("run-1-7");
        assertThat(event.path("seq").asLong()).isEqualTo(7);
        assertThat(event.path("at").asLong()).isEqualTo(1_700_000_000_123L);
        assertThat(event.path("iso").asText()).isEqualTo("2023-11-14T22:13:20.123Z");
        assertThat(event.path("run").asText()).isEqualTo("run-1");
        assertThat(event.path("customerId").asLong()).isEqualTo(5);
    }

    @Test
    void drawsForeignKeysFromTheRangeUniformlyOrZipf() throws Exception {
        EventTemplate uniform = EventTemplate.parse("{\"k\":{{fk:11..20}}}", dir, 1, "t");
        EventTemplate zipf = EventTemplate.parse("{\"k\":{{fk:11..20:zipf(1.5)}}}", dir, 1, "t");
        Map<Long, Integer> u = new HashMap<>();
        Map<Long, Integer> z = new HashMap<>();
        for (int i = 0; i < 20_000; i++) {
            u.merge(JSON.readTree(uniform.render(context(i))).path("k").asLong(), 1, Integer::sum);
            z.merge(JSON.readTree(zipf.render(context(i))).path("k").asLong(), 1, Integer::sum);
        }
        assertThat(u.keySet()).allSatisfy(k -> assertThat(k).isBetween(11L, 20L)).hasSize(10);
        assertThat(u.values()).allSatisfy(n -> assertThat(n).isBetween(1_700, 2_300));
        assertThat(z.keySet()).allSatisfy(k -> assertThat(k).isBetween(11L, 20L));
        assertThat(z.get(11L)).as("the range's start is zipf's most frequent key").isGreaterThan(3 * z.get(13L));
    }

    @Test
    void drawsRealKeysFromAFileRelativeToTheTemplate() throws Exception {
        Files.writeString(dir.resolve("keys.txt"), "# customer ids\nc-1\n\nc-\"2\"\n");
        Path file = dir.resolve("event.json");
        Files.writeString(file, "{\"customerId\":\"{{fk:file:keys.txt}}\"}");
        EventTemplate template = EventTemplate.read(file, 3);
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < 200; i++) {
            seen.add(JSON.readTree(template.render(context(i))).path("customerId").asText());
        }
        assertThat(seen).as("comments and blank lines skipped, quotes escaped").containsExactlyInAnyOrder("c-1", "c-\"2\"");
    }

    @Test
    void sameSeedSameEvents() {
        String text = "{\"a\":{{fk:1..1000}},\"b\":\"{{oneOf:x,y,z}}\"}";
        EventTemplate one = EventTemplate.parse(text, dir, 9, "t");
        EventTemplate two = EventTemplate.parse(text, dir, 9, "t");
        for (int i = 0; i < 50; i++) {
            assertThat(one.render(context(i))).isEqualTo(two.render(context(i)));
        }
    }

    @Test
    void namesTheBadPlaceholder() {
        assertThatThrownBy(() -> EventTemplate.parse("{\"a\":{{customer}}}", dir, 1, "order.json"))
                .hasMessageContaining("order.json").hasMessageContaining("{{customer}}").hasMessageContaining("unknown placeholder");
        assertThatThrownBy(() -> EventTemplate.parse("{\"a\":{{fk:10..1}}}", dir, 1, "t"))
                .hasMessageContaining("{{fk:10..1}}").hasMessageContaining("ends (1) before it starts (10)");
        assertThatThrownBy(() -> EventTemplate.parse("{\"a\":{{fk:1..10:zipf(x)}}}", dir, 1, "t"))
                .hasMessageContaining("{{fk:1..10:zipf(x)}}").hasMessageContaining("zipf needs a number");
        assertThatThrownBy(() -> EventTemplate.parse("{\"a\":{{fk:1..10:pareto}}}", dir, 1, "t"))
                .hasMessageContaining("unknown distribution 'pareto'");
        assertThatThrownBy(() -> EventTemplate.parse("{\"a\":\"{{fk:file:nope.txt}}\"}", dir, 1, "t"))
                .hasMessageContaining("{{fk:file:nope.txt}}").hasMessageContaining("cannot read the key file");
        assertThatThrownBy(() -> EventTemplate.parse("{\"a\":{{fk:abc}}}", dir, 1, "t"))
                .hasMessageContaining("expected fk:A..B");
        assertThatThrownBy(() -> EventTemplate.parse("{\"a\":{{seq}", dir, 1, "t"))
                .hasMessageContaining("unclosed placeholder");
    }

    @Test
    void aRenderingMustBeAJsonObject() {
        assertThatThrownBy(() -> EventTemplate.parse("{\"id\":{{entityId}}}", dir, 1, "t"))
                .as("an id placeholder without quotes").hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> EventTemplate.parse("[{{seq}}]", dir, 1, "t")).hasMessageContaining("a JSON object");
    }
}
