package io.cdcenricher.enricher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each case of the bad-input corpus through the real topology in a test driver, with the joins and tables
 * {@code BadInputCorpusIT} has on the real stack: the fast check of the corpus' expectations (the IT proves the
 * same on the released jar, with exactly-once and schema changes). After each case a good event must still be
 * enriched: a bad record never disturbs the next.
 */
class BadInputCorpusTest extends TopologyTestBase {

    /** The IT's enricher configuration, minus its topics and Kafka settings. */
    static final String JOINS_YAML = """
            joins:
              - name: customer
                topic: %s
                foreignKey: customerId
                fields: [name, tier]
              - name: product
                topic: %s
                foreignKey: productId
                appliesTo: [create]
                onMiss: dead-letter
            """;

    static Stream<BadInputCorpus.Case> corpus() {
        return BadInputCorpus.load().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void shouldEndWhereTheCorpusSaysAndKeepEnrichingAfterIt(BadInputCorpus.Case c) {
        start("""
                applicationId: bad-input-corpus-test
                bootstrapServers: 127.0.0.1:9
                topics:
                  events: shop.orders
                  output: shop.orders.enriched
                  deadLetter: shop.orders.dlq
                """ + JOINS_YAML.formatted(EnricherFixture.CUSTOMERS, EnricherFixture.PRODUCTS));
        fixture.customer("1", "{\"id\":1,\"name\":\"Ada\",\"tier\":\"gold\",\"__source_ts_ms\":1}")
                .customer("2", "{\"id\":2,\"name\":\"Bob\",\"tier\":\"silver\",\"__source_ts_ms\":1}")
                .table(EnricherFixture.PRODUCTS, "p-1",
                        "{\"id\":\"p-1\",\"title\":\"Lamp\",\"price\":\"12.50\",\"__source_ts_ms\":1}");
        RecordHeaders headers = new RecordHeaders();
        c.headers().forEach((name, text) -> headers.add(name, text.getBytes(StandardCharsets.UTF_8)));

        fixture.rawEvent(c.key(), c.value(), headers);
        fixture.event("good-after", "{\"type\":\"create\",\"customerId\":1,\"productId\":\"p-1\"}");

        List<TestRecord<byte[], byte[]>> output = fixture.rawOutputRecords();
        List<TestRecord<byte[], byte[]>> dead = fixture.rawDeadLetterRecords();
        boolean deadLettered = c.expected() instanceof BadInputCorpus.DeadLetterExpected;
        assertThat(output).as("output").hasSize(deadLettered ? 1 : 2);
        assertThat(dead).as("dead letters").hasSize(deadLettered ? 1 : 0);
        TestRecord<byte[], byte[]> outcome = deadLettered ? dead.get(0) : output.get(0);
        BadInputCorpus.assertOutcome(c, deadLettered, outcome.key(), outcome.value(), outcome.headers(),
                EnricherFixture.EVENTS);
        TestRecord<byte[], byte[]> good = output.get(output.size() - 1);
        assertThat(new String(good.key(), StandardCharsets.UTF_8)).isEqualTo("good-after");
        assertThat(BadInputCorpus.readTree(good.value()).path(BadInputCorpus.ENRICHMENT).toString())
                .isEqualTo("{\"customer\":\"hit\",\"product\":\"hit\"}");
    }
}
