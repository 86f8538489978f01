package io.cdcenricher.enricher;

import static io.cdcenricher.enricher.EnricherFixture.customerJoinYaml;
import static io.cdcenricher.enricher.EnricherFixture.header;
import static org.assertj.core.api.Assertions.assertThat;

import io.cdcenricher.enricher.config.EnricherConfigLoader;
import io.cdcenricher.enricher.internals.StartupGate;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * The per-entity version guard ({@code event.versionField}) through the real topology: what each outcome is, where
 * it goes by config, how invalid versions are dead-lettered, and how it works with the wait buffer (a held event is
 * decided before the events queued behind it, and one that ends as a dead letter is never accepted).
 */
class VersionGuardTest extends TopologyTestBase {

    private static final String ADA = "{\"id\":42,\"name\":\"Ada\",\"tier\":\"gold\"}";
    private static final String GUARD = "event:\n  versionField: v\n  expectedVersionField: expected\n";

    private static String guarded(String joinExtras, String eventExtras) {
        return customerJoinYaml(joinExtras).replace("joins:", GUARD + eventExtras.indent(2) + "joins:");
    }

    private static String event(String type, long version, Long expected) {
        return "{\"type\":\"" + type + "\",\"id\":\"o-1\",\"customerId\":42,\"v\":" + version
                + (expected == null ? "" : ",\"expected\":" + expected) + "}";
    }

    private static List<String> versionHeaders(List<TestRecord<String, String>> records) {
        return records.stream().map(r -> header(r.headers(), EnrichedEventContract.VERSION_HEADER)).toList();
    }

    private static List<String> reasons(List<TestRecord<String, String>> records) {
        return records.stream().map(r -> header(r.headers(), DeadLetter.REASON)).toList();
    }

    @Test
    void deleteThenModifyAgainstTheOldVersionRejectsTheModifyAsEntityDeleted() {
        start(guarded("", "")).customer("42", ADA)
                .event("o-1", event("create", 1, 0L))
                .event("o-1", event("delete", 2, 1L))
                .event("o-1", event("update", 2, 1L));

        List<TestRecord<String, String>> output = fixture.outputRecords();
        assertThat(output).extracting(r -> json(r.value()).path("type").asText()).containsExactly("create", "delete");
        assertThat(versionHeaders(output)).containsExactly("accepted", "accepted");
        List<TestRecord<String, String>> dead = fixture.deadLetterRecords();
        assertThat(reasons(dead)).containsExactly("entity-deleted");
        assertThat(dead.get(0).value()).isEqualTo(event("update", 2, 1L));
        assertThat(header(dead.get(0).headers(), DeadLetter.DETAIL))
                .isEqualTo("the entity was deleted at version 2; version 2 comes after its delete");
    }

    @Test
    void expectationOtherThanTheStoredVersionIsAConflictAndTheFirstEventMustExpectZero() {
        start(guarded("", "")).customer("42", ADA)
                .event("o-1", event("create", 4, 3L))
                .event("o-1", event("create", 1, 0L))
                .event("o-1", event("update", 3, 2L))
                .event("o-1", event("update", 2, 1L));

        assertThat(fixture.output()).extracting(kv -> json(kv.value).path("v").asInt()).containsExactly(1, 2);
        List<TestRecord<String, String>> dead = fixture.deadLetterRecords();
        assertThat(reasons(dead)).containsExactly("version-conflict", "version-conflict");
        assertThat(dead).extracting(r -> header(r.headers(), DeadLetter.DETAIL)).containsExactly(
                "expected version 3, the entity is at 0 (never accepted)", "expected version 2, the entity is at 1");
    }

    @Test
    void redeliveryOfTheLastAcceptedEventIsDroppedAndCountedAndAnotherCommandWithTheSameVersionIsAConflict() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        String yaml = guarded("", "");
        fixture = new EnricherFixture(yaml, stateDir, StartupGate.open(),
                new MicrometerEnrichmentMetrics(registry, EnricherConfigLoader.parse(yaml).joins()));
        String first = event("update", 2, 1L);
        String competing = "{\"type\":\"update\",\"id\":\"o-1\",\"customerId\":42,\"v\":2,\"expected\":1,\"x\":1}";
        fixture.customer("42", ADA)
                .event("o-1", event("create", 1, 0L))
                .event("o-1", first)
                .event("o-1", first)
                .event("o-1", competing)
                .event("o-1", event("create", 1, 0L));

