package io.cdcenricher.enricher;

import static io.cdcenricher.enricher.EnricherFixture.customerJoinYaml;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;

/**
 * The filter stage drops events on purpose. "Nothing is lost" then reads: output + dead letters + filtered =
 * input, so every drop must be counted, and a filter for creates must never drop (or reorder) updates.
 */
class FilterTest extends TopologyTestBase {

    private static final String ADA = "{\"id\":42,\"name\":\"Ada\",\"tier\":\"gold\"}";
    private static final String HIT = "\"customer\":{\"name\":\"Ada\",\"tier\":\"gold\"},"
            + "\"enrichment\":{\"customer\":\"hit\"}}";

    private EnricherFixture startWithFilter(String filter) {
        fixture = new EnricherFixture(customerJoinYaml("") + "filter: " + filter + "\n", stateDir);
        fixture.customer("42", ADA);
        return fixture;
    }

    @Test
    void shouldDropOnlyCreatesThatFailAndKeepUpdatesInOrder() {
        startWithFilter("{appliesTo: [create], field: amount, op: gte, value: 10}")
                .event("o-1", "{\"type\":\"create\",\"customerId\":42,\"amount\":5}")
                .event("o-1", "{\"type\":\"update\",\"customerId\":42,\"amount\":1}")
                .event("o-1", "{\"type\":\"create\",\"customerId\":42,\"amount\":10.0}")
                .event("o-1", "{\"type\":\"update\",\"customerId\":42}");

        assertThat(fixture.output()).containsExactly(
                KeyValue.pair("o-1", "{\"type\":\"update\",\"customerId\":42,\"amount\":1," + HIT),
                KeyValue.pair("o-1", "{\"type\":\"create\",\"customerId\":42,\"amount\":10.0," + HIT),
                KeyValue.pair("o-1", "{\"type\":\"update\",\"customerId\":42," + HIT));
        assertThat(fixture.filtered()).isEqualTo(1);
    }

    @Test
    void shouldTreatMissingFieldAndWrongTypeAsFalse() {
        startWithFilter("{field: amount, op: lt, value: 100}")
                .event("o-1", "{\"type\":\"create\",\"customerId\":42}")
                .event("o-2", "{\"type\":\"create\",\"customerId\":42,\"amount\":\"5\"}")
                .event("o-3", "{\"type\":\"create\",\"customerId\":42,\"amount\":null}")
                .event("o-4", "{\"type\":\"create\",\"customerId\":42,\"amount\":99.99}");

        assertThat(fixture.output()).extracting(kv -> kv.key).containsExactly("o-4");
        assertThat(fixture.filtered()).isEqualTo(3);
    }

    @Test
    void shouldCompareStringsForEqualityOnNestedField() {
        startWithFilter("{field: meta.channel, op: ne, value: test}")
                .event("o-1", "{\"type\":\"create\",\"customerId\":42,\"meta\":{\"channel\":\"web\"}}")
                .event("o-2", "{\"type\":\"create\",\"customerId\":42,\"meta\":{\"channel\":\"test\"}}");

        assertThat(fixture.output()).extracting(kv -> kv.key).containsExactly("o-1");
    }

    @Test
    void shouldKeepEventsWhoseFieldExists() {
        startWithFilter("{field: amount, op: exists}")
                .event("o-1", "{\"type\":\"create\",\"customerId\":42,\"amount\":{\"v\":1}}")
                .event("o-2", "{\"type\":\"create\",\"customerId\":42}");

        assertThat(fixture.output()).extracting(kv -> kv.key).containsExactly("o-1");
        assertThat(fixture.filtered()).isEqualTo(1);
    }

    @Test
    void shouldAccountForEveryInputInOutputDeadLettersOrFiltered() {
        startWithFilter("{appliesTo: [create], field: amount, op: gt, value: 0}");
        List<String> inputs = List.of(
                "{\"type\":\"create\",\"customerId\":42,\"amount\":1}",
                "{\"type\":\"create\",\"customerId\":42,\"amount\":0}",
                "{\"type\":\"create\",\"customerId\":42}",
                "{\"type\":\"update\",\"customerId\":42,\"amount\":-1}",
                "{\"type\":\"create\",\"amount\":5}",
                "not json",
                "{\"type\":\"archive\",\"amount\":5}");
        for (int i = 0; i < inputs.size(); i++) {
            fixture.event("o-" + i, inputs.get(i));
        }
        fixture.event("o-x", null);

        List<KeyValue<String, String>> output = fixture.output();
        List<KeyValue<String, String>> dead = fixture.deadLetters();
        assertThat(output).extracting(kv -> kv.key).containsExactly("o-0", "o-3", "o-x");
        assertThat(dead).extracting(kv -> kv.key).containsExactly("o-4", "o-5", "o-6");
        assertThat(fixture.filtered()).isEqualTo(2);
        assertThat(output.size() + dead.size() + fixture.filtered()).isEqualTo(inputs.size() + 1);
    }

    @Test
    void shouldFilterBeforeThePartitionedDetour() {
        fixture = new EnricherFixture(customerJoinYaml("materialization: partitioned\npartitions: 2")
                + "filter: {appliesTo: [create], field: amount, op: gte, value: 10}\n", stateDir);
        fixture.customer("42", ADA)
                .event("o-1", "{\"type\":\"create\",\"customerId\":42,\"amount\":5}")
                .event("o-1", "{\"type\":\"update\",\"customerId\":42,\"amount\":5}");

        assertThat(fixture.output()).containsExactly(
                KeyValue.pair("o-1", "{\"type\":\"update\",\"customerId\":42,\"amount\":5," + HIT));
        assertThat(fixture.filtered()).isEqualTo(1);
    }
}
