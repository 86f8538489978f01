package io.cdcenricher.enricher;

import static io.cdcenricher.enricher.EnricherFixture.CUSTOMERS;
import static io.cdcenricher.enricher.EnricherFixture.PRODUCTS;
import static io.cdcenricher.enricher.EnricherFixture.customerJoinYaml;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/** The enrichment semantics, end to end through the real topology. */
class EnrichmentTopologyTest extends TopologyTestBase {

    private static final String ADA = "{\"id\":42,\"name\":\"Ada\",\"tier\":\"gold\",\"email\":\"ada@example.com\","
            + "\"__source_ts_ms\":1700000000000,\"__op\":\"c\"}";

    @Test
    void shouldCopyOnlyConfiguredFieldsOnHit() {
        start(customerJoinYaml("")).customer("42", ADA)
                .event("o-1", "{\"type\":\"create\",\"id\":\"o-1\",\"customerId\":42,\"amount\":12.50}");

        assertThat(fixture.output()).containsExactly(KeyValue.pair("o-1",
                "{\"type\":\"create\",\"id\":\"o-1\",\"customerId\":42,\"amount\":12.50,"
                        + "\"customer\":{\"name\":\"Ada\",\"tier\":\"gold\"},\"enrichment\":{\"customer\":\"hit\"}}"));
        assertThat(fixture.deadLetters()).isEmpty();
    }

    @Test
    void shouldKeepKeyAndTimestampOfTheEvent() {
        start(customerJoinYaml("")).customer("42", ADA)
                .event("o-1", "{\"type\":\"create\",\"customerId\":42}");

        List<TestRecord<String, String>> records = fixture.outputRecords();
        assertThat(records).hasSize(1);
        assertThat(records.get(0).key()).isEqualTo("o-1");
        assertThat(records.get(0).getRecordTime()).isEqualTo(EnricherFixture.timestampOf(1));
    }

    @Test
    void shouldCopyAllRowFieldsExceptDebeziumMetadataWhenFieldsAreOmitted() {
        start("""
                applicationId: enricher-test
                bootstrapServers: 127.0.0.1:9
                topics: {events: shop.orders, output: shop.orders.enriched, deadLetter: shop.orders.dlq}
                joins:
                  - {name: customer, topic: demo.shop.customers, foreignKey: customerId}
                """).customer("42", ADA)
                .event("o-1", "{\"type\":\"create\",\"customerId\":42}");

        assertThat(fixture.output()).containsExactly(KeyValue.pair("o-1", "{\"type\":\"create\",\"customerId\":42,"
                + "\"customer\":{\"id\":42,\"name\":\"Ada\",\"tier\":\"gold\",\"email\":\"ada@example.com\"},"
                + "\"enrichment\":{\"customer\":\"hit\"}}"));
    }

    @Test
    void shouldCopyDebeziumFieldWhenListedExplicitly() {
        start(customerJoinYaml("").replace("fields: [name, tier]", "fields: [name, __source_ts_ms, missing]"))
                .customer("42", ADA)
                .event("o-1", "{\"type\":\"create\",\"customerId\":42}");

        assertThat(fixture.output()).containsExactly(KeyValue.pair("o-1", "{\"type\":\"create\",\"customerId\":42,"
                + "\"customer\":{\"name\":\"Ada\",\"__source_ts_ms\":1700000000000,\"missing\":null},"
                + "\"enrichment\":{\"customer\":\"hit\"}}"));
    }

    @Test
    void shouldEmitMissWithNullNestedValueWhenNoRowExists() {
        start(customerJoinYaml("")).event("o-1", "{\"type\":\"create\",\"customerId\":7}");

        assertThat(fixture.output()).containsExactly(KeyValue.pair("o-1",
                "{\"type\":\"create\",\"customerId\":7,\"customer\":null,\"enrichment\":{\"customer\":\"miss\"}}"));
    }

    @Test
    void shouldTreatNullForeignKeyAsMiss() {
        start(customerJoinYaml("")).event("o-1", "{\"type\":\"create\",\"customerId\":null}");

        assertThat(fixture.output()).containsExactly(KeyValue.pair("o-1",
                "{\"type\":\"create\",\"customerId\":null,\"customer\":null,\"enrichment\":{\"customer\":\"miss\"}}"));
    }

