package io.cdcenricher.ops.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdcenricher.ops.StackLayout;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class OperatorMetricNamesTest {

    private static final Path ROOT = StackLayout.locate().repoRoot();

    /**
     * A real scrape of an enricher: {@code /metrics} of the jar run against {@code ops/demo --keep}'s stack with a
     * wait join, after traffic giving every join status and two dead-letter reasons (ops/README.md says how).
     */
    static String realScrape() {
        try (InputStream in = OperatorMetricNamesTest.class.getResourceAsStream("/metrics/enricher-scrape.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void findsMetricNamesAndSkipsFunctionsLabelsStringsRangesAndVariables() {
        assertThat(OperatorMetricNames.metricNamesIn("""
                sum by (job, instance) (rate(enricher_dead_letter_total{job="$job", reason=~"wait-.*"}[5m])) > 0.1
                  and on (instance) group_left (join)
                max without (task_id) (kafka_stream_enricher_wait_buffer_records offset 1h)
                  / ignoring (le) enricher_wait_buffer_max_records
                  unless label_replace(foo_total, "topic", "$1_$2", "topic", "(.+)[.](.*)")
                  or histogram_quantile(0.99, sum by (le) (rate(x_seconds_bucket[$__rate_interval])))
                  or delta(enricher:stream_records_lag:sum[10m:1m]) > bool 1e3
                """)).containsExactly("enricher_dead_letter_total", "enricher_wait_buffer_max_records", "foo_total",
                "kafka_stream_enricher_wait_buffer_records", "x_seconds_bucket");
        assertThat(OperatorMetricNames.metricNamesIn("up{job=\"cdc-enricher\"} == 0")).containsExactly("up");
        assertThat(OperatorMetricNames.metricNamesIn("label_values(enricher_ready{job=~\"${job}\"}, instance)"))
                .containsExactly("enricher_ready");
        assertThat(OperatorMetricNames.metricNamesIn("label_values(job)")).isEmpty();
        assertThat(OperatorMetricNames.metricNamesIn("sum(up) by (job)")).containsExactly("up");
    }

    @Test
    void usedByReadsTheDashboardAndTheRuleFilesOfTheRepository() {
        assertThat(OperatorMetricNames.ruleFiles(ROOT)).extracting(p -> p.getFileName().toString())
                .containsExactly("recording.yml", "alerts.yml");
        assertThat(OperatorMetricNames.dashboards(ROOT)).extracting(p -> p.getFileName().toString())
                .containsExactly("cdc-enricher.json");

        assertThat(OperatorMetricNames.usedBy(ROOT))
                .contains("up", "enricher_ready", "enricher_join_total", "enricher_dead_letter_total",
                        "enricher_capture_lag_seconds", "enricher_capture_lag_max_seconds",
                        "kafka_consumer_fetch_manager_records_lag", "kafka_stream_enricher_wait_buffer_records")
                // The histogram by its base name; recorded series are the rules' own, not the enricher's.
                .contains("enricher_end_to_end_latency_seconds")
                .doesNotContain("enricher_end_to_end_latency_seconds_bucket")
                .noneMatch(name -> name.contains(":"));
    }

    @Test
    void aRealScrapeOfTheEnricherHasEveryNameTheOperatorsViewReads() {
        assertThat(OperatorMetricNames.missingFrom(ROOT, realScrape())).isEmpty();
    }

    @Test
    void missingNamesAreReportedAndPrometheusOwnSeriesAreNotLookedFor() {
        String scrape = realScrape().lines()
                .filter(line -> !line.contains("enricher_ready") && !line.contains("enricher_end_to_end_latency"))
                .reduce("", (a, b) -> a + b + "\n");

        assertThat(OperatorMetricNames.missingFrom(ROOT, scrape))
                .containsExactly("enricher_end_to_end_latency_seconds", "enricher_end_to_end_latency_seconds_max",
                        "enricher_ready");
    }

    @Test
    void aHistogramCountsAsExportedByItsTypeLineOrItsBuckets() {
        assertThat(OperatorMetricNames.exportedBy("""
                # TYPE a_seconds histogram
                a_seconds_count 1
                b_seconds_bucket{le="1.0"} 1
                c_total{x="y"} 3
                d 4
                """)).containsExactly("a_seconds", "a_seconds_count", "b_seconds", "b_seconds_bucket", "c_total", "d");
    }
}
