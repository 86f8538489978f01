package io.cdcenricher.enricher;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** What every TopologyTestDriver test class needs: a state directory and one fixture, closed after each test. */
abstract class TopologyTestBase {

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
}