    @Test
    void shouldSeeNewRowValueAfterTableUpdate() {
        start(customerJoinYaml(""))
                .customer("42", "{\"id\":42,\"name\":\"Ada\",\"tier\":\"silver\"}")
                .event("o-1", "{\"type\":\"create\",\"customerId\":42}")
                .customer("42", "{\"id\":42,\"name\":\"Ada\",\"tier\":\"gold\"}")
                .event("o-2", "{\"type\":\"create\",\"customerId\":42}");

        assertThat(fixture.output()).containsExactly(
                KeyValue.pair("o-1", "{\"type\":\"create\",\"customerId\":42,"
                        + "\"customer\":{\"name\":\"Ada\",\"tier\":\"silver\"},\"enrichment\":{\"customer\":\"hit\"}}"),
                KeyValue.pair("o-2", "{\"type\":\"create\",\"customerId\":42,"
                        + "\"customer\":{\"name\":\"Ada\",\"tier\":\"gold\"},\"enrichment\":{\"customer\":\"hit\"}}"));
    }

    @Test
    void shouldReportDeletedAfterTableTombstone() {
        start(customerJoinYaml("")).customer("42", ADA).customer("42", null)
                .event("o-1", "{\"type\":\"create\",\"customerId\":42}");

        assertThat(fixture.output()).containsExactly(KeyValue.pair("o-1",
                "{\"type\":\"create\",\"customerId\":42,\"customer\":null,\"enrichment\":{\"customer\":\"deleted\"}}"));
    }

    @Test
    void shouldReportDeletedWithinRetentionAndMissAfterIt() {
        start(customerJoinYaml("deletedRetention: 2s")).customer("42", ADA).customer("42", null)
                .event("o-1", "{\"type\":\"create\",\"customerId\":42}")
                .event("o-2", "{\"type\":\"create\",\"customerId\":42}")
                .event("o-3", "{\"type\":\"create\",\"customerId\":42}");

        // Deleted at T0+1s: o-1 (T0+2s) and o-2 (T0+3s, exactly the retention) see deleted, o-3 (T0+4s) a miss.
        String event = "{\"type\":\"create\",\"customerId\":42,\"customer\":null,\"enrichment\":{\"customer\":";
        assertThat(fixture.output()).extracting(kv -> kv.key + " " + kv.value).containsExactly(
                "o-1 " + event + "\"deleted\"}}",
                "o-2 " + event + "\"deleted\"}}",
                "o-3 " + event + "\"miss\"}}");
    }

    @Test
    void shouldMeasureDeletedRetentionFromTheTombstoneTimestampNotTheRowTimestamp() {
        start(customerJoinYaml("deletedRetention: 2s")).customer("42", ADA).customer("7", ADA).customer("8", ADA)
                .customer("42", null)
                .event("o-1", "{\"type\":\"create\",\"customerId\":42}");

        // The row is 4 s older than the event, the tombstone 1 s: still deleted.
        assertThat(fixture.output()).extracting(kv -> kv.value).containsExactly(
                "{\"type\":\"create\",\"customerId\":42,\"customer\":null,\"enrichment\":{\"customer\":\"deleted\"}}");
    }

    @Test
    void shouldHitAgainWhenDeletedRowIsRecreated() {
        start(customerJoinYaml("")).customer("42", ADA).customer("42", null).customer("42", ADA)
                .event("o-1", "{\"type\":\"create\",\"customerId\":42}");

        assertThat(fixture.output()).extracting(kv -> kv.value)
                .containsExactly("{\"type\":\"create\",\"customerId\":42,"
                        + "\"customer\":{\"name\":\"Ada\",\"tier\":\"gold\"},\"enrichment\":{\"customer\":\"hit\"}}");
    }

