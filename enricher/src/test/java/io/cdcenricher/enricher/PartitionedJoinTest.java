package io.cdcenricher.enricher;

import static io.cdcenricher.enricher.EnricherFixture.PRODUCTS;
import static io.cdcenricher.enricher.EnricherFixture.customerJoinYaml;
import static io.cdcenricher.enricher.EnricherFixture.header;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * Joins with {@code materialization: partitioned}: the events take a detour through a repartition topic keyed by
 * the foreign key and another keyed by entity id. Whatever the detour, the output must look exactly as with a
 * global join: keyed by entity id, the event's own timestamp, the same statuses and dead letters.
 */
class PartitionedJoinTest extends TopologyTestBase {

    private static final String ADA = "{\"id\":42,\"name\":\"Ada\",\"tier\":\"gold\"}";
    private static final String PARTITIONED = "materialization: partitioned\npartitions: 3";
    private static final String HIT = "\"customer\":{\"name\":\"Ada\",\"tier\":\"gold\"},"
            + "\"enrichment\":{\"customer\":\"hit\"}}";

    private static String mixedYaml(String customerExtras, String productExtras) {
        return """
                applicationId: enricher-test
                bootstrapServers: 127.0.0.1:9
                topics: {events: shop.orders, output: shop.orders.enriched, deadLetter: shop.orders.dlq}
                joins:
                  - name: customer
                    topic: demo.shop.customers
                    foreignKey: customerId
                    fields: [name]
                %s
                  - name: product
                    topic: demo.shop.products
                    foreignKey: productId
                    fields: [title]
                %s
                """.formatted(customerExtras.indent(4).stripTrailing(), productExtras.indent(4).stripTrailing());
    }

    @Test
    void shouldHitThroughPartitionedJoin() {
        start(customerJoinYaml(PARTITIONED)).customer("42", ADA)
                .event("o-1", "{\"type\":\"create\",\"customerId\":42}");

        assertThat(fixture.output()).containsExactly(
                KeyValue.pair("o-1", "{\"type\":\"create\",\"customerId\":42," + HIT));
        assertThat(fixture.deadLetters()).isEmpty();
    }

    @Test
    void shouldReportMissThroughPartitionedJoin() {
        start(customerJoinYaml(PARTITIONED)).customer("42", ADA)
                .event("o-1", "{\"type\":\"create\",\"customerId\":7}");

        assertThat(fixture.output()).containsExactly(KeyValue.pair("o-1",
                "{\"type\":\"create\",\"customerId\":7,\"customer\":null,\"enrichment\":{\"customer\":\"miss\"}}"));
    }

    @Test
    void shouldReportDeletedThroughPartitionedJoin() {
        start(customerJoinYaml(PARTITIONED)).customer("42", ADA).customer("42", null)
                .event("o-1", "{\"type\":\"create\",\"customerId\":42}");

        assertThat(fixture.output()).containsExactly(KeyValue.pair("o-1",
                "{\"type\":\"create\",\"customerId\":42,\"customer\":null,\"enrichment\":{\"customer\":\"deleted\"}}"));
    }

    @Test
    void shouldTreatNullForeignKeyAsMissWithoutLookup() {
        start(customerJoinYaml(PARTITIONED)).event("o-1", "{\"type\":\"create\",\"customerId\":null}");

        assertThat(fixture.output()).containsExactly(KeyValue.pair("o-1",
                "{\"type\":\"create\",\"customerId\":null,\"customer\":null,\"enrichment\":{\"customer\":\"miss\"}}"));
    }

    @Test
    void shouldKeepOutputKeyedByEntityIdWithTheEventTimestamp() {
        start(customerJoinYaml(PARTITIONED)).customer("42", ADA)
                .event("o-1", "{\"type\":\"create\",\"customerId\":42}")
                .event("o-2", "{\"type\":\"create\",\"customerId\":42}");

        List<TestRecord<String, String>> records = fixture.outputRecords();
        assertThat(records).extracting(TestRecord::key).containsExactly("o-1", "o-2");
        assertThat(records).extracting(TestRecord::getRecordTime)
                .containsExactly(EnricherFixture.timestampOf(1), EnricherFixture.timestampOf(2));
    }

    @Test
    void shouldKeepOrderOfOneEntityWithTheSameForeignKeyIncludingSkippedUpdates() {
        start(customerJoinYaml(PARTITIONED + "\nappliesTo: [create]")).customer("42", ADA)
                .event("o-1", "{\"type\":\"create\",\"customerId\":42,\"v\":1}")
                .event("o-1", "{\"type\":\"update\",\"customerId\":42,\"v\":2}")
                .event("o-1", "{\"type\":\"create\",\"customerId\":42,\"v\":3}")
                .event("o-1", null);

        assertThat(fixture.output()).containsExactly(
                KeyValue.pair("o-1", "{\"type\":\"create\",\"customerId\":42,\"v\":1," + HIT),
                KeyValue.pair("o-1", "{\"type\":\"update\",\"customerId\":42,\"v\":2,"
                        + "\"enrichment\":{\"customer\":\"skipped\"}}"),
                KeyValue.pair("o-1", "{\"type\":\"create\",\"customerId\":42,\"v\":3," + HIT),
                KeyValue.pair("o-1", null));
    }

