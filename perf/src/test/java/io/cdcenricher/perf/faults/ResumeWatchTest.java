package io.cdcenricher.perf.faults;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The resume-time book-keeping on hand-made output records: no broker needed. */
class ResumeWatchTest {

    private static final long KILL = 1_000_000;

    private static final ObjectMapper JSON = new ObjectMapper();

    private static byte[] enriched(long sent) {
        ObjectNode event = JSON.createObjectNode().put("type", "create").put("entityId", "e-1").put("seq", 3)
                .put("sent", sent);
        event.putObject("enrichment").put("customer", "hit");
        return event.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theOutputHasResumedWhenEveryPartitionHasAnEventSentAfterTheFault() {
        ResumeWatch.Resumption resumption = new ResumeWatch.Resumption(KILL, 3);

        resumption.offer(0, KILL + 150, enriched(KILL + 100));
        resumption.offer(1, KILL + 6_000, enriched(KILL + 20));
        assertThat(resumption.complete()).isFalse();
        assertThat(resumption.resumed()).containsExactly(0, 1);

        resumption.offer(2, KILL + 8_200, enriched(KILL + 5));

        assertThat(resumption.complete()).isTrue();
        assertThat(resumption.worstDelayMs()).as("the partition that resumed last, by its append time").isEqualTo(8_200);
    }

    @Test
    void eventsSentBeforeTheFaultDoNotCountHoweverLateTheyComeOut() {
        ResumeWatch.Resumption resumption = new ResumeWatch.Resumption(KILL, 1);

        resumption.offer(0, KILL + 9_000, enriched(KILL - 1));
        resumption.offer(0, KILL + 9_000, enriched(KILL));
        assertThat(resumption.complete()).isFalse();

        resumption.offer(0, KILL + 9_500, enriched(KILL + 1));
        assertThat(resumption.worstDelayMs()).isEqualTo(9_500);
    }

    @Test
    void theFirstRecordOfAPartitionCountsNotALaterOne() {
        ResumeWatch.Resumption resumption = new ResumeWatch.Resumption(KILL, 1);

        resumption.offer(0, KILL + 4_000, enriched(KILL + 10));
        resumption.offer(0, KILL + 5_000, enriched(KILL + 900));

        assertThat(resumption.worstDelayMs()).isEqualTo(4_000);
    }

    @Test
    void recordsThatAreNoEventAreSkipped() {
        ResumeWatch.Resumption resumption = new ResumeWatch.Resumption(KILL, 1);

        resumption.offer(0, KILL + 1, null);
        resumption.offer(0, KILL + 1, "not json".getBytes(StandardCharsets.UTF_8));
        resumption.offer(0, KILL + 1, new byte[0]);
        resumption.offer(0, KILL + 1, "{\"sent\":\"2000000\"}".getBytes(StandardCharsets.UTF_8));
        resumption.offer(0, KILL + 1, "[1,2]".getBytes(StandardCharsets.UTF_8));

        assertThat(resumption.complete()).isFalse();
    }

    @Test
    void theSentFieldIsReadAsJsonWhereverItStandsInTheObject() {
        assertThat(ResumeWatch.sentOf("{\"sent\":17,\"note\":\"\\\"sent\\\":99\"}".getBytes(StandardCharsets.UTF_8)))
                .hasValue(17);
        assertThat(ResumeWatch.sentOf("{\"nested\":{\"sent\":5}}".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(ResumeWatch.sentOf("{\"sent\":1.5}".getBytes(StandardCharsets.UTF_8))).isEmpty();
    }
}