    @Test
    void shouldSkipCreateOnlyJoinForUpdatesAndKeepPerEntityOrder() {
        start(customerJoinYaml("appliesTo: [create]")).customer("42", ADA)
                .event("o-1", "{\"type\":\"create\",\"customerId\":42,\"v\":1}")
                .event("o-1", "{\"type\":\"update\",\"v\":2}")
                .event("o-2", "{\"type\":\"create\",\"customerId\":42,\"v\":1}")
                .event("o-1", "{\"type\":\"create\",\"customerId\":42,\"v\":3}")
                .event("o-1", "{\"type\":\"update\",\"customer\":\"not ours to touch\",\"v\":4}");

        String hit = "\"customer\":{\"name\":\"Ada\",\"tier\":\"gold\"},\"enrichment\":{\"customer\":\"hit\"}}";
        assertThat(fixture.output()).containsExactly(
                KeyValue.pair("o-1", "{\"type\":\"create\",\"customerId\":42,\"v\":1," + hit),
                KeyValue.pair("o-1", "{\"type\":\"update\",\"v\":2,\"enrichment\":{\"customer\":\"skipped\"}}"),
                KeyValue.pair("o-2", "{\"type\":\"create\",\"customerId\":42,\"v\":1," + hit),
                KeyValue.pair("o-1", "{\"type\":\"create\",\"customerId\":42,\"v\":3," + hit),
                KeyValue.pair("o-1", "{\"type\":\"update\",\"customer\":\"not ours to touch\",\"v\":4,"
                        + "\"enrichment\":{\"customer\":\"skipped\"}}"));
    }

    @Test
    void shouldApplyTwoJoinsToOneEvent() {
        start("""
                applicationId: enricher-test
                bootstrapServers: 127.0.0.1:9
                topics: {events: shop.orders, output: shop.orders.enriched, deadLetter: shop.orders.dlq}
                joins:
                  - name: customer
                    topic: demo.shop.customers
                    foreignKey: customerId
                    fields: [name]
                    appliesTo: [create]
                  - name: product
                    topic: demo.shop.products
                    foreignKey: productId
                    tableKeyField: sku
                    fields: [title, price]
                    as: item
                """)
                .customer("42", ADA)
                .table(PRODUCTS, "{\"sku\":\"p-9\"}", "{\"sku\":\"p-9\",\"title\":\"Lamp\",\"price\":19.90}")
                .event("o-1", "{\"type\":\"create\",\"customerId\":42,\"productId\":\"p-9\"}")
                .event("o-1", "{\"type\":\"update\",\"productId\":\"p-9\"}");

        assertThat(fixture.output()).containsExactly(
                KeyValue.pair("o-1", "{\"type\":\"create\",\"customerId\":42,\"productId\":\"p-9\","
                        + "\"customer\":{\"name\":\"Ada\"},\"item\":{\"title\":\"Lamp\",\"price\":19.90},"
                        + "\"enrichment\":{\"customer\":\"hit\",\"product\":\"hit\"}}"),
                KeyValue.pair("o-1", "{\"type\":\"update\",\"productId\":\"p-9\","
                        + "\"item\":{\"title\":\"Lamp\",\"price\":19.90},"
                        + "\"enrichment\":{\"customer\":\"skipped\",\"product\":\"hit\"}}"));
    }

    @Test
    void shouldNormalizeDebeziumJsonTableKey() {
        start(customerJoinYaml("")).customer("{\"id\":42}", ADA)
                .event("o-1", "{\"type\":\"create\",\"customerId\":42}");

        assertThat(fixture.output()).extracting(kv -> kv.value).containsExactly("{\"type\":\"create\",\"customerId\":42,"
                + "\"customer\":{\"name\":\"Ada\",\"tier\":\"gold\"},\"enrichment\":{\"customer\":\"hit\"}}");
    }

    @Test
    void shouldUseConfiguredTableKeyFieldOfJsonKey() {
        start(customerJoinYaml("tableKeyField: customer_no")).customer("{\"customer_no\":\"C-1\"}", ADA)
                .event("o-1", "{\"type\":\"create\",\"customerId\":\"C-1\"}");

        assertThat(fixture.output()).extracting(kv -> kv.value).containsExactly("{\"type\":\"create\","
                + "\"customerId\":\"C-1\",\"customer\":{\"name\":\"Ada\",\"tier\":\"gold\"},"
                + "\"enrichment\":{\"customer\":\"hit\"}}");
    }

