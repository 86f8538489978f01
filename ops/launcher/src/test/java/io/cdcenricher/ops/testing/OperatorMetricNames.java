package io.cdcenricher.ops.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The metric names the operator's view relies on: every name the Grafana dashboards in {@code ops/grafana/dashboards}
 * and the Prometheus rule files named by {@code ops/prometheus/prometheus.yml} ({@code rule_files}) read, parsed
 * from their PromQL; and which of them a real {@code /metrics} scrape lacks.
 *
 * <p>For an integration test that scrapes a running enricher (after its traffic, and more than a minute after its
 * Kafka Streams client started: Micrometer binds Kafka's per-partition, per-task and per-topic metrics on its
 * 60-second refresh, not at start-up):
 * <pre>{@code
 * String scrape = ...GET http://127.0.0.1:<http-port>/metrics...;
 * assertThat(OperatorMetricNames.missingFrom(StackLayout.locate().repoRoot(), scrape)).isEmpty();
 * }</pre>
 *
 * <p>What counts as a metric name in an expression: an identifier outside string literals, label matchers
 * ({@code {...}}), ranges ({@code [...]}) and grouping lists ({@code by/without/on/ignoring/group_left/group_right
 * (...)}), not followed by {@code (} (a function or aggregation), not a PromQL keyword, not a Grafana variable
 * ({@code $job}, {@code ${job}}), and without a colon (recorded series, {@code level:metric:operation}, are defined
 * by the rules themselves; so are names after {@code record:}). Grafana's {@code label_values(metric, label)} counts
 * its metric. A histogram's {@code X_bucket} is reported as {@code X}, and so are {@code X_sum} and {@code X_count}
 * when {@code X_bucket} is used too.
 */
public final class OperatorMetricNames {

    /** Series Prometheus makes itself for each target, never the exporter's: not looked for in a scrape. */
    public static final Set<String> PROMETHEUS_OWN = Set.of("up", "scrape_duration_seconds", "scrape_samples_scraped",
            "scrape_samples_post_metric_relabeling", "scrape_series_added");

    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "by", "without", "on", "ignoring",
            "group_left", "group_right", "offset", "bool", "inf", "nan", "atan2",
            "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values", "bottomk", "topk",
            "quantile", "limitk", "limit_ratio");
    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
    private static final Pattern GRAFANA_VARIABLE = Pattern.compile("\\$\\{[^}]*}|\\$\\w+");
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\s*\\(([^,()]*?)\\s*,\\s*\\w+\\s*\\)");
    private static final Pattern LABEL_VALUES_OF_LABEL = Pattern.compile("label_values\\s*\\(\\s*\\w+\\s*\\)");
    private static final Pattern BRACES = Pattern.compile("\\{[^}]*}");
    private static final Pattern BRACKETS = Pattern.compile("\\[[^]]*]");
    private static final Pattern GROUPING = Pattern.compile(
            "\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern TOKEN = Pattern.compile("(\\d[\\w.]*)|([A-Za-z_:][\\w:]*)(\\s*\\()?");
    private static final Pattern SAMPLE = Pattern.compile("(?m)^([A-Za-z_:][\\w:]*)[{ ]");
    private static final Pattern TYPE = Pattern.compile("(?m)^# TYPE ([A-Za-z_:][\\w:]*) (histogram|summary|gaugehistogram)\\b");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    private OperatorMetricNames() {
    }

    /** Every metric name the dashboards and rules under {@code repositoryRoot} read, sorted. */
    public static Set<String> usedBy(Path repositoryRoot) {
        Set<String> names = new TreeSet<>();
        Set<String> recorded = new TreeSet<>();
        for (String expression : expressions(repositoryRoot, recorded)) {
            names.addAll(metricNamesIn(expression));
        }
        names.removeAll(recorded);
        return histogramBases(names);
    }

    /**
     * The names of {@link #usedBy} that the scrape {@code prometheusText} (the text of {@code /metrics}) does not
     * export, sorted; empty when the operator's view has everything it reads. {@link #PROMETHEUS_OWN} names are not
     * looked for. A histogram {@code X} counts as exported when the scrape declares {@code # TYPE X histogram} or
     * has its {@code X_bucket} series.
     */
    public static Set<String> missingFrom(Path repositoryRoot, String prometheusText) {
        Set<String> exported = exportedBy(prometheusText);
        Set<String> missing = new TreeSet<>();
        for (String name : usedBy(repositoryRoot)) {
            if (!PROMETHEUS_OWN.contains(name) && !exported.contains(name)) {
                missing.add(name);
            }
        }
        return missing;
    }

    /** The metric names in a Prometheus text scrape: every sample's name, and each histogram's or summary's base. */
    public static Set<String> exportedBy(String prometheusText) {
        Set<String> names = new TreeSet<>();
        Matcher sample = SAMPLE.matcher(prometheusText);
        while (sample.find()) {
            String name = sample.group(1);
            names.add(name);
            if (name.endsWith("_bucket")) {
                names.add(name.substring(0, name.length() - "_bucket".length()));
            }
        }
        Matcher type = TYPE.matcher(prometheusText);
        while (type.find()) {
            names.add(type.group(1));
        }
        return names;
    }

    /** The metric names one PromQL expression (or Grafana query) reads, as written, sorted. */
    public static Set<String> metricNamesIn(String expression) {
        String text = STRING.matcher(expression).replaceAll(" ");
        text = GRAFANA_VARIABLE.matcher(text).replaceAll(" ");
        text = LABEL_VALUES.matcher(text).replaceAll("($1)");
        text = LABEL_VALUES_OF_LABEL.matcher(text).replaceAll(" ");
        text = BRACES.matcher(text).replaceAll(" ");
        text = BRACKETS.matcher(text).replaceAll(" ");
        text = GROUPING.matcher(text).replaceAll(" ");
        Set<String> names = new TreeSet<>();
        Matcher token = TOKEN.matcher(text);
        while (token.find()) {
            String name = token.group(2);
            if (name == null || token.group(3) != null || KEYWORDS.contains(name.toLowerCase(java.util.Locale.ROOT))
                    || name.contains(":")) {
                continue;
            }
            names.add(name);
        }
        return names;
    }

    /** {@code X_bucket} becomes {@code X}; so do {@code X_sum} and {@code X_count} when {@code X_bucket} is used. */
    private static Set<String> histogramBases(Set<String> names) {
        Set<String> histograms = new TreeSet<>();
        for (String name : names) {
            if (name.endsWith("_bucket")) {
                histograms.add(name.substring(0, name.length() - "_bucket".length()));
            }
        }
        Set<String> result = new TreeSet<>();
        for (String name : names) {
            String base = name.replaceFirst("_(bucket|sum|count)$", "");
            result.add(histograms.contains(base) ? base : name);
        }
        return result;
    }

    /** Every PromQL expression of the dashboards and the rule files; names defined by {@code record:} into {@code recorded}. */
    static List<String> expressions(Path root, Set<String> recorded) {
        List<String> expressions = new ArrayList<>();
        for (Path dashboard : dashboards(root)) {
            collectDashboardQueries(read(JSON, dashboard), expressions);
        }
        for (Path rules : ruleFiles(root)) {
            for (JsonNode group : read(YAML, rules).path("groups")) {
                for (JsonNode rule : group.path("rules")) {
                    if (rule.hasNonNull("record")) {
                        recorded.add(rule.get("record").asText());
                    }
                    if (rule.hasNonNull("expr")) {
                        expressions.add(rule.get("expr").asText());
                    }
                }
            }
        }
        return expressions;
    }

    /** The dashboards: every {@code *.json} in {@code ops/grafana/dashboards}, sorted. */
    public static List<Path> dashboards(Path root) {
        Path folder = root.resolve("ops/grafana/dashboards");
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
    }

    /** The rule files {@code ops/prometheus/prometheus.yml} loads ({@code rule_files}), resolved beside it. */
    public static List<Path> ruleFiles(Path root) {
        Path config = root.resolve("ops/prometheus/prometheus.yml");
        List<Path> files = new ArrayList<>();
        for (JsonNode file : read(YAML, config).path("rule_files")) {
            files.add(config.resolveSibling(file.asText()));
        }
        return files;
    }

    /** The queries of every panel (rows' nested panels too) and of every query variable. */
    private static void collectDashboardQueries(JsonNode dashboard, List<String> into) {
        for (JsonNode panel : dashboard.path("panels")) {
            collectPanelQueries(panel, into);
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            JsonNode query = variable.path("query");
            String text = query.isTextual() ? query.asText() : query.path("query").asText("");
            if ("query".equals(variable.path("type").asText()) && !text.isBlank()) {
                into.add(text);
            }
        }
    }

    private static void collectPanelQueries(JsonNode panel, List<String> into) {
        for (JsonNode target : panel.path("targets")) {
            if (target.hasNonNull("expr")) {
                into.add(target.get("expr").asText());
            }
        }
        for (JsonNode nested : panel.path("panels")) {
            collectPanelQueries(nested, into);
        }
    }

    private static JsonNode read(ObjectMapper mapper, Path file) {
        try {
            return mapper.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + file, e);
        }
    }
}
