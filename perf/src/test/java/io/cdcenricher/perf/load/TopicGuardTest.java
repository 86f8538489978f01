package io.cdcenricher.perf.load;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class TopicGuardTest {

    private static final TopicGuard.EnricherTopics ENRICHER = new TopicGuard.EnricherTopics("shop.orders",
            "shop.orders.enriched", "shop.orders.dlq", Map.of("customer", "demo.shop.customers"),
            Set.of("__debezium-heartbeat.demo"));

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theEnrichersEventsTopicMayBeWritten() {
        assertThat(TopicGuard.refusal("shop.orders", Optional.of(ENRICHER), "delete",
                List.of(bytes("{\"type\":\"create\",\"id\":\"o-1\"}")))).isEmpty();
        assertThat(TopicGuard.refusal("load.events", Optional.empty(), "delete", List.of())).isEmpty();
    }

    @Test
    void refusesTheEnrichersTablesHeartbeatsOutputsAndOtherTopics() {
        assertThat(TopicGuard.refusal("demo.shop.customers", Optional.of(ENRICHER), "delete", List.of()))
                .hasValueSatisfying(r -> assertThat(r).contains("table topic of the enricher's join 'customer'"));
        assertThat(TopicGuard.refusal("__debezium-heartbeat.demo", Optional.of(ENRICHER), "delete", List.of()))
                .hasValueSatisfying(r -> assertThat(r).contains("heartbeat"));
        assertThat(TopicGuard.refusal("shop.orders.enriched", Optional.of(ENRICHER), "delete", List.of()))
                .hasValueSatisfying(r -> assertThat(r).contains("the enricher's output topic"));
        assertThat(TopicGuard.refusal("shop.orders2", Optional.of(ENRICHER), "delete", List.of()))
                .hasValueSatisfying(r -> assertThat(r).contains("reads its events from shop.orders, not shop.orders2"));
    }

    @Test
    void withoutTheConfigCompactedInternalAndCdcLookingTopicsAreRefused() {
        assertThat(TopicGuard.refusal("demo.shop.customers", Optional.empty(), "compact", List.of()))
                .hasValueSatisfying(r -> assertThat(r).contains("compacted"));
        assertThat(TopicGuard.refusal("x", Optional.empty(), "compact,delete", List.of())).isPresent();
        assertThat(TopicGuard.refusal("__consumer_offsets", Optional.empty(), "delete", List.of())).isPresent();
        assertThat(TopicGuard.refusal("rows", Optional.empty(), "delete",
                List.of(bytes("{\"id\":1,\"name\":\"Ada\",\"__source_ts_ms\":1}"))))
                .hasValueSatisfying(r -> assertThat(r).contains("CDC rows").contains("__source_ts_ms"));
        assertThat(TopicGuard.refusal("rows", Optional.empty(), "delete",
                List.of(bytes("{\"before\":null,\"after\":{\"id\":1},\"source\":{},\"op\":\"c\"}"))))
                .hasValueSatisfying(r -> assertThat(r).contains("envelope"));
        assertThat(TopicGuard.cdcRow(bytes("not json at all"))).isEmpty();
        assertThat(TopicGuard.cdcRow(null)).isEmpty();
    }

    @Test
    void readsTheTopicsFromTheEnrichersOwnConfig(@TempDir Path dir) throws Exception {
        Path yaml = dir.resolve("enricher.yaml");
        Files.writeString(yaml, """
                applicationId: app
                bootstrapServers: 127.0.0.1:9092
                topics: {events: e, output: o, deadLetter: d}
                joins:
                  - {name: customer, topic: p.db.customers, foreignKey: customerId, heartbeatTopic: __debezium-heartbeat.p}
                """);
        TopicGuard.EnricherTopics topics = TopicGuard.EnricherTopics.read(yaml);
        assertThat(topics.events()).isEqualTo("e");
        assertThat(topics.output()).isEqualTo("o");
        assertThat(topics.deadLetter()).isEqualTo("d");
        assertThat(topics.tableOfJoin()).isEqualTo(Map.of("customer", "p.db.customers"));
        assertThat(topics.heartbeats()).containsExactly("__debezium-heartbeat.p");
    }

    @Test
    void aRunningEnricherNamesItsTableTopicsInStatusJson() throws Exception {
        String status = """
                {"applicationId":"demo","joins":[{"name":"customer","topic":"demo.shop.customers"},
                 {"name":"product","topic":"demo.shop.products"}],"deadLetters":[]}""";

        assertThat(TopicGuard.tableTopicsOf(status)).containsExactly("demo.shop.customers", "demo.shop.products");
        assertThat(TopicGuard.tableTopicsOf("{\"joins\":[]}")).isEmpty();
    }
}