    @Test
    void shouldMatchNumericAndStringForeignKeysToTheSameRow() {
        start(customerJoinYaml("").replace("fields: [name, tier]", "fields: [name]")).customer("42", ADA)
                .event("o-1", "{\"type\":\"create\",\"customerId\":42}")
                .event("o-2", "{\"type\":\"create\",\"customerId\":\"42\"}")
                .event("o-3", "{\"type\":\"create\",\"customerId\":42.0}");

        assertThat(fixture.output()).extracting(kv -> kv.key + " " + kv.value).containsExactly(
                "o-1 {\"type\":\"create\",\"customerId\":42,\"customer\":{\"name\":\"Ada\"},"
                        + "\"enrichment\":{\"customer\":\"hit\"}}",
                "o-2 {\"type\":\"create\",\"customerId\":\"42\",\"customer\":{\"name\":\"Ada\"},"
                        + "\"enrichment\":{\"customer\":\"hit\"}}",
                "o-3 {\"type\":\"create\",\"customerId\":42.0,\"customer\":{\"name\":\"Ada\"},"
                        + "\"enrichment\":{\"customer\":\"hit\"}}");
    }

    @Test
    void shouldFollowNestedForeignKeyPath() {
        start(customerJoinYaml("").replace("foreignKey: customerId", "foreignKey: order.customer.id"))
                .customer("42", ADA)
                .event("o-1", "{\"type\":\"create\",\"order\":{\"lines\":[{\"id\":1}],\"customer\":{\"id\":42}}}");

        assertThat(fixture.output()).extracting(kv -> kv.value).containsExactly(
                "{\"type\":\"create\",\"order\":{\"lines\":[{\"id\":1}],\"customer\":{\"id\":42}},"
                        + "\"customer\":{\"name\":\"Ada\",\"tier\":\"gold\"},\"enrichment\":{\"customer\":\"hit\"}}");
    }

    @Test
    void shouldPassEntityTombstoneThroughUnchangedAndInOrder() {
        start(customerJoinYaml("")).customer("42", ADA)
                .event("o-1", "{\"type\":\"create\",\"customerId\":42}")
                .event("o-1", null);

        List<TestRecord<String, String>> records = fixture.outputRecords();
        assertThat(records).extracting(TestRecord::key).containsExactly("o-1", "o-1");
        assertThat(records.get(1).value()).isNull();
        assertThat(records.get(1).getRecordTime()).isEqualTo(EnricherFixture.timestampOf(2));
        assertThat(fixture.deadLetters()).isEmpty();
    }

    @Test
    void shouldReadTypeFromConfiguredTypeField() {
        start(customerJoinYaml("appliesTo: [update]").replace("joins:", "event: {typeField: meta.kind}\njoins:"))
                .event("o-1", "{\"meta\":{\"kind\":\"create\"}}");

        assertThat(fixture.output()).containsExactly(KeyValue.pair("o-1",
                "{\"meta\":{\"kind\":\"create\"},\"enrichment\":{\"customer\":\"skipped\"}}"));
    }

    @Test
    void shouldPreserveOriginalBytesOfTheEvent() {
        String event = "{ \"type\" : \"create\",\n  \"customerId\": 42, \"note\": \"caf\u00e9 \\u00e9 \\\"q\\\"\","
                + " \"amount\": 1.10E+2 }\n";
        start(customerJoinYaml("").replace("fields: [name, tier]", "fields: [name]")).customer("42", ADA).event("o-1", event);

        assertThat(fixture.output()).extracting(kv -> kv.value).containsExactly(
                "{ \"type\" : \"create\",\n  \"customerId\": 42, \"note\": \"caf\u00e9 \\u00e9 \\\"q\\\"\","
                        + " \"amount\": 1.10E+2 ,\"customer\":{\"name\":\"Ada\"},"
                        + "\"enrichment\":{\"customer\":\"hit\"}}\n");
    }

