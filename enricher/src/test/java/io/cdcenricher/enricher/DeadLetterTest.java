package io.cdcenricher.enricher;

import static io.cdcenricher.enricher.EnricherFixture.customerJoinYaml;
import static io.cdcenricher.enricher.EnricherFixture.header;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every dead-letter reason: the original key and value unchanged, the reason code, a detail, and the
 * source position; nothing reaches the output.
 */
class DeadLetterTest extends TopologyTestBase {

    private static final String ADA = "{\"id\":42,\"name\":\"Ada\",\"tier\":\"gold\"}";

    @BeforeEach
    void startWithAda() {
        fixture = new EnricherFixture(customerJoinYaml("appliesTo: [create]")
                .replace("joins:", "maxRecordBytes: 200\njoins:"), stateDir);
        fixture.customer("42", ADA);
    }


    /** Asserts a single dead letter with the given reason, key and value bytes unchanged; returns it. */
    private TestRecord<String, String> assertSingleDeadLetter(String key, String value, String reason) {
        List<TestRecord<String, String>> dead = fixture.deadLetterRecords();
        assertThat(dead).hasSize(1);
        TestRecord<String, String> record = dead.get(0);
        assertThat(record.key()).isEqualTo(key);
        assertThat(record.value()).isEqualTo(value);
        assertThat(header(record.headers(), DeadLetter.REASON)).isEqualTo(reason);
        assertThat(header(record.headers(), DeadLetter.DETAIL)).isNotBlank();
        assertThat(header(record.headers(), DeadLetter.SOURCE_TOPIC)).isEqualTo(EnricherFixture.EVENTS);
        assertThat(header(record.headers(), DeadLetter.SOURCE_PARTITION)).isEqualTo("0");
        assertThat(header(record.headers(), DeadLetter.SOURCE_OFFSET)).isEqualTo("0");
        assertThat(record.getRecordTime()).isEqualTo(EnricherFixture.timestampOf(1));
        assertThat(fixture.output()).isEmpty();
        return record;
    }

    @Test
    void shouldDeadLetterNullKey() {
        fixture.event(null, "{\"type\":\"create\",\"customerId\":42}");

        TestRecord<String, String> dead = assertSingleDeadLetter(null, "{\"type\":\"create\",\"customerId\":42}",
                "null-key");
        assertThat(header(dead.headers(), DeadLetter.EXCEPTION_CLASS)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "[1,2]", "\"text\"", "{\"type\":\"create\",", "{\"type\":\"create\"} {}",
        "{\"type\":\"create\"}x", "", " ", "{'type':'create'}"})
    void shouldDeadLetterMalformedJson(String value) {
        fixture.event("o-1", value);

        assertSingleDeadLetter("o-1", value, "malformed-json");
    }

    @Test
    void shouldDeadLetterInvalidUtf8WithExceptionClass() {
        byte[] value = "{\"type\":\"create\",\"customerId\":42,\"note\":\"caf\u00e9\"}"
                .getBytes(StandardCharsets.ISO_8859_1);
        fixture.rawEvent("o-1".getBytes(StandardCharsets.UTF_8), value);

        TestRecord<String, String> dead = assertSingleDeadLetter("o-1", new String(value, StandardCharsets.UTF_8),
                "malformed-json");
        assertThat(header(dead.headers(), DeadLetter.EXCEPTION_CLASS)).contains("Json");
    }

    @Test
    void shouldDeadLetterUtf16EncodedJson() {
        byte[] value = "{\"type\":\"create\",\"customerId\":42}".getBytes(StandardCharsets.UTF_16LE);
        fixture.rawEvent("o-1".getBytes(StandardCharsets.UTF_8), value);

        List<TestRecord<String, String>> dead = fixture.deadLetterRecords();
        assertThat(dead).extracting(r -> header(r.headers(), DeadLetter.REASON)).containsExactly("malformed-json");
        assertThat(fixture.output()).isEmpty();
    }

