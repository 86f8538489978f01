package io.cdcenricher.enricher.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a declared key is read: defaults, required keys, unreadable values, checks, unknown keys. */
class ConfigKeyTest {

    private final ConfigSection section = ConfigSection.root();
    private final ConfigKey<Duration> wait = section.key("wait", ValueType.DURATION)
            .defaultValue(Duration.ofSeconds(30)).doc("how long").define();
    private final ConfigKey<String> name = section.key("name", ValueType.TEXT).required("a join name")
            .check(Check.that(text -> !text.contains(" "), "must not contain spaces")).doc("the name").define();
    private final Problems problems = new Problems();

    private static ObjectNode yaml(String text) throws Exception {
        return (ObjectNode) new YAMLMapper().readTree(text);
    }

    private List<String> reported() {
        try {
            problems.throwIfAny();
            return List.of();
        } catch (InvalidConfigException e) {
            return e.problems().stream().map(InvalidConfigException.Problem::toString).toList();
        }
    }

    @Test
    void readsTheDefaultWhenAbsentAndReportsARequiredKeyWithItsHint() throws Exception {
        ObjectNode map = yaml("other: 1");

        assertThat(wait.read(map, "joins[0]", problems)).isEqualTo(Duration.ofSeconds(30));
        assertThat(name.read(map, "joins[0]", problems)).isNull();
        assertThat(reported()).containsExactly("joins[0].name: required (a join name)");
    }

    @Test
    void reportsAnUnreadableValueAndReadsTheDefault() throws Exception {
        assertThat(wait.read(yaml("wait: soon"), "", problems)).isEqualTo(Duration.ofSeconds(30));
        assertThat(reported()).containsExactly(
                "wait: must be a positive duration like 24h, 30m, 7d or ISO-8601 PT24H (was 'soon')");
    }

    @Test
    void reportsAFailedCheckAndKeepsTheValue() throws Exception {
        assertThat(name.read(yaml("name: a b"), "", problems)).isEqualTo("a b");
        assertThat(reported()).containsExactly("name: must not contain spaces");
    }

    @Test
    void rejectsUndeclaredKeysListingTheDeclaredOnesSorted() throws Exception {
        section.rejectUnknownKeys(yaml("{wait: 5s, nmae: x}"), "joins[1]", problems);

        assertThat(reported()).containsExactly("joins[1].nmae: unknown key (known keys: name, wait)");
    }

    @Test
    void namesItsPathInTheReferenceAndInAList() {
        ConfigSection items = ConfigSection.itemsOf(name);
        ConfigKey<String> topic = items.key("topic", ValueType.TEXT).doc("the topic").define();

        assertThat(topic.path()).isEqualTo("name[].topic");
        assertThat(topic.pathAt(3)).isEqualTo("name[3].topic");
        assertThat(wait.defaultDescription()).isEqualTo("`30s`");
        assertThat(name.defaultDescription()).isEqualTo("required");
    }

    @Test
    void refusesAKeyDeclaredTwiceOrWithoutDoc() {
        assertThatThrownBy(() -> section.key("wait", ValueType.TEXT).doc("again").define())
                .hasMessageContaining("wait is declared twice");
        assertThatThrownBy(() -> section.key("other", ValueType.TEXT).define()).hasMessageContaining("has no doc");
    }
}
