package io.cdcenricher.enricher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdcenricher.ops.EnricherProcess;
import io.cdcenricher.ops.Stack;
import io.cdcenricher.ops.testing.CapturedDatabase;
import io.cdcenricher.ops.testing.LocalStackExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Stale capture as the enricher sees it, on the real stack with the shipped connector file: a quiet table with a live
 * connector stays UP; when the connector's user loses its replication grant (its task fails or hangs, Connect may
 * still say RUNNING), {@code /health} turns DEGRADED naming the join within twice the quiet heartbeat cadence and
 * {@code ops/connectors status} exits non-zero; the grant back and a restart clear both.
 */
@Tag("integration")
@Timeout(value = 6, unit = TimeUnit.MINUTES)
@ExtendWith(LocalStackExtension.class)
class CaptureLagIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DATABASE = "capture_lag_it";
    /**
     * How often connectors/debezium-mariadb.json writes a heartbeat on a quiet database: with each replication
     * heartbeat of the server, every 0.8 x connect.keep.alive.interval.ms (5 s).
     */
    private static final Duration QUIET_HEARTBEATS = Duration.ofSeconds(4);
    private static final Duration MAX_CAPTURE_LAG = Duration.ofSeconds(7);
    private static final Pattern LAG_METRIC = Pattern.compile(
            "enricher_capture_lag_seconds\\{join=\"customer\"} ([0-9.E]+)");

    @TempDir
    Path dir;

    private EnricherProcess enricher;
    private final AtomicInteger nextId = new AtomicInteger(1000);

    @AfterEach
    void stop() {
        if (enricher != null) {
            enricher.stop();
        }
    }

    @Test
    void healthDegradesNamingTheJoinWhenCaptureStopsAndRecoversWithIt(Stack stack) throws Exception {
        CapturedDatabase capture = CapturedDatabase.create(stack, dir, DATABASE, "lagit", Map.of());
        try {
            String events = DATABASE + ".orders";
            stack.createTopics(1, Map.of(), events, events + ".enriched", events + ".dlq");
            stack.awaitTopics(Duration.ofSeconds(60), capture.heartbeatTopic());
            Path config = Files.writeString(dir.resolve("enricher.yaml"), """
                    applicationId: capture-lag-it
                    bootstrapServers: %s
                    kafka:
                      state.dir: %s
                    topics:
                      events: %s
                      output: %s.enriched
                      deadLetter: %s.dlq
                    joins:
                      - name: customer
                        topic: %s
                        foreignKey: customerId
                        heartbeatTopic: %s
                        maxCaptureLag: %ds
                    """.formatted(stack.settings().bootstrapServers(), dir.resolve("state"), events, events, events,
                    capture.topic(), capture.heartbeatTopic(), MAX_CAPTURE_LAG.toSeconds()));
            OperationsEndpoint endpoint = OperationsEndpoint.onFreePort();
            enricher = new EnricherProcess(stack.layout(), dir);
            enricher.start(config, endpoint.args());
            await().atMost(Duration.ofSeconds(90)).until(() -> endpoint.status("/ready") == 200);

            // Nothing changes in the database: the heartbeats alone keep the join current.
            await().during(MAX_CAPTURE_LAG.multipliedBy(3)).atMost(MAX_CAPTURE_LAG.multipliedBy(4))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> health(endpoint).path("status").asText(), "UP"::equals);
            assertThat(captureLag(endpoint)).isLessThan(MAX_CAPTURE_LAG.toSeconds());

            capture.blockReplication();
            await().atMost(QUIET_HEARTBEATS.multipliedBy(2)).pollInterval(Duration.ofMillis(100))
                    .until(() -> health(endpoint).path("status").asText(), "DEGRADED"::equals);
            JsonNode degraded = health(endpoint).path("degraded").get(0);
            assertThat(degraded.path("join").asText()).isEqualTo("customer");
            assertThat(degraded.path("captureLagSeconds").asDouble()).isGreaterThan(MAX_CAPTURE_LAG.toSeconds());
            assertThat(degraded.path("reason").asText()).contains("the connector is not capturing");
            assertThat(endpoint.status("/health")).as("a liveness probe must not restart the enricher").isEqualTo(200);
            assertThat(captureLag(endpoint)).isGreaterThan(MAX_CAPTURE_LAG.toSeconds());
            awaitStatusExit(capture, code -> code != 0);

            capture.allowReplication();
            stack.connectRest().restart(capture.connector());
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                    .until(() -> health(endpoint).path("status").asText(), "UP"::equals);
            awaitStatusExit(capture, code -> code == 0);

            enricher.stop();
            String log = Files.readString(enricher.process().logFile());
            assertThat(log).contains("Reading heartbeats of join(s) [customer] from " + capture.heartbeatTopic())
                    .contains("Join 'customer': capture lag").contains("/health reports DEGRADED")
                    .contains("Join 'customer': capture lag back within bound");
            assertThat(log.contains(capture.password())).as("no password in the enricher's log").isFalse();
        } finally {
            stack.connectRest().delete(capture.connector());
        }
    }

    private static JsonNode health(OperationsEndpoint endpoint) throws Exception {
        return JSON.readTree(endpoint.get("/health").body());
    }

    private static double captureLag(OperationsEndpoint endpoint) throws Exception {
        Matcher lag = LAG_METRIC.matcher(endpoint.get("/metrics").body());
        assertThat(lag.find()).as("enricher_capture_lag_seconds{join=\"customer\"} is exported").isTrue();
        return Double.parseDouble(lag.group(1));
    }

    /** Runs {@code ops/connectors status} until its exit code passes, with a new row before each run. */
    private void awaitStatusExit(CapturedDatabase capture, IntPredicate expected) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            // A stall shows only while changes wait.
            capture.insertCustomer(nextId.getAndIncrement());
            CapturedDatabase.StatusRun run = capture.runStatus();
            assertThat(expected.test(run.exitCode())).as(run.output()).isTrue();
        });
    }
}
