package io.cdcenricher.perf;

import java.util.HashSet;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class EventGeneratorTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void eventsAreValidJsonOfAbout200BytesKeyedByEntityId() throws Exception {
        EventGenerator generator = new EventGenerator("o-", KeySampler.uniform(1_000_000, 1), 0.2, 1);
        for (int i = 0; i < 1_000; i++) {
            EventGenerator.Event event = generator.next();
            JsonNode json = JSON.readTree(event.value());
            assertThat(json.path("id").asText()).isEqualTo(event.key());
            assertThat(json.path("customerId").asInt()).isEqualTo(event.customerId()).isBetween(1, 1_000_000);
            assertThat(json.path("type").asText()).isIn("create", "update");
            assertThat(event.value().length).isBetween(EventGenerator.TARGET_BYTES - 5, EventGenerator.TARGET_BYTES + 5);
        }
    }

    @Test
    void updatesReferToEntitiesCreatedEarlierInTheRatioAsked() throws Exception {
        EventGenerator generator = new EventGenerator("o-", KeySampler.uniform(100, 1), 0.2, 5);
        Set<String> created = new HashSet<>();
        int updates = 0;
        for (int i = 0; i < 20_000; i++) {
            EventGenerator.Event event = generator.next();
            String type = JSON.readTree(event.value()).path("type").asText();
            if (type.equals("update")) {
                updates++;
                assertThat(created).contains(event.key());
            } else {
                assertThat(created.add(event.key())).as("a create makes a new entity").isTrue();
            }
        }
        assertThat(updates / 20_000.0).isCloseTo(0.2, within(0.02));
    }

    @Test
    void aKeyThatNeedsEscapingStillGivesValidJsonOfTheTargetSize() throws Exception {
        EventGenerator.Event event = new EventGenerator("o-", KeySampler.uniform(10, 1), 0, 1)
                .event("probe", "o-\"quoted\"\\", 7);

        assertThat(JSON.readTree(event.value()).path("id").asText()).isEqualTo("o-\"quoted\"\\");
        assertThat(event.value().length).isEqualTo(EventGenerator.TARGET_BYTES);
    }
}