    @Test
    void shouldDeadLetterMissWhenOnMissIsDeadLetter() {
        start(customerJoinYaml("onMiss: dead-letter")).customer("42", ADA).customer("43", ADA).customer("43", null)
                .event("o-1", "{\"type\":\"create\",\"customerId\":42}")
                .event("o-2", "{\"type\":\"create\",\"customerId\":7}")
                .event("o-3", "{\"type\":\"create\",\"customerId\":43}");

        assertThat(fixture.output()).extracting(kv -> kv.key).containsExactly("o-1");
        List<TestRecord<String, String>> dead = fixture.deadLetterRecords();
        assertThat(dead).extracting(TestRecord::key).containsExactly("o-2", "o-3");
        assertThat(dead).extracting(r -> EnricherFixture.header(r.headers(), DeadLetter.REASON))
                .containsExactly("join-miss", "join-miss");
        assertThat(dead).extracting(r -> EnricherFixture.header(r.headers(), DeadLetter.DETAIL)).containsExactly(
                "join 'customer': no row with key '7' (onMiss: dead-letter)",
                "join 'customer': the row with key '43' was deleted (onMiss: dead-letter)");
        assertThat(dead).extracting(TestRecord::value).containsExactly(
                "{\"type\":\"create\",\"customerId\":7}", "{\"type\":\"create\",\"customerId\":43}");
    }

    @Test
    void shouldSkipTableRowThatIsNotAJsonObjectAndKeepThePreviousRow() {
        start(customerJoinYaml("").replace("fields: [name, tier]", "fields: [name]")).customer("42", ADA)
                .customer("42", "[\"not\",\"a row\"]")
                .customer("42", "{\"broken\":")
                .customer("{\"other\":1}", ADA)
                .customer(null, ADA)
                .event("o-1", "{\"type\":\"create\",\"customerId\":42}");

        assertThat(fixture.output()).extracting(kv -> kv.value).containsExactly(
                "{\"type\":\"create\",\"customerId\":42,\"customer\":{\"name\":\"Ada\"},"
                        + "\"enrichment\":{\"customer\":\"hit\"}}");
    }

    @Test
    void shouldWorkWithInMemoryStore() {
        start(customerJoinYaml("store: in-memory")).customer("42", ADA).customer("43", ADA).customer("43", null)
                .event("o-1", "{\"type\":\"create\",\"customerId\":42}")
                .event("o-2", "{\"type\":\"create\",\"customerId\":43}");

        assertThat(fixture.output()).extracting(kv -> kv.value).containsExactly(
                "{\"type\":\"create\",\"customerId\":42,\"customer\":{\"name\":\"Ada\",\"tier\":\"gold\"},"
                        + "\"enrichment\":{\"customer\":\"hit\"}}",
                "{\"type\":\"create\",\"customerId\":43,\"customer\":null,\"enrichment\":{\"customer\":\"deleted\"}}");
    }

    @Test
    void shouldAccountForEveryInputRecordInOutputOrDeadLetter() {
        start(customerJoinYaml("appliesTo: [create]")).customer("42", ADA);
        List<String> inputs = List.of(
                "{\"type\":\"create\",\"customerId\":42}",
                "{\"type\":\"create\",\"customerId\":9}",
                "{\"type\":\"update\"}",
                "{\"type\":\"delete\"}",
                "not json",
                "{\"type\":\"archive\"}",
                "{\"type\":\"create\"}",
                "{\"type\":\"create\",\"customerId\":[1]}",
                "{\"type\":\"create\",\"customerId\":42,\"enrichment\":1}");
        for (int i = 0; i < inputs.size(); i++) {
            fixture.event("o-" + i, inputs.get(i));
        }
        fixture.event("o-x", null);
        fixture.event(null, "{\"type\":\"create\",\"customerId\":42}");

        List<KeyValue<String, String>> output = fixture.output();
        List<KeyValue<String, String>> dead = fixture.deadLetters();
        assertThat(output).extracting(kv -> kv.key).containsExactly("o-0", "o-1", "o-2", "o-3", "o-x");
        assertThat(dead).extracting(kv -> kv.key).containsExactly("o-4", "o-5", "o-6", "o-7", "o-8", null);
        assertThat(output.size() + dead.size()).isEqualTo(inputs.size() + 2);
    }
}
