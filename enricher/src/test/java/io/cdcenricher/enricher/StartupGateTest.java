package io.cdcenricher.enricher;

import static io.cdcenricher.enricher.EnricherFixture.CUSTOMERS;
import static io.cdcenricher.enricher.EnricherFixture.customerJoinYaml;
import static org.assertj.core.api.Assertions.assertThat;

import io.cdcenricher.enricher.internals.StartupGate;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;

/**
 * The start-up gate of a partitioned table. Kafka Streams restores a partitioned store only up to the committed
 * offset; the rest of the table topic is read as input, interleaved with the events by timestamp, so an event older
 * than the table's records would be joined before the rows that existed at start-up. The gate holds the events
 * of a table partition until that partition has been read to where it ended at start-up. (The driver processes
 * records in the order they are piped, which plays the interleaving that puts an event first.)
 */
class StartupGateTest extends TopologyTestBase {

    private static final TopicPartition CUSTOMERS_0 = new TopicPartition(CUSTOMERS, 0);
    private static final String PARTITIONED = "materialization: partitioned\npartitions: 1";
    private static final String ADA = "{\"id\":42,\"name\":\"Ada\",\"tier\":\"gold\"}";
    private static final String HIT = "\"customer\":{\"name\":\"Ada\",\"tier\":\"gold\"},\"enrichment\":{\"customer\":\"hit\"}}";

    @Test
    void shouldHoldEventsUntilTheTablePartitionIsReadToItsStartUpEndAndThenJoinThemInOrder() {
        // At start-up the table partition held two records (offsets 0 and 1) and nothing was committed.
        StartupGate gate = StartupGate.atStartup(Map.of(CUSTOMERS_0, 1L), Map.of());
        fixture = new EnricherFixture(customerJoinYaml(PARTITIONED), stateDir, gate);
        fixture.event("o-1", "{\"type\":\"create\",\"customerId\":42,\"v\":1}")
                .event("o-1", "{\"type\":\"update\",\"customerId\":42,\"v\":2}")
                .customer("7", "{\"id\":7,\"name\":\"Bob\"}")
                .advance(Duration.ofMillis(100));
        assertThat(fixture.output()).as("offset 1 not read yet").isEmpty();
        assertThat(gate.assignedOpen()).isFalse();

        fixture.customer("42", ADA).advance(Duration.ofMillis(100));

        assertThat(fixture.output()).containsExactly(
                KeyValue.pair("o-1", "{\"type\":\"create\",\"customerId\":42,\"v\":1," + HIT),
                KeyValue.pair("o-1", "{\"type\":\"update\",\"customerId\":42,\"v\":2," + HIT));
        assertThat(gate.assignedOpen()).isTrue();
    }

    @Test
    void shouldReleaseHeldEventsBeforeTheNextEventOnceOpen() {
        StartupGate gate = StartupGate.atStartup(Map.of(CUSTOMERS_0, 0L), Map.of());
        fixture = new EnricherFixture(customerJoinYaml(PARTITIONED), stateDir, gate);
        fixture.event("o-1", "{\"type\":\"create\",\"customerId\":42,\"v\":1}")
                .customer("42", ADA)
                .event("o-1", "{\"type\":\"update\",\"customerId\":42,\"v\":2}");

        assertThat(fixture.output()).extracting(kv -> kv.value).containsExactly(
                "{\"type\":\"create\",\"customerId\":42,\"v\":1," + HIT,
                "{\"type\":\"update\",\"customerId\":42,\"v\":2," + HIT);
    }

    @Test
    void shouldBeOpenAtOnceWhenTheCommittedOffsetIsBeyondTheStartUpEnd() {
        // The restore (up to the committed offset) already covers the table; nothing is held.
        StartupGate gate = StartupGate.atStartup(Map.of(CUSTOMERS_0, 1L), Map.of(CUSTOMERS_0, 2L));
        fixture = new EnricherFixture(customerJoinYaml(PARTITIONED), stateDir, gate);
        fixture.event("o-1", "{\"type\":\"create\",\"customerId\":42}");

        assertThat(fixture.output()).extracting(kv -> kv.key).containsExactly("o-1");
        assertThat(gate.closed()).isEmpty();
    }

    @Test
    void shouldHoldOnlyThePartitionsThatHaveNotCaughtUp() {
        StartupGate gate = StartupGate.atStartup(Map.of(CUSTOMERS_0, 5L,
                new TopicPartition(CUSTOMERS, 1), 3L), Map.of(CUSTOMERS_0, 6L));

        assertThat(gate.closed()).containsExactly(new TopicPartition(CUSTOMERS, 1));
    }

    @Test
    void shouldBeOpenForATablePartitionWithoutData() {
        assertThat(StartupGate.atStartup(Map.of(), Map.of()).closed()).isEmpty();
    }
}
