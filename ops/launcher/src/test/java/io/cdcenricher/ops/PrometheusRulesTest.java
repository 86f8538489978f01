package io.cdcenricher.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The Prometheus configuration and alert rules of ops/prometheus, checked by promtool as an operator would:
 * the config (with its rule files) loads, the rules parse, and alerts_test.yml's unit tests pass (each alert fires
 * for input that should fire it and stays silent for input that should not, with its rendered annotations).
 * promtool missing fails these tests with the package to install; they never skip.
 */
class PrometheusRulesTest {

    private final Path root = StackLayout.locate().repoRoot();

    @Test
    void theConfigLoadsWithItsRuleFiles() {
        assertSucceeds("check", "config", "ops/prometheus/prometheus.yml");
    }

    @Test
    void theRecordingAndAlertRulesParse() {
        assertSucceeds("check", "rules", "ops/prometheus/recording.yml", "ops/prometheus/alerts.yml");
    }

    @Test
    void everyAlertFiresWhenItShouldAndOnlyThen() {
        PromtoolRunner.Result result = assertSucceeds("test", "rules", "ops/prometheus/alerts_test.yml");
        assertThat(result.output()).contains("SUCCESS");
    }

    private PromtoolRunner.Result assertSucceeds(String... args) {
        PromtoolRunner.Result result = PromtoolRunner.run(root, args);
        assertThat(result.exitCode())
                .as("promtool %s exited %d:%n%s", String.join(" ", args), result.exitCode(), result.output())
                .isZero();
        return result;
    }
}
