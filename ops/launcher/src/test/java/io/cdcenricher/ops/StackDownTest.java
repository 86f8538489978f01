package io.cdcenricher.ops;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code ops/stack down} stops the enricher that {@code ops/demo --keep} left running from the run directory, as the
 * demo's last line promises. The process here is a plain {@code sleep} recorded as the enricher: what is under test is
 * that down finds it through the run directory and stops it, not the enricher itself.
 */
class StackDownTest {

    @TempDir
    Path runDir;

    @Test
    void downStopsTheEnricherTheDemoLeftRunning() throws Exception {
        ManagedProcess enricher = new ManagedProcess(EnricherProcess.NAME, runDir);
        ProcessHandle sleeper = enricher.start(List.of("sleep", "600"), Map.of(), runDir);
        assertThat(Files.readString(runDir.resolve("enricher.pid")).trim()).isEqualTo(Long.toString(sleeper.pid()));
        List<String> progress = new ArrayList<>();

        new Stack(StackSettings.onFreePorts(runDir), StackLayout.locate()).down(progress::add);

        await().atMost(Duration.ofSeconds(10)).until(() -> !sleeper.isAlive());
        assertThat(progress).contains("enricher stopped (started by ops/demo --keep)");
        assertThat(runDir.resolve("enricher.pid")).doesNotExist();
    }
}
