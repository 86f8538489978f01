package io.cdcenricher.enricher;

import static io.cdcenricher.enricher.EnricherFixture.customerJoinYaml;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random interleavings of table updates, table tombstones and events over a few keys, compared with a plain
 * map as the model. Guards the interplay that example tests pick by hand: key formats, deletes, re-creates,
 * skipped types and order. A failure names its seed; rerun it by adding the seed to {@link #seeds()}.
 */
class EnrichmentModelTest {

    private static final int OPERATIONS = 300;
    private static final int CUSTOMERS = 4;

    @TempDir
    Path stateDir;

    static Stream<Long> seeds() {
        return Stream.concat(LongStream.rangeClosed(1, 8).boxed(), Stream.of(System.nanoTime()));
    }

    /** The model's view of a row: absent = never written (miss), null = deleted. */
    private static final Object DELETED = new Object();

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void shouldMatchTheModelForRandomInterleavings(long seed) {
        Random random = new Random(seed);
        Map<Integer, Object> model = new HashMap<>();
        List<KeyValue<String, String>> expected = new ArrayList<>();

        try (EnricherFixture fixture = new EnricherFixture(customerJoinYaml("appliesTo: [create, delete]"),
                stateDir.resolve("seed-" + seed))) {
            for (int op = 0; op < OPERATIONS; op++) {
                int customer = 1 + random.nextInt(CUSTOMERS + 1); // CUSTOMERS + 1 is never written: always a miss
                int choice = random.nextInt(10);
                if (choice < 3 && customer <= CUSTOMERS) {
                    String row = "{\"id\":" + customer + ",\"name\":\"n" + op + "\",\"tier\":\"t" + random.nextInt(3)
                            + "\",\"__op\":\"u\"}";
                    fixture.customer(tableKey(random, customer), row);
                    model.put(customer, "{\"name\":\"n" + op + "\",\"tier\":" + row.split("\"tier\":")[1]
                            .replace(",\"__op\":\"u\"}", "") + "}");
                } else if (choice < 4 && customer <= CUSTOMERS) {
                    fixture.customer(tableKey(random, customer), null);
                    model.put(customer, DELETED);
                } else {
                    String type = List.of("create", "update", "delete").get(random.nextInt(3));
                    String entity = "o-" + random.nextInt(5);
                    String foreignKey = random.nextBoolean() ? Integer.toString(customer) : "\"" + customer + "\"";
                    String event = "{\"type\":\"" + type + "\",\"customerId\":" + foreignKey + ",\"op\":" + op + "}";
                    fixture.event(entity, event);
                    expected.add(KeyValue.pair(entity, expectedOutput(event, type, model.get(customer))));
                }
            }
            assertThat(expected).as("seed %d exercises every status", seed).extracting(kv -> kv.value)
                    .anyMatch(v -> v.contains("\"hit\"")).anyMatch(v -> v.contains("\"miss\""))
                    .anyMatch(v -> v.contains("\"deleted\"")).anyMatch(v -> v.contains("\"skipped\""));
            assertThat(fixture.output()).as("seed %d", seed).containsExactlyElementsOf(expected);
            assertThat(fixture.deadLetters()).as("seed %d", seed).isEmpty();
        }
    }

    private static String tableKey(Random random, int customer) {
        switch (random.nextInt(3)) {
            case 0:
                return Integer.toString(customer);
            case 1:
                return "{\"id\":" + customer + "}";
            default:
                return "\"" + customer + "\"";
        }
    }

    private static String expectedOutput(String event, String type, Object row) {
        String body = event.substring(0, event.length() - 1);
        if (type.equals("update")) {
            return body + ",\"enrichment\":{\"customer\":\"skipped\"}}";
        }
        if (row == null) {
            return body + ",\"customer\":null,\"enrichment\":{\"customer\":\"miss\"}}";
        }
        if (row == DELETED) {
            return body + ",\"customer\":null,\"enrichment\":{\"customer\":\"deleted\"}}";
        }
        return body + ",\"customer\":" + row + ",\"enrichment\":{\"customer\":\"hit\"}}";
    }
}
