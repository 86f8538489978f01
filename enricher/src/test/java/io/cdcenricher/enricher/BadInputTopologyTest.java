package io.cdcenricher.enricher;

import static io.cdcenricher.enricher.EnricherFixture.customerJoinYaml;
import static io.cdcenricher.enricher.EnricherFixture.header;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Inputs from the bad-input corpus ({@code src/test/resources/bad-input-corpus}) that the enricher once got wrong:
 * UTF-8 that Jackson accepts but no strict reader does (an overlong {@code e} made {@code "cr\xC1\xA5ate"} a
 * create), a type or foreign key written twice (readers disagree on which one counts), and numbers whose plain
 * form has a billion digits ({@code 1e-999999999} as a foreign key was an OutOfMemoryError on the stream thread,
 * again after every restart). Each must end as a dead letter with a reason, or be joined, and never stop the task.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BadInputTopologyTest extends TopologyTestBase {

    private static final String ADA = "{\"id\":42,\"name\":\"Ada\",\"tier\":\"gold\"}";
    private static final byte[] KEY = "o-1".getBytes(StandardCharsets.UTF_8);

    private void startWithAda(String yaml) {
        start(yaml);
        fixture.customer("42", ADA);
    }

    /** {@code prefix}, then the raw bytes, then {@code suffix}, the text parts as UTF-8. */
    private static byte[] bytes(String prefix, int[] raw, String suffix) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(prefix.getBytes(StandardCharsets.UTF_8));
        for (int b : raw) {
            out.write(b);
        }
        out.writeBytes(suffix.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /** The one dead letter, with {@code reason}; nothing in the output. */
    private TestRecord<String, String> singleDeadLetter(String reason) {
        List<TestRecord<String, String>> dead = fixture.deadLetterRecords();
        assertThat(dead).hasSize(1);
        assertThat(header(dead.get(0).headers(), DeadLetter.REASON)).isEqualTo(reason);
        assertThat(fixture.output()).isEmpty();
        return dead.get(0);
    }

    @Test
    void shouldDeadLetterOverlongEncodedTypeInsteadOfReadingItAsCreate() {
        startWithAda(customerJoinYaml(""));
        // C1 A5 is an overlong 'e': Jackson decodes it, so the type read as "create".
        byte[] value = bytes("{\"type\":\"cr", new int[] {0xC1, 0xA5}, "ate\",\"customerId\":42}");

        fixture.rawEvent(KEY, value);

        assertThat(header(singleDeadLetter("malformed-json").headers(), DeadLetter.DETAIL))
                .isEqualTo("the value is not well-formed UTF-8 at byte 11");
    }

    @Test
    void shouldDeadLetterUtf8EncodedSurrogateInAFieldTheEnricherSkips() {
        startWithAda(customerJoinYaml(""));
        byte[] value = bytes("{\"type\":\"create\",\"customerId\":42,\"note\":\"", new int[] {0xED, 0xA0, 0x80},
                "\"}");

        fixture.rawEvent(KEY, value);

        singleDeadLetter("malformed-json");
    }

    @Test
    void shouldDeadLetterEventWhoseTypeOccursTwice() {
        startWithAda(customerJoinYaml(""));

        fixture.event("o-1", "{\"type\":\"update\",\"type\":\"create\",\"customerId\":42}");

        assertThat(header(singleDeadLetter("malformed-json").headers(), DeadLetter.DETAIL))
                .isEqualTo("the field 'type' occurs more than once");
    }

    @Test
    void shouldDeadLetterEventWhoseForeignKeyOccursTwice() {
        startWithAda(customerJoinYaml(""));

        fixture.event("o-1", "{\"type\":\"create\",\"customerId\":7,\"customerId\":42}");

        assertThat(header(singleDeadLetter("malformed-json").headers(), DeadLetter.DETAIL))
                .isEqualTo("the field 'customerId' occurs more than once");
    }

    @Test
    void shouldLookUpForeignKeyWithHugeNegativeExponentAsWritten() {
        // Expanded, the key would be "0.000...1" with a billion zeros: it must stay as written, so it meets the
        // same text in the table, and quickly.
        start(customerJoinYaml(""));
        fixture.customer("1e-999999999", ADA);

        fixture.event("o-1", "{\"type\":\"create\",\"customerId\":1e-999999999}");

        assertThat(fixture.output()).extracting(kv -> kv.value).singleElement().asString()
                .contains("\"enrichment\":{\"customer\":\"hit\"}");
        assertThat(fixture.deadLetters()).isEmpty();
    }

    @Test
    void shouldLookUpForeignKeyWhoseExponentOverflowsAnIntAsWritten() {
        // 1 - (-2147483647) overflowed the digit count in int arithmetic and slipped past the size guard.
        start(customerJoinYaml(""));
        fixture.customer("1e2147483647", ADA);

        fixture.event("o-1", "{\"type\":\"create\",\"customerId\":1e2147483647}");

        assertThat(fixture.output()).extracting(kv -> kv.value).singleElement().asString()
                .contains("\"enrichment\":{\"customer\":\"hit\"}");
    }

    @Test
    void shouldLookUpForeignKeyWhoseExponentDoesNotFitABigDecimalAsWritten() {
        // BigDecimal throws NumberFormatException here; the processing exception handler then wrote a dead letter
        // without a dlq.reason and logged a warning per record.
        start(customerJoinYaml(""));
        fixture.customer("1e-9999999999", ADA);

        fixture.event("o-1", "{\"type\":\"create\",\"customerId\":1e-9999999999}");

        assertThat(fixture.output()).extracting(kv -> kv.value).singleElement().asString()
                .contains("\"enrichment\":{\"customer\":\"hit\"}");
        assertThat(fixture.deadLetters()).isEmpty();
    }

    @Test
    void shouldStoreTableKeyWithHugeNegativeExponentAsWritten() {
        start(customerJoinYaml("tableKeyField: id"));
        fixture.customer("{\"id\":1e-999999999}", ADA);

        fixture.event("o-1", "{\"type\":\"create\",\"customerId\":\"1e-999999999\"}");

        assertThat(fixture.output()).extracting(kv -> kv.value).singleElement().asString()
                .contains("\"enrichment\":{\"customer\":\"hit\"}");
    }

    @Test
    void shouldEnrichGoodEventsAfterEachBadOne() {
        startWithAda(customerJoinYaml(""));

        fixture.rawEvent(KEY, bytes("{\"type\":\"cr", new int[] {0xC1, 0xA5}, "ate\",\"customerId\":42}"));
        fixture.event("o-2", "{\"type\":\"create\",\"customerId\":42}");
        fixture.event("o-3", "{\"type\":\"create\",\"customerId\":1e-999999999}");
        fixture.event("o-4", "{\"type\":\"create\",\"customerId\":42}");

        assertThat(fixture.output()).extracting(kv -> kv.key).containsExactly("o-2", "o-3", "o-4");
        assertThat(fixture.deadLetters()).extracting(kv -> kv.key).containsExactly("o-1");
    }
}
