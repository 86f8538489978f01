package io.cdcenricher.enricher;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdcenricher.enricher.capture.CaptureLag;
import io.cdcenricher.enricher.config.EnricherConfig;
import io.cdcenricher.enricher.config.EnricherConfigLoader;
import io.cdcenricher.enricher.http.Health;
import io.cdcenricher.enricher.http.OperationsServer;
import io.cdcenricher.enricher.http.StatusSnapshot;
import io.cdcenricher.enricher.http.TableAnswer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The status page's numbers, from the same meters the topology increments: what a snapshot holds before a Kafka
 * Streams client exists, and the JSON shape {@code /status.json} answers with (the page and operators' scripts
 * read these names).
 */
class StatusCollectorTest {

    private static final String SECRET = "kafka-Secret-4d1e";
    private static final EnricherConfig CONFIG = EnricherConfigLoader.parse("""
            applicationId: status-test
            bootstrapServers: 127.0.0.1:9092
            kafka:
              ssl.truststore.password: %s
            topics: {events: orders, output: orders.enriched, deadLetter: orders.dlq}
            joins:
              - name: customer
                topic: shop.customers
                foreignKey: customerId
                heartbeatTopic: __debezium-heartbeat.shop
                maxCaptureLag: 15s
              - name: product
                topic: shop.products
                foreignKey: productId
                materialization: partitioned
                store: in-memory
                appliesTo: [create]
            """.formatted(SECRET));

    private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final CaptureLag captureLag = new CaptureLag(CONFIG.joins());
    private final StatusCollector collector = new StatusCollector(CONFIG, registry, captureLag, () -> Health.UP,
            now::get);
    private final MicrometerEnrichmentMetrics metrics = new MicrometerEnrichmentMetrics(registry, CONFIG.joins(),
            captureLag);

    @Test
    void countsAndRatesComeFromTheEnrichmentMetersAndOnlyReasonsThatHappenedAreListed() {
        now.addAndGet(10_000);
        for (int i = 0; i < 20; i++) {
            metrics.enriched(new JoinStatus[] {JoinStatus.HIT, JoinStatus.SKIPPED}, now.get());
        }
        metrics.enriched(new JoinStatus[] {JoinStatus.LATE, JoinStatus.DELETED}, now.get());
        metrics.deadLettered(DeadLetter.Reason.MALFORMED_JSON);
        metrics.tableRowTimes("customer").accept(now.get() - 500);
        metrics.staleTableRows("customer").run();

        StatusSnapshot snapshot = collector.collect(null, null);

        assertThat(snapshot.streamsState()).isEqualTo(StatusSnapshot.STARTING);
        assertThat(snapshot.ready()).isFalse();
        assertThat(snapshot.rateWindowSeconds()).as("measured from start-up, when every counter was 0")
                .isEqualTo(10.0);
        StatusSnapshot.Join customer = snapshot.joins().get(0);
        assertThat(customer.totals()).containsExactly(java.util.Map.entry("hit", 20L), java.util.Map.entry("miss", 0L),
                java.util.Map.entry("deleted", 0L), java.util.Map.entry("skipped", 0L), java.util.Map.entry("late", 1L));
        assertThat(customer.perSecond()).containsEntry("hit", 2.0).containsEntry("late", 0.1);
        assertThat(customer.rowsHeld()).as("no client, no store to ask").isNull();
        assertThat(customer.lastUpdate()).isEqualTo(now.get() - 500);
        assertThat(customer.lastUpdateAppliedAt()).isNotNull();
        assertThat(customer.maxCaptureLagSeconds()).isEqualTo(15.0);
        assertThat(customer.staleRowsSkipped()).isEqualTo(1);
        StatusSnapshot.Join product = snapshot.joins().get(1);
        assertThat(product.materialization()).isEqualTo("partitioned");
        assertThat(product.store()).isEqualTo("in-memory");
        assertThat(product.totals()).containsEntry("skipped", 20L).containsEntry("deleted", 1L);
        assertThat(product.lastUpdate()).isNull();
        assertThat(product.maxCaptureLagSeconds()).isNull();
        assertThat(product.staleRowsSkipped()).isZero();
        assertThat(snapshot.deadLetters()).containsExactly(new StatusSnapshot.DeadLetters("malformed-json", 1, 0.1));
        assertThat(snapshot.deadLettersTotal()).isEqualTo(1);
        assertThat(snapshot.partitions()).isEqualTo(StatusSnapshot.Partitions.NONE);
        assertThat(snapshot.waitBuffer()).isEqualTo(new StatusSnapshot.WaitBuffer(0, 0, 0));
    }