    @Test
    void shouldComposeGlobalAndPartitionedJoins() {
        start(mixedYaml(PARTITIONED, "materialization: global"))
                .customer("42", ADA)
                .table(PRODUCTS, "p-9", "{\"id\":\"p-9\",\"title\":\"Lamp\"}")
                .event("o-1", "{\"type\":\"create\",\"customerId\":42,\"productId\":\"p-9\"}")
                .event("o-2", "{\"type\":\"create\",\"customerId\":43,\"productId\":\"p-0\"}");

        assertThat(fixture.output()).containsExactly(
                KeyValue.pair("o-1", "{\"type\":\"create\",\"customerId\":42,\"productId\":\"p-9\","
                        + "\"customer\":{\"name\":\"Ada\"},\"product\":{\"title\":\"Lamp\"},"
                        + "\"enrichment\":{\"customer\":\"hit\",\"product\":\"hit\"}}"),
                KeyValue.pair("o-2", "{\"type\":\"create\",\"customerId\":43,\"productId\":\"p-0\","
                        + "\"customer\":null,\"product\":null,"
                        + "\"enrichment\":{\"customer\":\"miss\",\"product\":\"miss\"}}"));
    }

    @Test
    void shouldComposeTwoPartitionedJoins() {
        start(mixedYaml(PARTITIONED, "materialization: partitioned\npartitions: 2\nappliesTo: [create]"))
                .customer("42", ADA)
                .table(PRODUCTS, "p-9", "{\"id\":\"p-9\",\"title\":\"Lamp\"}")
                .event("o-1", "{\"type\":\"create\",\"customerId\":42,\"productId\":\"p-9\"}")
                .event("o-1", "{\"type\":\"update\",\"customerId\":42}");

        assertThat(fixture.output()).containsExactly(
                KeyValue.pair("o-1", "{\"type\":\"create\",\"customerId\":42,\"productId\":\"p-9\","
                        + "\"customer\":{\"name\":\"Ada\"},\"product\":{\"title\":\"Lamp\"},"
                        + "\"enrichment\":{\"customer\":\"hit\",\"product\":\"hit\"}}"),
                KeyValue.pair("o-1", "{\"type\":\"update\",\"customerId\":42,\"customer\":{\"name\":\"Ada\"},"
                        + "\"enrichment\":{\"customer\":\"hit\",\"product\":\"skipped\"}}"));
    }

    @Test
    void shouldDeadLetterPartitionedMissWithOriginalKeyValueAndSource() {
        start(customerJoinYaml(PARTITIONED + "\nonMiss: dead-letter")).customer("42", ADA)
                .event("o-1", "{\"type\":\"create\",\"customerId\":7}");

        List<TestRecord<String, String>> dead = fixture.deadLetterRecords();
        assertThat(dead).hasSize(1);
        TestRecord<String, String> letter = dead.get(0);
        assertThat(letter.key()).isEqualTo("o-1");
        assertThat(letter.value()).isEqualTo("{\"type\":\"create\",\"customerId\":7}");
        assertThat(letter.getRecordTime()).isEqualTo(EnricherFixture.timestampOf(1));
        assertThat(header(letter.headers(), DeadLetter.REASON)).isEqualTo("join-miss");
        assertThat(header(letter.headers(), DeadLetter.DETAIL))
                .isEqualTo("join 'customer': no row with key '7' (onMiss: dead-letter)");
        assertThat(header(letter.headers(), DeadLetter.SOURCE_TOPIC)).isEqualTo(EnricherFixture.EVENTS);
        assertThat(header(letter.headers(), DeadLetter.SOURCE_OFFSET)).isEqualTo("0");
        assertThat(fixture.output()).isEmpty();
    }

    @Test
    void shouldDeadLetterBadEventsBeforeTheRepartition() {
        start(customerJoinYaml(PARTITIONED))
                .event("o-1", "{\"type\":\"create\"}")
                .event("o-2", "{\"type\":\"create\",\"customerId\":{\"id\":1}}")
                .event("o-3", "not json");

        assertThat(fixture.deadLetterRecords()).extracting(r -> r.key() + " " + header(r.headers(), DeadLetter.REASON))
                .containsExactly("o-1 missing-foreign-key", "o-2 invalid-foreign-key", "o-3 malformed-json");
        assertThat(fixture.output()).isEmpty();
    }

    @Test
    void shouldDeadLetterOversizedEventAtTheEndOfThePartitionedPath() {
        start(customerJoinYaml(PARTITIONED).replace("joins:", "maxRecordBytes: 60\njoins:")).customer("42", ADA)
                .event("o-1", "{\"type\":\"create\",\"customerId\":42}");

        assertThat(fixture.deadLetterRecords()).extracting(r -> header(r.headers(), DeadLetter.REASON))
                .containsExactly("oversized-record");
        assertThat(fixture.output()).isEmpty();
    }

    @Test
    void shouldReportMissForDeletionOlderThanRetentionThroughPartitionedJoin() {
        start(customerJoinYaml(PARTITIONED + "\ndeletedRetention: 2s")).customer("42", ADA).customer("42", null)
                .event("o-1", "{\"type\":\"create\",\"customerId\":42}")
                .event("o-2", "{\"type\":\"create\",\"customerId\":42}")
                .event("o-3", "{\"type\":\"create\",\"customerId\":42}");

        assertThat(fixture.output())
                .extracting(kv -> kv.key + " " + json(kv.value).path("enrichment"))
                .containsExactly(
                        "o-1 {\"customer\":\"deleted\"}",
                        "o-2 {\"customer\":\"deleted\"}",
                        "o-3 {\"customer\":\"miss\"}");
    }
}
