package io.cdcenricher.enricher;

import static io.cdcenricher.enricher.EnricherFixture.customerJoinYaml;
import static io.cdcenricher.enricher.EnricherFixture.header;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * {@code onMiss: wait}: an event whose row is missing is held until the row arrives ({@code late}) or
 * {@code maxWait} passes, and the later events of its entity queue behind it, so per-entity order holds whatever
 * waits. The driver's wall clock moves only when a test advances it (checks run every 200 ms by default).
 */
class WaitForRowTest extends TopologyTestBase {

    private static final String ADA = "{\"id\":42,\"name\":\"Ada\",\"tier\":\"gold\"}";
    private static final String BOB = "{\"id\":7,\"name\":\"Bob\",\"tier\":\"silver\"}";
    private static final String WAIT = "onMiss: wait\nmaxWait: 1s";
    private static final Duration CHECK = Duration.ofMillis(200);

    private static String withWaitBuffer(String yaml, String waitBuffer) {
        return yaml.replace("joins:", "waitBuffer: " + waitBuffer + "\njoins:");
    }

    private static String late(String event) {
        return event.substring(0, event.length() - 1)
                + ",\"customer\":{\"name\":\"Ada\",\"tier\":\"gold\"},\"enrichment\":{\"customer\":\"late\"}}";
    }

    private static String miss(String event) {
        return event.substring(0, event.length() - 1) + ",\"customer\":null,\"enrichment\":{\"customer\":\"miss\"}}";
    }

    private static String hitBob(String event) {
        return event.substring(0, event.length() - 1)
                + ",\"customer\":{\"name\":\"Bob\",\"tier\":\"silver\"},\"enrichment\":{\"customer\":\"hit\"}}";
    }

