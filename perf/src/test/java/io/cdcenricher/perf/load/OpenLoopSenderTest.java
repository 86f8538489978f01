package io.cdcenricher.perf.load;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OpenLoopSenderTest {

    private final MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(),
            new ByteArraySerializer());
    private final EventTemplate template = EventTemplate.parse("{\"id\":\"{{entityId}}\",\"at\":{{now}}}", Path.of("."), 1, "t");

    @Test
    void eachEventCarriesItsIntendedSendTimeAndTag() {
        OpenLoopSender sender = new OpenLoopSender(producer, "events", template, EventCodec.json(), "run-7", 0);
        StepTally tally = new StepTally(1, 200, 0);
        long start = System.nanoTime();
        OpenLoopSender.Sent sent = sender.run(tally, 200, start, 5_000_000_000L, 250_000_000L, () -> false);

        assertThat(sent.events()).isEqualTo(50);
        assertThat(tally.sent()).isEqualTo(50);
        assertThat(sender.nextSeq()).isEqualTo(50);
        List<ProducerRecord<byte[], byte[]>> records = producer.history();
        assertThat(records).hasSize(50);
        for (int i = 0; i < records.size(); i++) {
            ProducerRecord<byte[], byte[]> r = records.get(i);
            LoadTag.Id id = LoadTag.read(r.headers()).orElseThrow();
            assertThat(id.runId()).isEqualTo("run-7");
            assertThat(id.seq()).isEqualTo(i);
            assertThat(id.intendedMicros()).as("5 ms apart at 200/s").isEqualTo(5_000_000_000L + i * 5_000L);
            assertThat(r.timestamp()).isEqualTo(id.intendedMicros() / 1000);
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("run-7-" + i);
            assertThat(new String(r.value(), StandardCharsets.UTF_8)).contains("\"at\":" + (5_000_000L + i * 5));
        }
    }

    @Test
    void behindScheduleItSendsTheMissedEventsAtOnceWithTheirOwnDueTimes() {
        OpenLoopSender sender = new OpenLoopSender(producer, "events", template, EventCodec.json(), "run-7", 3);
        StepTally tally = new StepTally(1, 1000, 0);
        // The step "started" 2 s ago and lasts 2.05 s: 2,000 events are overdue and must go out in a burst now,
        // not be spread over the next two seconds (which would hide the stall from the latency).
        long start = System.nanoTime() - 2_000_000_000L;
        OpenLoopSender.Sent sent = sender.run(tally, 1000, start, 0, 2_050_000_000L, () -> false);

        // Had it paced the overdue events, at most the last 50 ms worth would have gone out.
        assertThat(sent.events()).as("every event of the step").isEqualTo(2050);
        assertThat(LoadTag.read(producer.history().get(1999).headers()).orElseThrow().intendedMicros())
                .as("the overdue events keep their own due times").isEqualTo(1_999_000);
        assertThat(sent.maxLag()).as("it knew it was behind").isGreaterThan(1500);
        assertThat(sender.takeLagPeak()).as("the timeline's peak since the last call").isEqualTo(sent.maxLag());
        assertThat(sender.takeLagPeak()).as("taken, and no step running").isZero();
        assertThat(producer.history()).extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
                .as("3 entities, cycled").containsOnly("run-7-0", "run-7-1", "run-7-2");
    }

    @Test
    void stopsWhenAsked() {
        OpenLoopSender sender = new OpenLoopSender(producer, "events", template, EventCodec.json(), "r", 0);
        OpenLoopSender.Sent sent = sender.run(new StepTally(1, 100, 0), 100, System.nanoTime(), 0, 60_000_000_000L, () -> true);
        assertThat(sent.events()).isZero();
    }
}
