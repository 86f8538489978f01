package io.cdcenricher.enricher;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** What every TopologyTestDriver test class needs: a state directory and one fixture, closed after each test. */
abstract class TopologyTestBase {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    protected Path stateDir;

    protected EnricherFixture fixture;

    @AfterEach
    void closeFixture() {
        if (fixture != null) {
            fixture.close();
        }
    }

    /** The real topology for {@code yaml}, with an open start-up gate. */
    protected EnricherFixture start(String yaml) {
        fixture = new EnricherFixture(yaml, stateDir);
        return fixture;
    }

    /** An output value as a tree, for assertions on its fields. */
    protected static JsonNode json(String value) {
        try {
            return JSON.readTree(value);
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON: " + value, e);
        }
    }
}