        assertThat(fixture.output()).extracting(kv -> json(kv.value).path("v").asInt()).containsExactly(1, 2);
        List<TestRecord<String, String>> dead = fixture.deadLetterRecords();
        assertThat(dead).extracting(TestRecord::value).as("the redelivery of the last accepted event is dropped; "
                + "an older one, with an expectation, cannot be told from a stale command").containsExactly(
                competing, event("create", 1, 0L));
        assertThat(reasons(dead)).containsOnly("version-conflict");
        assertThat(registry.counter("enricher.version", "outcome", "accepted").count()).isEqualTo(2);
        assertThat(registry.counter("enricher.version", "outcome", "duplicate").count()).isEqualTo(1);
        assertThat(registry.counter("enricher.version", "outcome", "version-conflict").count()).isEqualTo(2);
        assertThat(registry.counter("enricher.dead.letter", "reason", "version-conflict").count()).isEqualTo(2);
    }

    @Test
    void withoutAnExpectationAVersionAtOrBelowTheLastAcceptedIsADuplicate() {
        start(guarded("", "onDuplicate: dead-letter")).customer("42", ADA)
                .event("o-1", event("create", 5, null))
                .event("o-1", event("update", 4, null))
                .event("o-1", event("update", 5, null))
                .event("o-1", event("update", 9, null));

        assertThat(fixture.output()).extracting(kv -> json(kv.value).path("v").asInt()).containsExactly(5, 9);
        List<TestRecord<String, String>> dead = fixture.deadLetterRecords();
        assertThat(reasons(dead)).containsExactly("duplicate", "duplicate");
        assertThat(header(dead.get(0).headers(), DeadLetter.DETAIL))
                .isEqualTo("version 4 was already accepted (the entity is at version 5)");
    }

    @Test
    void rejectionsSentToTheOutputCarryTheirOutcomeAndAreEnrichedAsUsual() {
        start(guarded("", "onVersionConflict: output\nonDuplicate: output\nonEntityDeleted: output"))
                .customer("42", ADA)
                .event("o-1", event("create", 1, 0L))
                .event("o-1", event("create", 1, 0L))
                .event("o-1", event("update", 3, 2L))
                .event("o-1", event("delete", 2, 1L))
                .event("o-1", event("update", 3, 2L));

        List<TestRecord<String, String>> output = fixture.outputRecords();
        assertThat(versionHeaders(output)).containsExactly("accepted", "duplicate", "version-conflict", "accepted",
                "entity-deleted");
        assertThat(output).allSatisfy(r -> assertThat(json(r.value()).path("enrichment").path("customer").asText())
                .isEqualTo("hit"));
        assertThat(fixture.deadLetters()).isEmpty();
    }

    @Test
    void missingOrInvalidVersionsAreDeadLetteredWithTheirReasonAndNeverStored() {
        start(guarded("", "")).customer("42", ADA)
                .event("o-1", "{\"type\":\"create\",\"customerId\":42}")
                .event("o-1", "{\"type\":\"create\",\"customerId\":42,\"v\":\"one\"}")
                .event("o-1", "{\"type\":\"create\",\"customerId\":42,\"v\":0}")
                .event("o-1", "{\"type\":\"create\",\"customerId\":42,\"v\":1.5}")
                .event("o-1", "{\"type\":\"create\",\"customerId\":42,\"v\":1,\"expected\":true}")
                .event("o-1", "{\"type\":\"create\",\"customerId\":42,\"v\":1,\"expected\":1}")
                .event("o-1", "{\"type\":\"create\",\"customerId\":42,\"v\":\"7\",\"expected\":null}");

        List<TestRecord<String, String>> dead = fixture.deadLetterRecords();
        assertThat(reasons(dead)).containsOnly("invalid-version").hasSize(6);
        assertThat(dead).extracting(r -> header(r.headers(), DeadLetter.DETAIL)).containsExactly(
                "the event has no version field 'v'",
                "the version field 'v' is 'one', not a whole number of at least 1",
                "the version field 'v' is '0', not a whole number of at least 1",
                "the version field 'v' is '1.5', not a whole number of at least 1",
                "the expected version field 'expected' is a boolean, not a whole number of at least 0",
                "the version 1 does not follow the expected version 1 ('v' must be greater than 'expected')");
        assertThat(fixture.output()).as("a string of digits is a version; null expects nothing")
                .extracting(kv -> json(kv.value).path("v").asText()).containsExactly("7");
    }

    @Test
    void heldDeleteIsDecidedBeforeTheModifyQueuedBehindIt() {
        start(guarded("onMiss: wait\nmaxWait: 1s", ""))
                .event("o-1", event("create", 1, 0L))
                .event("o-1", event("delete", 2, 1L))
                .event("o-1", event("update", 2, 1L))
                .advance(Duration.ofMillis(200));
        assertThat(fixture.output()).as("all three held: the create waits for customer 42").isEmpty();

        fixture.customer("42", ADA).advance(Duration.ofMillis(200));

        List<TestRecord<String, String>> output = fixture.outputRecords();
        assertThat(output).extracting(r -> json(r.value()).path("type").asText()).containsExactly("create", "delete");
        assertThat(output).extracting(r -> json(r.value()).path("enrichment").path("customer").asText())
                .containsExactly("late", "late");
        assertThat(reasons(fixture.deadLetterRecords())).containsExactly("entity-deleted");
    }

    @Test
    void heldEventThatTimesOutAsADeadLetterIsNotAcceptedSoItsSuccessorIsDecidedWithoutIt() {
        start(guarded("onMiss: wait\nmaxWait: 1s\nonTimeout: dead-letter", ""))
                .customer("7", "{\"id\":7,\"name\":\"Bob\",\"tier\":\"silver\"}")
                .event("o-1", event("create", 1, 0L))
                .event("o-1", event("update", 2, 1L).replace("42", "7"))
                .advance(Duration.ofMillis(1200));

        List<TestRecord<String, String>> dead = fixture.deadLetterRecords();
        assertThat(reasons(dead)).as("the create timed out; the update then expects a version never accepted")
                .containsExactly("wait-timeout", "version-conflict");
    }

    @Test
    void withAPartitionedJoinTheGuardDecidesInTheFirstPassAndTheHeaderTravelsToTheOutput() {
        start(guarded("materialization: partitioned\npartitions: 3", "onDuplicate: output")).customer("42", ADA)
                .event("o-1", event("create", 1, 0L))
                .event("o-1", event("create", 1, 0L))
                .event("o-1", event("delete", 2, 1L))
                .event("o-1", event("update", 2, 1L));

        List<TestRecord<String, String>> output = fixture.outputRecords();
        assertThat(output).extracting(r -> json(r.value()).path("type").asText() + " "
                + json(r.value()).path("enrichment").path("customer").asText() + " "
                + header(r.headers(), EnrichedEventContract.VERSION_HEADER))
                .containsExactly("create hit accepted", "create hit duplicate", "delete hit accepted");
        assertThat(reasons(fixture.deadLetterRecords())).containsExactly("entity-deleted");
    }

    @Test
    void filteredEventsNeverReachTheGuard() {
        start(guarded("", "").replace("joins:", "filter: {field: keep, op: exists}\njoins:")).customer("42", ADA)
                .event("o-1", event("create", 1, 0L))
                .event("o-1", event("update", 2, 1L).replace("}", ",\"keep\":true}"))
                .event("o-1", event("create", 1, 0L).replace("}", ",\"keep\":true}"));

        assertThat(fixture.output()).extracting(kv -> json(kv.value).path("v").asInt()).containsExactly(1);
        assertThat(reasons(fixture.deadLetterRecords())).as("the filtered create was never accepted")
                .containsExactly("version-conflict");
    }

    @Test
    void tombstonesPassUncheckedAndEntitiesAreIndependent() {
        start(guarded("", "")).customer("42", ADA)
                .event("o-1", event("create", 1, 0L))
                .event("o-1", null)
                .event("o-2", event("create", 1, 0L).replace("o-1", "o-2"))
                .event("o-1", event("update", 2, 1L));

        assertThat(fixture.output()).extracting(kv -> kv.key + (kv.value == null ? " tombstone"
                : " v" + json(kv.value).path("v").asInt())).containsExactly("o-1 v1", "o-1 tombstone", "o-2 v1",
                "o-1 v2");
    }

    @Test
    void withoutTheGuardThereIsNoStoreNoHeaderAndNoCheck() {
        start(customerJoinYaml("")).customer("42", ADA)
                .event("o-1", event("create", 1, 0L))
                .event("o-1", event("create", 1, 0L));

        List<TestRecord<String, String>> output = fixture.outputRecords();
        assertThat(output).hasSize(2);
        assertThat(versionHeaders(output)).containsOnlyNulls();
        assertThat(fixture.producedTopics()).noneMatch(topic -> topic.contains("entity-versions"));
    }

    @Test
    void theStoreIsChangelogged() {
        start(guarded("", "")).customer("42", ADA).event("o-1", event("create", 1, 0L));

        assertThat(fixture.producedTopics()).contains("enricher-test-entity-versions-changelog");
    }
}