    @Test
    void shouldDeadLetterUnknownEventType() {
        fixture.event("o-1", "{\"type\":\"archive\",\"customerId\":42}");

        TestRecord<String, String> dead = assertSingleDeadLetter("o-1", "{\"type\":\"archive\",\"customerId\":42}",
                "unknown-event-type");
        assertThat(header(dead.headers(), DeadLetter.DETAIL)).isEqualTo("unknown event type 'archive'");
    }

    @Test
    void shouldDeadLetterMissingEventTypeAsUnknown() {
        fixture.event("o-1", "{\"customerId\":42}");

        TestRecord<String, String> dead = assertSingleDeadLetter("o-1", "{\"customerId\":42}", "unknown-event-type");
        assertThat(header(dead.headers(), DeadLetter.DETAIL)).isEqualTo("the event has no type field 'type'");
    }

    @Test
    void shouldDeadLetterNonStringEventTypeAsUnknown() {
        fixture.event("o-1", "{\"type\":1}");

        assertSingleDeadLetter("o-1", "{\"type\":1}", "unknown-event-type");
    }

    @Test
    void shouldDeadLetterMissingForeignKey() {
        fixture.event("o-1", "{\"type\":\"create\",\"customer\":{\"id\":42}}".replace("customer\"", "client\""));

        TestRecord<String, String> dead = assertSingleDeadLetter("o-1", "{\"type\":\"create\",\"client\":{\"id\":42}}",
                "missing-foreign-key");
        assertThat(header(dead.headers(), DeadLetter.DETAIL))
                .isEqualTo("join 'customer': the event has no foreign key field 'customerId'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"id\":42}", "[42]", "true"})
    void shouldDeadLetterForeignKeyOfWrongType(String foreignKey) {
        String value = "{\"type\":\"create\",\"customerId\":" + foreignKey + "}";
        fixture.event("o-1", value);

        assertSingleDeadLetter("o-1", value, "invalid-foreign-key");
    }

    @Test
    void shouldDeadLetterEventThatAlreadyHasTheOutputField() {
        String value = "{\"type\":\"create\",\"customerId\":42,\"customer\":\"Ada\"}";
        fixture.event("o-1", value);

        TestRecord<String, String> dead = assertSingleDeadLetter("o-1", value, "output-field-conflict");
        assertThat(header(dead.headers(), DeadLetter.DETAIL)).contains("'customer'");
    }

    @Test
    void shouldDeadLetterEventThatAlreadyHasTheStatusField() {
        String value = "{\"type\":\"update\",\"enrichment\":{}}";
        fixture.event("o-1", value);

        assertSingleDeadLetter("o-1", value, "output-field-conflict");
    }

    @Test
    void shouldDeadLetterOversizedEnrichedRecordWithOriginalValue() {
        String value = "{\"type\":\"create\",\"customerId\":42,\"pad\":\"" + "x".repeat(120) + "\"}";
        fixture.event("o-1", value);

        TestRecord<String, String> dead = assertSingleDeadLetter("o-1", value, "oversized-record");
        assertThat(header(dead.headers(), DeadLetter.DETAIL)).contains("maxRecordBytes 200");
    }

    @Test
    void shouldKeepOriginalHeadersAndReplaceStaleDeadLetterHeaders() {
        var headers = new org.apache.kafka.common.header.internals.RecordHeaders();
        headers.add("trace-id", "t-1".getBytes(StandardCharsets.UTF_8));
        headers.add(DeadLetter.REASON, "stale".getBytes(StandardCharsets.UTF_8));
        fixture.rawEventWithHeaders("o-1", "{\"type\":", headers);

        List<TestRecord<String, String>> dead = fixture.deadLetterRecords();
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).headers().toArray()).extracting(Header::key).containsExactly("trace-id",
                DeadLetter.REASON, DeadLetter.DETAIL, DeadLetter.EXCEPTION_CLASS, DeadLetter.SOURCE_TOPIC,
                DeadLetter.SOURCE_PARTITION, DeadLetter.SOURCE_OFFSET);
        assertThat(header(dead.get(0).headers(), DeadLetter.REASON)).isEqualTo("malformed-json");
    }
}
