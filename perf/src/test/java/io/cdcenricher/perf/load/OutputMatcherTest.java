package io.cdcenricher.perf.load;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The matching and counting on hand-made records; the consumer is never started (no broker). */
class OutputMatcherTest {

    private final OutputMatcher matcher = new OutputMatcher(props(), "out", "dlq", "run-1", EventCodec.json());

    private static Properties props() {
        Properties props = new Properties();
        props.put("bootstrap.servers", "127.0.0.1:1");
        return props;
    }

    @AfterEach
    void close() {
        matcher.close();
    }

    private static ConsumerRecord<byte[], byte[]> record(String topic, String run, long seq, long intendedMicros,
                                                         String value, String reason) {
        RecordHeaders headers = new RecordHeaders();
        if (run != null) {
            LoadTag.add(headers, run, seq, intendedMicros);
        }
        if (reason != null) {
            headers.add("dlq.reason", reason.getBytes(StandardCharsets.UTF_8));
        }
        return new ConsumerRecord<>(topic, 0, seq, 0L, TimestampType.CREATE_TIME, 0, 0, "k".getBytes(StandardCharsets.UTF_8),
                value == null ? null : value.getBytes(StandardCharsets.UTF_8), headers, Optional.empty());
    }

    @Test
    void countsStatusesDeadLettersLatencyAndDuplicatesPerStep() {
        StepTally one = new StepTally(1, 100, 0);
        one.sent(3);
        StepTally two = new StepTally(2, 200, 3);
        two.sent(2);
        matcher.addStep(one);
        matcher.addStep(two);

        String hit = "{\"id\":\"a\",\"customer\":{\"name\":\"Ada\"},\"enrichment\":{\"customer\":\"hit\",\"product\":\"skipped\"}}";
        String miss = "{\"id\":\"b\",\"customer\":null,\"enrichment\":{\"customer\":\"miss\",\"product\":\"skipped\"}}";
        matcher.accept(record("out", "run-1", 0, 1_000_000, hit, null), 1_010_000);
        matcher.accept(record("out", "run-1", 1, 1_000_000, miss, null), 1_050_000);
        matcher.accept(record("dlq", "run-1", 2, 1_000_000, "{\"type\":\"bogus\"}", "unknown-event-type"), 1_020_000);
        matcher.accept(record("out", "run-1", 0, 1_000_000, hit, null), 1_090_000); // a second copy
        matcher.accept(record("out", "run-1", 4, 2_000_000, hit, null), 2_005_000);
        matcher.accept(record("out", "run-2", 1, 1_000_000, hit, null), 1_050_000); // another run
        matcher.accept(record("out", null, 0, 0, hit, null), 1_050_000);             // real traffic
        matcher.accept(record("out", "run-1", 9, 1_000_000, hit, null), 1_050_000);  // not sent (yet): ignored

        assertThat(matcher.received()).isEqualTo(4);
        assertThat(matcher.foreign()).isEqualTo(3);
        StepResult first = one.result(1, 3, 0, 0, 0, true, "sustained");
        assertThat(first.output()).isEqualTo(2);
        assertThat(first.deadLetters()).isEqualTo(1);
        assertThat(first.duplicates()).isEqualTo(1);
        assertThat(first.notReceived()).isZero();
        assertThat(first.statuses()).isEqualTo(Map.of("customer", Map.of("hit", 1L, "miss", 1L), "product", Map.of("skipped", 2L)));
        assertThat(first.deadLetterReasons()).isEqualTo(Map.of("unknown-event-type", 1L));
        assertThat(first.latencyCount()).isEqualTo(3);
        assertThat(first.p50Ms()).isBetween(19.9, 20.1);
        assertThat(first.maxMs()).isBetween(49.9, 50.1);
        StepResult second = two.result(1, 1, 0, 0, 0, true, "sustained");
        assertThat(second.output()).isEqualTo(1);
        assertThat(second.notReceived()).as("seq 3 never came").isEqualTo(1);
        assertThat(second.p99Ms()).isBetween(4.99, 5.01);
    }

    @Test
    void anOutputWithoutStatusesIsUnreadableNotLost() {
        StepTally one = new StepTally(1, 100, 0);
        one.sent(1);
        matcher.addStep(one);
        matcher.accept(record("out", "run-1", 0, 0, "not json", null), 10);
        assertThat(matcher.unreadable()).isEqualTo(1);
        assertThat(one.result(1, 1, 0, 0, 0, true, "").output()).isEqualTo(1);
    }
}