    @Test
    void statusJsonHasTheShapeThePageReadsAndNoSecret() throws Exception {
        metrics.enriched(new JoinStatus[] {JoinStatus.HIT, JoinStatus.MISS}, now.get());
        metrics.deadLettered(DeadLetter.Reason.UNKNOWN_EVENT_TYPE);
        now.addAndGet(2_000);
        try (OperationsServer server = new OperationsServer(new InetSocketAddress("127.0.0.1", 0), () -> Health.UP,
                () -> "starting", () -> false, () -> "", (join, key) -> new TableAnswer.Missing(),
                () -> collector.collect(null, null)).start()) {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/status.json")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
            assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
            assertThat(response.body()).doesNotContain(SECRET);
            JsonNode json = new ObjectMapper().readTree(response.body());
            assertThat(fieldNames(json)).containsExactly("applicationId", "generatedAt", "streamsState", "ready",
                    "readiness", "health", "rateWindowSeconds", "joins", "deadLetters", "deadLettersTotal",
                    "partitions", "waitBuffer");
            assertThat(json.path("applicationId").asText()).isEqualTo("status-test");
            assertThat(json.path("generatedAt").asLong()).isEqualTo(now.get());
            assertThat(json.path("health").path("status").asText()).isEqualTo("UP");
            assertThat(json.path("health").path("degraded").isArray()).isTrue();
            assertThat(json.path("rateWindowSeconds").asDouble()).isEqualTo(2.0);

            JsonNode customer = json.path("joins").get(0);
            assertThat(fieldNames(customer)).containsExactly("name", "topic", "materialization", "store", "versioned",
                    "rowsHeld", "lastUpdate", "lastUpdateAppliedAt", "captureLagSeconds", "maxCaptureLagSeconds",
                    "totals", "perSecond", "staleRowsSkipped");
            assertThat(customer.path("name").asText()).isEqualTo("customer");
            assertThat(customer.path("topic").asText()).isEqualTo("shop.customers");
            assertThat(customer.path("materialization").asText()).isEqualTo("global");
            assertThat(customer.path("store").asText()).isEqualTo("rocksdb");
            assertThat(customer.path("rowsHeld").isNull()).isTrue();
            assertThat(fieldNames(customer.path("totals"))).containsExactly("hit", "miss", "deleted", "skipped", "late");
            assertThat(customer.path("totals").path("hit").asLong()).isEqualTo(1);
            assertThat(customer.path("perSecond").path("hit").asDouble()).isEqualTo(0.5);
            assertThat(json.path("joins").get(1).path("perSecond").path("miss").asDouble()).isEqualTo(0.5);

            JsonNode deadLetter = json.path("deadLetters").get(0);
            assertThat(fieldNames(deadLetter)).containsExactly("reason", "total", "perSecond");
            assertThat(deadLetter.path("reason").asText()).isEqualTo("unknown-event-type");
            assertThat(json.path("deadLetters")).hasSize(1);
            assertThat(fieldNames(json.path("partitions"))).containsExactly("active", "standby");
            assertThat(fieldNames(json.path("waitBuffer"))).containsExactly("records", "bytes", "oldestAgeMs");
        }
    }

    @Test
    void rightAfterStartUpThereIsNoRateYet() {
        StatusSnapshot snapshot = collector.collect(null, null);

        assertThat(snapshot.rateWindowSeconds()).isNull();
        assertThat(snapshot.joins().get(0).perSecond()).isEmpty();
        assertThat(snapshot.joins().get(0).totals()).containsEntry("hit", 0L);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
