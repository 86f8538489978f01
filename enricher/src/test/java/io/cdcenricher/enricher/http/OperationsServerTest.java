package io.cdcenricher.enricher.http;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The endpoints' contract over real HTTP on a loopback port; the application behind them is stood in by lambdas. */
class OperationsServerTest {

    private final HttpClient client = HttpClient.newHttpClient();
    private final AtomicReference<Health> health = new AtomicReference<>(Health.UP);
    private final AtomicBoolean ready = new AtomicBoolean(false);
    private OperationsServer server;
    private OperationsServer other;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (other != null) {
            other.close();
        }
    }

    private OperationsServer start(TableQueries tables) {
        return new OperationsServer(new InetSocketAddress("127.0.0.1", 0), health::get, () -> "REBALANCING", ready::get,
                () -> "# TYPE enricher_join_total counter\nenricher_join_total{join=\"customer\",status=\"hit\"} 3.0\n",
                tables, () -> null).start();
    }

    private HttpResponse<String> get(OperationsServer target, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + target.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthFollowsLivenessAndNamesEachJoinBehindItsCapture() throws Exception {
        server = start((join, key) -> new TableAnswer.Missing());
        HttpResponse<String> up = get(server, "/health");
        assertThat(up.statusCode()).isEqualTo(200);
        assertThat(up.body()).isEqualTo("{\"status\":\"UP\",\"degraded\":[]}");

        health.set(Health.of(List.of(new Health.Degradation("customer", 12.5, 10.0, "the \"connector\" stopped"))));
        HttpResponse<String> degraded = get(server, "/health");
        assertThat(degraded.statusCode()).as("a liveness probe must not restart the enricher for a stopped connector")
                .isEqualTo(200);
        assertThat(degraded.body()).isEqualTo("{\"status\":\"DEGRADED\",\"degraded\":[{\"join\":\"customer\","
                + "\"captureLagSeconds\":12.5,\"maxCaptureLagSeconds\":10.0,\"reason\":\"the \\\"connector\\\" stopped\"}]}");

        health.set(Health.DOWN);
        assertThat(get(server, "/health").statusCode()).isEqualTo(503);
        assertThat(get(server, "/health").body()).contains("\"status\":\"DOWN\"");
    }

    @Test
    void readyIs503UntilTheApplicationServes() throws Exception {
        server = start((join, key) -> new TableAnswer.Missing());
        HttpResponse<String> notReady = get(server, "/ready");
        assertThat(notReady.statusCode()).isEqualTo(503);
        assertThat(notReady.body()).contains("\"ready\":false").contains("REBALANCING");

        ready.set(true);
        assertThat(get(server, "/ready").statusCode()).isEqualTo(200);
    }

    @Test
    void theStatusPageIsOneSelfContainedHtmlDocument() throws Exception {
        server = start((join, key) -> new TableAnswer.Missing());
        HttpResponse<String> page = get(server, "/");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp ->
                assertThat(csp).contains("default-src 'none'").contains("connect-src 'self'"));
        String html = page.body();
        assertThat(html).startsWith("<!DOCTYPE html>").contains("status.json")
                .contains("id=\"joins\"").contains("id=\"dead-letters\"").contains("id=\"wait-buffer\"")
                .contains("id=\"partitions\"").contains("id=\"ready\"").contains("id=\"health\"");
        assertThat(html.toLowerCase(java.util.Locale.ROOT)).as("no external asset or link")
                .doesNotContain("http://").doesNotContain("https://").doesNotContain("//cdn")
                .doesNotContain("<script src").doesNotContain("@import").doesNotContain("url(");
        assertThat(html.getBytes(StandardCharsets.UTF_8)).as("served as read, once").isEqualTo(
                StatusPage.load().html());
    }

    @Test
    void onlyTheRootPathIsThePage() throws Exception {
        server = start((join, key) -> new TableAnswer.Missing());

        assertThat(get(server, "/nope").statusCode()).isEqualTo(404);
        assertThat(get(server, "/index.html").statusCode()).isEqualTo(404);
        assertThat(get(server, "/nope").body()).contains("/status.json");
    }

    @Test
    void aStatusThatCannotBeGatheredIsUnavailableNotADroppedConnection() throws Exception {
        server = new OperationsServer(new InetSocketAddress("127.0.0.1", 0), health::get, () -> "RUNNING", ready::get,
                () -> "", (join, key) -> new TableAnswer.Missing(), () -> {
                    throw new IllegalStateException("client closed");
                }).start();

        HttpResponse<String> status = get(server, "/status.json");
        assertThat(status.statusCode()).isEqualTo(503);
        assertThat(status.body()).contains("IllegalStateException");
    }

    @Test
    void metricsAreServedInPrometheusTextFormat() throws Exception {
        server = start((join, key) -> new TableAnswer.Missing());
        HttpResponse<String> metrics = get(server, "/metrics");

        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        assertThat(metrics.body()).contains("enricher_join_total{join=\"customer\",status=\"hit\"} 3.0");
    }

    @Test
    void tableLookupAnswersFoundDeletedMissingAndUnknownJoin() throws Exception {
        server = start((join, key) -> switch (join + "/" + key) {
            case "customer/42" -> new TableAnswer.Found("{\"name\":\"Ada\"}".getBytes(StandardCharsets.UTF_8));
            case "customer/7" -> new TableAnswer.Deleted();
            case "customer/a b" -> new TableAnswer.Found("{}".getBytes(StandardCharsets.UTF_8));
            default -> join.equals("customer") ? new TableAnswer.Missing() : new TableAnswer.UnknownJoin(join);
        });

        HttpResponse<String> found = get(server, "/tables/customer/42");
        assertThat(found.statusCode()).isEqualTo(200);
        assertThat(found.body()).isEqualTo("{\"join\":\"customer\",\"key\":\"42\",\"status\":\"found\",\"row\":{\"name\":\"Ada\"}}");
        assertThat(get(server, "/tables/customer/7").body()).contains("\"status\":\"deleted\"");
        assertThat(get(server, "/tables/customer/8").statusCode()).isEqualTo(404);
        assertThat(get(server, "/tables/customer/a%20b").statusCode()).isEqualTo(200);
        assertThat(get(server, "/tables/nope/1").body()).contains("no join named 'nope'");
        assertThat(get(server, "/tables/customer").statusCode()).isEqualTo(400);
    }

    @Test
    void keyHeldByAnotherInstanceIsFetchedFromIt() throws Exception {
        other = start((join, key) -> new TableAnswer.Found("{\"name\":\"remote\"}".getBytes(StandardCharsets.UTF_8)));
        String otherAddress = "127.0.0.1:" + other.port();
        server = start((join, key) -> new TableAnswer.Elsewhere(otherAddress));

        HttpResponse<String> response = get(server, "/tables/customer/42");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"row\":{\"name\":\"remote\"}");
    }

    @Test
    void aFailingLookupIsUnavailableNotAnError() throws Exception {
        server = start((join, key) -> {
            throw new IllegalStateException("store is migrating");
        });

        HttpResponse<String> response = get(server, "/tables/customer/42");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).contains("IllegalStateException");
    }
}