    @Test
    void shouldHoldEventUntilItsRowArrivesAndEmitItLateWithTheRow() {
        String create = "{\"type\":\"create\",\"id\":\"o-1\",\"customerId\":42}";
        start(customerJoinYaml(WAIT)).event("o-1", create).advance(CHECK);
        assertThat(fixture.output()).as("held while the row is missing").isEmpty();
        assertThat(fixture.producedTopics()).as("held in a fault-tolerant store")
                .contains("enricher-test-wait-buffer-changelog");

        fixture.customer("42", ADA).advance(CHECK);

        assertThat(fixture.outputRecords()).extracting(TestRecord::key, TestRecord::value, TestRecord::getRecordTime)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("o-1", late(create),
                        EnricherFixture.timestampOf(0)));
        assertThat(fixture.deadLetters()).isEmpty();
    }

    @Test
    void shouldQueueLaterEventsOfTheEntityBehindTheHeldOneEvenIfTheyWouldHitAndLetOtherEntitiesPass() {
        String create = "{\"type\":\"create\",\"id\":\"o-1\",\"customerId\":42}";
        String update = "{\"type\":\"update\",\"id\":\"o-1\",\"customerId\":7}";
        String other = "{\"type\":\"create\",\"id\":\"o-2\",\"customerId\":7}";
        start(customerJoinYaml(WAIT)).customer("7", BOB)
                .event("o-1", create)
                .event("o-1", update)
                .event("o-2", other);
        assertThat(fixture.output()).as("another entity is not held").containsExactly(
                KeyValue.pair("o-2", hitBob(other)));

        fixture.customer("42", ADA).advance(CHECK);

        assertThat(fixture.output()).containsExactly(
                KeyValue.pair("o-1", late(create)),
                KeyValue.pair("o-1", hitBob(update)));
    }

    @Test
    void shouldEmitMissWhenMaxWaitPassesWithoutTheRow() {
        String create = "{\"type\":\"create\",\"customerId\":42}";
        start(customerJoinYaml(WAIT)).event("o-1", create).advance(Duration.ofMillis(800));
        assertThat(fixture.output()).as("still within maxWait").isEmpty();

        fixture.advance(Duration.ofMillis(200));

        assertThat(fixture.output()).containsExactly(KeyValue.pair("o-1", miss(create)));
    }

    @Test
    void shouldDeadLetterAtMaxWaitWithReasonWaitTimeoutKeepingHeadersTimestampAndSource() {
        String create = "{\"type\":\"create\",\"customerId\":42}";
        RecordHeaders headers = new RecordHeaders();
        headers.add("trace-id", "t-1".getBytes(StandardCharsets.UTF_8));
        start(customerJoinYaml(WAIT + "\nonTimeout: dead-letter"))
                .event("o-0", "{\"type\":\"create\",\"customerId\":null}")
                .rawEventWithHeaders("o-1", create, headers)
                .advance(Duration.ofSeconds(1));

        List<TestRecord<String, String>> dead = fixture.deadLetterRecords();
        assertThat(dead).hasSize(1);
        TestRecord<String, String> letter = dead.get(0);
        assertThat(letter.key()).isEqualTo("o-1");
        assertThat(letter.value()).isEqualTo(create);
        assertThat(letter.getRecordTime()).isEqualTo(EnricherFixture.timestampOf(1));
        assertThat(header(letter.headers(), "trace-id")).isEqualTo("t-1");
        assertThat(header(letter.headers(), DeadLetter.REASON)).isEqualTo("wait-timeout");
        assertThat(header(letter.headers(), DeadLetter.DETAIL))
                .isEqualTo("join 'customer': no row with key '42' within maxWait PT1S (onTimeout: dead-letter)");
        assertThat(header(letter.headers(), DeadLetter.SOURCE_TOPIC)).isEqualTo(EnricherFixture.EVENTS);
        assertThat(header(letter.headers(), DeadLetter.SOURCE_PARTITION)).isEqualTo("0");
        assertThat(header(letter.headers(), DeadLetter.SOURCE_OFFSET)).isEqualTo("1");
        assertThat(fixture.output()).as("a null foreign key is a miss that does not wait").extracting(kv -> kv.key)
                .containsExactly("o-0");
    }

    @Test
    void shouldTakeTheGlobalOnTimeoutWhenTheJoinHasNone() {
        start(withWaitBuffer(customerJoinYaml(WAIT), "{onTimeout: dead-letter}"))
                .event("o-1", "{\"type\":\"create\",\"customerId\":42}")
                .advance(Duration.ofSeconds(1));

        assertThat(fixture.deadLetterRecords()).extracting(r -> header(r.headers(), DeadLetter.REASON))
                .containsExactly("wait-timeout");
    }

    @Test
    void shouldReleaseTheOldestEntityQueueAsMissWhenTheBufferIsFull() {
        String first = "{\"type\":\"create\",\"id\":\"o-1\",\"customerId\":42}";
        start(withWaitBuffer(customerJoinYaml(WAIT), "{maxRecords: 2}"))
                .event("o-1", first)
                .event("o-2", "{\"type\":\"create\",\"id\":\"o-2\",\"customerId\":43}")
                .event("o-3", "{\"type\":\"create\",\"id\":\"o-3\",\"customerId\":44}");

        assertThat(fixture.output()).containsExactly(KeyValue.pair("o-1", miss(first)));
        assertThat(fixture.waitMetrics().heldRecords()).isEqualTo(2);
    }

    @Test
    void shouldNotLetAnEventOvertakeItsEntityWhenTheBufferOverflows() {
        String create = "{\"type\":\"create\",\"id\":\"o-1\",\"customerId\":42}";
        String update = "{\"type\":\"update\",\"id\":\"o-1\",\"customerId\":7}";
        start(withWaitBuffer(customerJoinYaml(WAIT), "{maxRecords: 2}")).customer("7", BOB)
                .event("o-1", create)
                .event("o-2", "{\"type\":\"create\",\"id\":\"o-2\",\"customerId\":43}")
                .event("o-1", update);

        // The update must queue behind o-1's create; the full buffer releases o-1's queue (the oldest) first.
        assertThat(fixture.output()).containsExactly(
                KeyValue.pair("o-1", miss(create)),
                KeyValue.pair("o-1", hitBob(update)));
        assertThat(fixture.waitMetrics().heldRecords()).as("o-2 still waits").isEqualTo(1);
    }

    @Test
    void shouldDeadLetterReleasedEventsWithReasonWaitOverflowWhenConfigured() {
        start(withWaitBuffer(customerJoinYaml(WAIT), "{maxBytes: 200, onOverflow: dead-letter}"))
                .event("o-1", "{\"type\":\"create\",\"id\":\"o-1\",\"customerId\":42}")
                .event("o-2", "{\"type\":\"create\",\"id\":\"o-2\",\"customerId\":43}");

        assertThat(fixture.deadLetterRecords()).extracting(r -> r.key() + " " + header(r.headers(), DeadLetter.REASON))
                .containsExactly("o-1 wait-overflow");
        assertThat(fixture.output()).isEmpty();
    }

    @Test
    void shouldKeepEntityTombstoneBehindTheEntityHeldEvents() {
        String create = "{\"type\":\"create\",\"customerId\":42}";
        start(customerJoinYaml(WAIT)).event("o-1", create).event("o-1", null);
        assertThat(fixture.output()).isEmpty();

        fixture.customer("42", ADA).advance(CHECK);

        assertThat(fixture.output()).containsExactly(KeyValue.pair("o-1", late(create)), KeyValue.pair("o-1", null));
    }

    @Test
    void shouldReportDeletedRowAtOnceWithoutWaiting() {
        start(customerJoinYaml(WAIT)).customer("42", ADA).customer("42", null)
                .event("o-1", "{\"type\":\"create\",\"customerId\":42}");

        assertThat(fixture.output()).extracting(kv -> kv.value).containsExactly(
                "{\"type\":\"create\",\"customerId\":42,\"customer\":null,\"enrichment\":{\"customer\":\"deleted\"}}");
    }

    @Test
    void shouldEmitWaitingEventsOfOneEntityInArrivalOrderWhenTheirRowsArriveInReverse() {
        String first = "{\"type\":\"create\",\"id\":\"o-1\",\"customerId\":42,\"v\":1}";
        String second = "{\"type\":\"update\",\"id\":\"o-1\",\"customerId\":7,\"v\":2}";
        start(customerJoinYaml(WAIT)).event("o-1", first).event("o-1", second)
                .customer("7", BOB).advance(CHECK);
        assertThat(fixture.output()).as("the second event's row is there, but the first still waits").isEmpty();

        fixture.customer("42", ADA).advance(CHECK);

        assertThat(fixture.output()).containsExactly(KeyValue.pair("o-1", late(first)),
                KeyValue.pair("o-1", second.substring(0, second.length() - 1)
                        + ",\"customer\":{\"name\":\"Bob\",\"tier\":\"silver\"},"
                        + "\"enrichment\":{\"customer\":\"late\"}}"));
    }

    @Test
    void shouldExposeHeldRecordsBytesAndOldestAgeAsGauges() {
        start(customerJoinYaml(WAIT.replace("1s", "30s")))
                .event("o-1", "{\"type\":\"create\",\"customerId\":42}")
                .advance(Duration.ofMillis(400))
                .event("o-2", "{\"type\":\"create\",\"customerId\":43}")
                .advance(Duration.ofMillis(200));

        WaitBufferMetrics metrics = fixture.waitMetrics();
        assertThat(metrics.heldRecords()).isEqualTo(2);
        assertThat(metrics.heldBytes()).isPositive();
        assertThat(metrics.oldestHeldAgeMs()).isEqualTo(600);

        fixture.customer("42", ADA).customer("43", ADA).advance(CHECK);
        assertThat(fixture.waitMetrics()).isEqualTo(new WaitBufferMetrics(0, 0, 0));
    }

    @Test
    void shouldSendReleasedEventsThroughPartitionedJoinsInOrder() {
        String create = "{\"type\":\"create\",\"id\":\"o-1\",\"customerId\":42,\"productId\":\"p-9\"}";
        String update = "{\"type\":\"update\",\"id\":\"o-1\",\"customerId\":42,\"productId\":\"p-9\"}";
        start(customerJoinYaml(WAIT + "\nfields: [name]").replace("    fields: [name, tier]\n", "") + """
                  - name: product
                    topic: demo.shop.products
                    foreignKey: productId
                    fields: [title]
                    materialization: partitioned
                    partitions: 2
                """)
                .table(EnricherFixture.PRODUCTS, "p-9", "{\"id\":\"p-9\",\"title\":\"Lamp\"}")
                .event("o-1", create).event("o-1", update)
                .customer("42", ADA).advance(CHECK);

        String tail = ",\"customer\":{\"name\":\"Ada\"},\"product\":{\"title\":\"Lamp\"},\"enrichment\":{\"customer\":";
        assertThat(fixture.output()).containsExactly(
                KeyValue.pair("o-1", create.substring(0, create.length() - 1) + tail + "\"late\",\"product\":\"hit\"}}"),
                KeyValue.pair("o-1", update.substring(0, update.length() - 1) + tail + "\"late\",\"product\":\"hit\"}}"));
    }
}
