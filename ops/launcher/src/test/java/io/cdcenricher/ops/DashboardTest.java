package io.cdcenricher.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.cdcenricher.ops.testing.OperatorMetricNames;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboard of ops/grafana: it parses, every panel has a title and a query against the provisioned
 * Prometheus datasource, every query is valid PromQL (promtool), and every metric name the dashboard and the rules
 * read is one a real enricher exports (a scrape saved from a running enricher, a test resource).
 */
class DashboardTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final Path root = StackLayout.locate().repoRoot();
    private final Path dashboardFile = root.resolve("ops/grafana/dashboards/cdc-enricher.json");

    @Test
    void everyPanelHasATitleAndAQueryOnTheProvisionedDatasource() throws IOException {
        JsonNode dashboard = JSON.readTree(dashboardFile.toFile());
        String datasourceUid = YAML.readTree(root.resolve("ops/grafana/provisioning/datasources/prometheus.yml").toFile())
                .path("datasources").get(0).path("uid").asText();

        assertThat(dashboard.path("uid").asText()).isEqualTo("cdc-enricher");
        List<String> problems = new ArrayList<>();
        Set<Integer> ids = new HashSet<>();
        List<JsonNode> panels = panels(dashboard);
        for (JsonNode panel : panels) {
            String title = panel.path("title").asText("");
            if (!ids.add(panel.path("id").asInt(-1))) {
                problems.add("'" + title + "': id " + panel.path("id") + " twice");
            }
            JsonNode grid = panel.path("gridPos");
            if (grid.path("x").asInt() + grid.path("w").asInt() > 24 || grid.path("w").asInt() <= 0) {
                problems.add("'" + title + "': gridPos " + grid);
            }
            if ("row".equals(panel.path("type").asText())) {
                continue;
            }
            if (title.isBlank()) {
                problems.add("panel " + panel.path("id") + " has no title");
            }
            if (!datasourceUid.equals(panel.path("datasource").path("uid").asText())) {
                problems.add("'" + title + "': datasource " + panel.path("datasource") + " is not uid " + datasourceUid);
            }
            if (!panel.path("targets").elements().hasNext()) {
                problems.add("'" + title + "' has no query");
            }
            for (JsonNode target : panel.path("targets")) {
                if (target.path("expr").asText("").isBlank()) {
                    problems.add("'" + title + "' target " + target.path("refId") + " has no expr");
                }
            }
        }
        assertThat(problems).isEmpty();
        assertThat(panels.stream().filter(p -> !"row".equals(p.path("type").asText())).map(p -> p.path("title").asText()))
                .contains("Events in / out per second", "Join status mix per join", "Dead letters by reason",
                        "End-to-end latency", "Consumer lag per partition (events)",
                        "Global store restore: records left to read",
                        "Partitioned store restore: records left and restoring tasks", "Wait buffer: held events",
                        "Wait buffer: oldest held event age", "CDC capture lag per join", "Instances up and ready",
                        "Rebalances and assigned partitions");
    }

    @Test
    void everyQueryIsValidPromQl(@TempDir Path dir) throws IOException {
        // promtool parses rule expressions: each query becomes one, with Grafana's variables given values.
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard-queries\n    rules:\n");
        int n = 0;
        for (JsonNode panel : panels(JSON.readTree(dashboardFile.toFile()))) {
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText()
                        .replace("$__rate_interval", "1m").replace("$job", "cdc-enricher");
                rules.append("      - record: dashboard:query_").append(++n).append("\n")
                        .append("        expr: ").append(JSON.writeValueAsString(expr)).append("\n");
            }
        }
        Path file = dir.resolve("dashboard-queries.yml");
        Files.writeString(file, rules);

        PromtoolRunner.Result result = PromtoolRunner.run(root, "check", "rules", file.toString());
        assertThat(result.exitCode()).as("promtool check rules on the dashboard's %d queries:%n%s", n, result.output())
                .isZero();
        assertThat(n).isGreaterThanOrEqualTo(20);
    }

    @Test
    void everyMetricNameTheDashboardAndTheRulesReadIsExportedByARealEnricher() throws IOException {
        Set<String> used = OperatorMetricNames.usedBy(root);
        String scrape;
        try (InputStream in = getClass().getResourceAsStream("/metrics/enricher-scrape.txt")) {
            scrape = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }

        assertThat(used).hasSizeGreaterThan(20);
        assertThat(OperatorMetricNames.missingFrom(root, scrape))
                .as("names read by ops/grafana and ops/prometheus %s that the enricher's /metrics lacks", used)
                .isEmpty();
        // The list is in ops/README.md, so that an operator (and a reviewer) sees what the view depends on.
        String readme = Files.readString(root.resolve("ops/README.md"));
        Set<String> undocumented = new TreeSet<>();
        for (String name : used) {
            if (!readme.contains("`" + name + "`")) {
                undocumented.add(name);
            }
        }
        assertThat(undocumented).as("metric names missing from ops/README.md's list").isEmpty();
    }

    @Test
    void everyQueryReturnsDataFromARealEnrichersMetrics(@TempDir Path dir) throws IOException {
        // The saved scrape as 10 samples 15 s apart, labelled as Prometheus would (job, instance); each query,
        // counted, must give 1: a query whose label filters match nothing on a real enricher fails here.
        Set<String> used = OperatorMetricNames.usedBy(root);
        List<Map<String, String>> series = new ArrayList<>();
        String scrape;
        try (InputStream in = getClass().getResourceAsStream("/metrics/enricher-scrape.txt")) {
            scrape = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Matcher sample = SAMPLE.matcher(scrape);
        while (sample.find()) {
            String name = sample.group(1);
            String base = name.replaceFirst("_(bucket|sum|count)$", "");
            if ((used.contains(name) || used.contains(base)) && !sample.group(3).contains("NaN")) {
                String labels = sample.group(2) == null ? "" : sample.group(2) + ",";
                series.add(Map.of("series", name + "{" + labels + "job=\"cdc-enricher\",instance=\"enricher:8080\"}",
                        "values", sample.group(3) + "x10"));
            }
        }
        series.add(Map.of("series", "up{job=\"cdc-enricher\",instance=\"enricher:8080\"}", "values", "1x10"));
        List<Map<String, Object>> checks = new ArrayList<>();
        List<String> queries = new ArrayList<>();
        for (JsonNode panel : panels(JSON.readTree(dashboardFile.toFile()))) {
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText()
                        .replace("$__rate_interval", "1m").replace("$job", "cdc-enricher");
                queries.add(panel.path("title").asText() + ": " + expr);
                checks.add(Map.of("expr", "clamp_max(count(" + expr + "), 1)", "eval_time", "2m",
                        "exp_samples", List.of(Map.of("labels", "{}", "value", 1))));
            }
        }
        Map<String, Object> test = new LinkedHashMap<>();
        test.put("rule_files", List.of(root.resolve("ops/prometheus/recording.yml").toString()));
        test.put("evaluation_interval", "15s");
        test.put("tests", List.of(Map.of("interval", "15s", "input_series", series, "promql_expr_test", checks)));
        Path file = dir.resolve("dashboard-on-real-metrics_test.yml");
        YAML.writeValue(file.toFile(), test);

        PromtoolRunner.Result result = PromtoolRunner.run(root, "test", "rules", file.toString());
        assertThat(result.exitCode())
                .as("a dashboard query returns nothing on the real scrape (count(query) missing below); queries:%n%s%n%s",
                        String.join("\n", queries), result.output())
                .isZero();
    }

    private static final Pattern SAMPLE = Pattern.compile("(?m)^([A-Za-z_:][\\w:]*)(?:\\{(.*)})? (\\S+)$");

    /** Every panel, those nested in collapsed rows too. */
    private static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> all = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            all.add(panel);
            panel.path("panels").forEach(all::add);
        }
        return all;
    }
}
