package io.cdcenricher.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml's Prometheus and Grafana, checked without Docker (none on these machines): the file parses, the
 * services mount folders that exist, their images are pinned in .env, Prometheus scrapes the enricher service where
 * it listens, and Grafana's datasource points at the Prometheus service.
 */
class ComposeOperatorViewTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final Path root = StackLayout.locate().repoRoot();

    private JsonNode services() throws IOException {
        return YAML.readTree(root.resolve("docker-compose.yml").toFile()).path("services");
    }

    @Test
    void prometheusAndGrafanaMountTheRepositorysFolders() throws IOException {
        JsonNode services = services();
        assertThat(mounts(services.path("prometheus"))).containsEntry("./ops/prometheus", "/etc/prometheus:ro");
        assertThat(mounts(services.path("grafana")))
                .containsEntry("./ops/grafana/provisioning", "/etc/grafana/provisioning:ro")
                .containsEntry("./ops/grafana/dashboards", "/var/lib/grafana/dashboards:ro");
        for (String service : List.of("prometheus", "grafana")) {
            for (String source : mounts(services.path(service)).keySet()) {
                assertThat(root.resolve(source)).as("%s mounts %s", service, source).isDirectory();
            }
        }
        assertThat(services.path("prometheus").path("command").toString())
                .contains("--config.file=/etc/prometheus/prometheus.yml");
        // The home dashboard is the provisioned file, as Grafana sees it inside the container.
        assertThat(services.path("grafana").path("environment").path("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH").asText())
                .isEqualTo("/var/lib/grafana/dashboards/cdc-enricher.json");
        assertThat(root.resolve("ops/grafana/dashboards/cdc-enricher.json")).isRegularFile();
    }

    @Test
    void grafanaIsOpenToAnonymousViewersAndItsAdminPasswordComesFromTheEnvironment() throws IOException {
        JsonNode env = services().path("grafana").path("environment");
        assertThat(env.path("GF_AUTH_ANONYMOUS_ENABLED").asText()).isEqualTo("true");
        assertThat(env.path("GF_AUTH_ANONYMOUS_ORG_ROLE").asText()).isEqualTo("Viewer");
        assertThat(env.path("GF_SECURITY_ADMIN_PASSWORD").asText()).startsWith("${GRAFANA_ADMIN_PASSWORD:?");
    }

    @Test
    void theImagesArePinnedInDotEnvAndThePortsAreOnLoopback() throws IOException {
        Map<String, String> dotEnv = Files.readAllLines(root.resolve(".env")).stream()
                .filter(line -> line.contains("=") && !line.startsWith("#"))
                .collect(Collectors.toMap(line -> line.substring(0, line.indexOf('=')),
                        line -> line.substring(line.indexOf('=') + 1)));
        JsonNode services = services();
        assertThat(services.path("prometheus").path("image").asText()).isEqualTo("${PROMETHEUS_IMAGE}");
        assertThat(services.path("grafana").path("image").asText()).isEqualTo("${GRAFANA_IMAGE}");
        assertThat(dotEnv.get("PROMETHEUS_IMAGE")).matches("prom/prometheus:v\\d+\\.\\d+\\.\\d+");
        assertThat(dotEnv.get("GRAFANA_IMAGE")).matches("grafana/grafana:\\d+\\.\\d+\\.\\d+");
        assertThat(texts(services.path("prometheus").path("ports"))).containsExactly("127.0.0.1:9090:9090");
        assertThat(texts(services.path("grafana").path("ports"))).containsExactly("127.0.0.1:3000:3000");
    }

    @Test
    void prometheusScrapesTheEnricherServiceWhereItListens() throws IOException {
        JsonNode services = services();
        List<String> command = texts(services.path("enricher").path("command"));
        String host = command.get(command.indexOf("--http-host") + 1);
        String port = command.get(command.indexOf("--http-port") + 1);
        assertThat(host).as("the enricher must listen beyond its container's loopback").isEqualTo("0.0.0.0");

        JsonNode scrape = YAML.readTree(root.resolve("ops/prometheus/prometheus.yml").toFile())
                .path("scrape_configs").get(0);
        assertThat(scrape.path("job_name").asText()).isEqualTo("cdc-enricher");
        assertThat(texts(scrape.path("static_configs").get(0).path("targets"))).containsExactly("enricher:" + port);
        assertThat(services.path("prometheus").path("depends_on").has("enricher")).isTrue();

        JsonNode datasource = YAML.readTree(root.resolve("ops/grafana/provisioning/datasources/prometheus.yml").toFile())
                .path("datasources").get(0);
        assertThat(datasource.path("url").asText()).isEqualTo("http://prometheus:9090");
    }

    /** "host:container[:mode]" volume entries as host -> the rest. */
    private static Map<String, String> mounts(JsonNode service) {
        return texts(service.path("volumes")).stream()
                .collect(Collectors.toMap(v -> v.substring(0, v.indexOf(':')), v -> v.substring(v.indexOf(':') + 1)));
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }
}
