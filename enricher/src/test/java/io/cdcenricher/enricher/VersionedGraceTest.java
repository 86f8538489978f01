package io.cdcenricher.enricher;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdcenricher.enricher.internals.StartupGate;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The grace period of a versioned lookup ({@code versioned.grace}, KIP-923 semantics). Without it an event is
 * joined against the versions that have arrived when it is processed, so a table change that reaches the task
 * after an event with a later time is not seen by that event, although its source commit time says it should be.
 * With it the event is held until the lookup's stream time (the largest event time seen) has reached its time +
 * grace. The driver processes records in the order they are piped, which plays the late table change.
 */
class VersionedGraceTest extends TopologyTestBase {

    private static final Instant T = Instant.parse("2024-05-01T10:00:00Z");

    private EnricherFixture startVersioned(String versioned) {
        return startVersioned(versioned, "", StartupGate.open());
    }

    private EnricherFixture startVersioned(String versioned, String joinExtras, StartupGate gate) {
        String yaml = EnricherFixture.customerJoinYaml("materialization: partitioned\npartitions: 1\n"
                        + "versioned: " + versioned + "\n" + joinExtras)
                .replace("joins:", "event: {timestampField: ts}\njoins:");
        fixture = new EnricherFixture(yaml, stateDir, gate);
        return fixture;
    }

    /** A customer row committed in the source database at {@code committedAt} s, written to the topic at {@code at}. */
    private void row(String tier, int committedAt, int at) {
        fixture.tableAt(EnricherFixture.CUSTOMERS, "42", "{\"id\":42,\"name\":\"Ada\",\"tier\":\"" + tier
                + "\",\"__source_ts_ms\":" + T.plusSeconds(committedAt).toEpochMilli() + "}", T.plusSeconds(at));
    }

    /** An event of entity {@code id} at {@code at} s (its {@code ts} field and its record timestamp). */
    private void event(String id, String type, int at) {
        fixture.eventAt(id, "{\"type\":\"" + type + "\",\"customerId\":42,\"ts\":\"" + T.plusSeconds(at) + "\"}",
                T.plusSeconds(at));
    }

    private void event(String id, int at) {
        event(id, "create", at);
    }

    /** Each output record as "key type@second tier-or-status". */
    private java.util.List<String> output() {
        return fixture.outputRecords().stream().map(record -> {
            var value = json(record.value());
            long second = (record.timestamp() - T.toEpochMilli()) / 1000;
            var customer = value.path("customer");
            String tier = customer.has("tier") ? customer.path("tier").asText()
                    : value.path("enrichment").path("customer").asText();
            return record.key() + " " + value.path("type").asText() + "@" + second + " " + tier;
        }).toList();
    }

    @Test
    void shouldSeeATableChangeWithAnEarlierSourceTimeThatArrivesAfterTheEventWithinTheGrace() {
        startVersioned("{historyRetention: 7d, grace: 5s}");
        row("silver", 0, 0);
        event("o-1", 10);
        row("gold", 8, 12);  // committed before the event, arrives after it
        event("o-2", 15);    // stream time reaches 10 + 5: o-1 is released

        assertThat(output()).containsExactly("o-1 create@10 gold");
    }

    @Test
    void shouldNotSeeATableChangeThatArrivesAfterTheEventWithoutGrace() {
        startVersioned("{historyRetention: 7d}");
        row("silver", 0, 0);
        event("o-1", 10);
        row("gold", 8, 12);
        event("o-2", 15);

        assertThat(output()).containsExactly("o-1 create@10 silver", "o-2 create@15 gold");
    }

    @Test
    void shouldHoldAnEventUntilStreamTimeReachesItsTimePlusGrace() {
        startVersioned("{historyRetention: 7d, grace: 5s}");
        row("silver", 0, 0);
        event("o-1", 10);
        event("o-2", 14);
        assertThat(output()).as("stream time 14 < 10 + 5").isEmpty();
        fixture.advance(Duration.ofMinutes(10));
        assertThat(output()).as("no wall-clock flush").isEmpty();

        event("o-3", 15);

        assertThat(output()).containsExactly("o-1 create@10 silver");
    }

    @Test
    void shouldJoinAnEventOlderThanStreamTimeMinusGraceAtOnce() {
        startVersioned("{historyRetention: 7d, grace: 5s}");
        row("silver", 0, 0);
        event("o-1", 20);
        event("o-2", 15);  // 15 <= 20 - 5

        assertThat(output()).containsExactly("o-2 create@15 silver");
    }

    @Test
    void shouldReleaseHeldEventsInTimeOrderEvenForOneEntity() {
        startVersioned("{historyRetention: 7d, grace: 5s}");
        row("silver", 0, 0);
        event("o-1", "create", 12);
        event("o-1", "update", 10);  // out of order, within the grace
        event("o-2", "create", 30);

        assertThat(output()).containsExactly("o-1 update@10 silver", "o-1 create@12 silver");
    }

    @Test
    void shouldHoldEventsOfASkippedTypeInTheirPlace() {
        startVersioned("{historyRetention: 7d, grace: 5s}", "appliesTo: [create]", StartupGate.open());
        row("silver", 0, 0);
        event("o-1", "create", 10);
        event("o-1", "update", 11);  // skipped by the join, but must not overtake the held create
        event("o-2", "create", 20);

        assertThat(output()).containsExactly("o-1 create@10 silver", "o-1 update@11 skipped");
    }

    @Test
    void shouldApplyTheGraceToEventsReleasedByTheStartupGate() {
        StartupGate gate = StartupGate.atStartup(Map.of(new TopicPartition(EnricherFixture.CUSTOMERS, 0), 0L),
                Map.of());
        startVersioned("{historyRetention: 7d, grace: 5s}", "", gate);
        event("o-1", 10);
        row("silver", 0, 11);  // offset 0: the gate opens
        fixture.advance(Duration.ofMillis(100));
        assertThat(gate.assignedOpen()).isTrue();
        assertThat(output()).as("released by the gate into the grace buffer").isEmpty();

        event("o-2", 15);

        assertThat(output()).containsExactly("o-1 create@10 silver");
    }

    @Test
    void shouldWriteHeldEventsToTheGraceBufferChangelog() {
        startVersioned("{historyRetention: 7d, grace: 5s}");
        event("o-1", 10);

        assertThat(fixture.producedTopics()).contains("enricher-test-grace-buffer-customer-changelog");
    }
}
