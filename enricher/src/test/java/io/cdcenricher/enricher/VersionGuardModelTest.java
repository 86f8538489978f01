package io.cdcenricher.enricher;

import static io.cdcenricher.enricher.EnricherFixture.customerJoinYaml;
import static io.cdcenricher.enricher.EnricherFixture.header;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random interleavings of versions, expectations, deletes, redeliveries, tombstones and invalid versions of a few
 * entities, through the real topology, against a model of the guard kept as each entity's history of accepted
 * events. Seeded (jqwik is not in the offline repository): a failure names its seed and case, and rerunning the
 * test replays it. Each routing of the rejections runs {@value #CASES} cases of {@value #EVENTS} events, each case
 * on entities of its own.
 */
class VersionGuardModelTest extends TopologyTestBase {

    private static final int CASES = 250;
    private static final int EVENTS = 50;
    private static final String[] TYPES = {"create", "update", "delete"};

    /** One accepted event in the model: its version, its bytes, and whether it deleted the entity. */
    private record Accepted(long version, String value, boolean delete) {
    }

    /** What the model expects of one event: its sequence number, and an outcome or a dead-letter reason. */
    private record Expected(long seq, String where, String what) {
    }

    /** How often the model decided each outcome in the run: every one must be exercised. */
    private final Map<String, Integer> tally = new HashMap<>();

    static Stream<Arguments> routings() {
        return Stream.of(
                Arguments.of(20261202L, "dead-letter", "drop", "dead-letter"),
                Arguments.of(17L, "output", "output", "output"),
                Arguments.of(4242L, "drop", "dead-letter", "output"),
                Arguments.of(99L, "dead-letter", "dead-letter", "drop"));
    }

    @ParameterizedTest(name = "seed {0}: conflict {1}, duplicate {2}, deleted {3}")
    @MethodSource("routings")
    void guardBehavesLikeItsModel(long seed, String onConflict, String onDuplicate, String onDeleted) {
        Map<String, String> actions = Map.of("version-conflict", onConflict, "duplicate", onDuplicate,
                "entity-deleted", onDeleted);
        start(customerJoinYaml("").replace("joins:", """
                event:
                  versionField: v
                  expectedVersionField: expected
                  onVersionConflict: %s
                  onDuplicate: %s
                  onEntityDeleted: %s
                joins:""".formatted(onConflict, onDuplicate, onDeleted)));
        Random random = new Random(seed);
        for (int c = 0; c < CASES; c++) {
            List<Expected> expected = runCase(random, "c" + c + "-", actions);
            assertThat(actualOutput()).as("output, seed %d, case %d", seed, c)
                    .containsExactlyElementsOf(expected.stream().filter(e -> e.where().equals("output")).toList());
            assertThat(actualDeadLetters()).as("dead letters, seed %d, case %d", seed, c).containsExactlyElementsOf(
                    expected.stream().filter(e -> e.where().equals("dead-letter")).toList());
        }
        assertThat(tally).as("outcomes the run exercised").allSatisfy((outcome, count) ->
                assertThat(count).as(outcome).isGreaterThan(100)).containsOnlyKeys("accepted", "version-conflict",
                "duplicate", "entity-deleted", "invalid-version", "tombstone");
    }

    /** Pipes one case's events and returns what the model expects, in order. */
    private List<Expected> runCase(Random random, String prefix, Map<String, String> actions) {
        Map<String, List<Accepted>> histories = new HashMap<>();
        Map<String, List<String>> sent = new HashMap<>();
        List<Expected> expected = new ArrayList<>();
        int entities = 1 + random.nextInt(3);
        for (long seq = 0; seq < EVENTS; seq++) {
            String entity = prefix + random.nextInt(entities);
            List<Accepted> history = histories.computeIfAbsent(entity, e -> new ArrayList<>());
            List<String> earlier = sent.computeIfAbsent(entity, e -> new ArrayList<>());
            int dice = random.nextInt(100);
            if (dice < 3) {
                fixture.event(entity, null);
                tally.merge("tombstone", 1, Integer::sum);
                expected.add(new Expected(-1, "output", null));
                continue;
            }
            String value;
            if (dice < 18 && !earlier.isEmpty()) {
                value = earlier.get(random.nextInt(earlier.size()));
            } else {
                value = newEvent(random, seq, history, dice < 21);
                earlier.add(value);
            }
            fixture.event(entity, value);
            Expected outcome = model(history, value, actions, tally);
            if (outcome != null) {
                expected.add(outcome);
            }
        }
        return expected;
    }

    /** An event whose versions mostly follow the model's state, so that every outcome is frequent. */
    private static String newEvent(Random random, long seq, List<Accepted> history, boolean invalid) {
        long current = history.isEmpty() ? 0 : history.get(history.size() - 1).version();
        String type = random.nextInt(6) == 0 ? "delete" : TYPES[random.nextInt(2)];
        StringBuilder json = new StringBuilder("{\"type\":\"").append(type).append("\",\"seq\":").append(seq)
                .append(",\"customerId\":1");
        if (invalid) {
            return json.append(random.nextBoolean() ? ",\"v\":0" : ",\"v\":\"x\"").append('}').toString();
        }
        int expectation = random.nextInt(10);
        long expected = expectation < 6 ? current : Math.max(0, current - 1 - random.nextInt(2))
                + (expectation == 9 ? 2 : 0);
        long version = expected + 1 + (random.nextInt(4) == 0 ? random.nextInt(3) : 0);
        if (expectation == 8) {
            // No expectation: a blind write whose version may be stale.
            version = Math.max(1, current + random.nextInt(3) - 1);
            return json.append(",\"v\":").append(version).append('}').toString();
        }
        return json.append(",\"v\":").append(version).append(",\"expected\":").append(expected).append('}')
                .toString();
    }

    /** The model: the guard's rule stated over the entity's history of accepted events. */
    private static Expected model(List<Accepted> history, String value, Map<String, String> actions,
                                  Map<String, Integer> tally) {
        JsonNode event = json(value);
        long seq = event.path("seq").asLong();
        long version = event.path("v").isIntegralNumber() ? event.path("v").asLong() : 0;
        boolean expects = event.has("expected");
        long expected = event.path("expected").asLong();
        if (version < 1 || (expects && expected >= version)) {
            tally.merge("invalid-version", 1, Integer::sum);
            return new Expected(seq, "dead-letter", "invalid-version");
        }
        Accepted last = history.isEmpty() ? null : history.get(history.size() - 1);
        String outcome;
        if (last != null && last.version() == version && last.value().equals(value)) {
            outcome = "duplicate";
        } else if (last != null && !expects && version <= last.version()) {
            outcome = "duplicate";
        } else if (last != null && last.delete()) {
            outcome = "entity-deleted";
        } else if (expects && expected != (last == null ? 0 : last.version())) {
            outcome = "version-conflict";
        } else {
            history.add(new Accepted(version, value, event.path("type").asText().equals("delete")));
            outcome = "accepted";
        }
        tally.merge(outcome, 1, Integer::sum);
        if (outcome.equals("accepted")) {
            return new Expected(seq, "output", outcome);
        }
        return switch (actions.get(outcome)) {
            case "output" -> new Expected(seq, "output", outcome);
            case "dead-letter" -> new Expected(seq, "dead-letter", outcome);
            default -> null;
        };
    }

    /** What the topology wrote to the output for the case, in order. */
    private List<Expected> actualOutput() {
        return fixture.outputRecords().stream().map(r -> r.value() == null ? new Expected(-1, "output", null)
                : new Expected(json(r.value()).path("seq").asLong(), "output",
                header(r.headers(), EnrichedEventContract.VERSION_HEADER))).toList();
    }

    /** What the topology dead-lettered for the case, in order. */
    private List<Expected> actualDeadLetters() {
        return fixture.deadLetterRecords().stream().map(r -> new Expected(json(r.value()).path("seq").asLong(),
                "dead-letter", header(r.headers(), DeadLetter.REASON))).toList();
    }
}
