package io.cdcenricher.enricher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.cdcenricher.ops.EnricherProcess;
import io.cdcenricher.ops.Sql;
import io.cdcenricher.ops.Stack;
import io.cdcenricher.ops.StackLayout;
import io.cdcenricher.ops.testing.CapturedDatabase;
import io.cdcenricher.ops.testing.LocalStackExtension;
import io.cdcenricher.ops.testing.OperatorMetricNames;
import io.cdcenricher.ops.testing.TopicReader;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * The status page as an operator sees it: the released jar on the real stack (MariaDB captured by the shipped
 * connector file, a global RocksDB join that waits for late rows and a partitioned in-memory one), traffic that
 * produces every join status and a dead letter, and {@code /} loaded in a real headless Chromium until it shows the
 * live numbers. It takes the screenshot the enricher README shows: {@code -Dstatus.page.screenshot.update=true}
 * copies it to {@code enricher/docs/status-page.png}.
 *
 * <p>The browser is Debian's chromium with its chromedriver ({@code .ci/run} installs both); without them the test
 * fails, it is never skipped, and Selenium is told where both are so it downloads nothing.
 */
@Tag("integration")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@ExtendWith(LocalStackExtension.class)
class StatusPageIT {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /** Set to {@code true} to copy the screenshot over the one the enricher README shows. */
    static final String UPDATE_SCREENSHOT = "status.page.screenshot.update";
    private static final String DATABASE = "status_page_it";
    private static final String PREFIX = "statuspage";
    private static final String KAFKA_SECRET = "status-page-Secret-5c2b";
    private static final Duration PAGE = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private EnricherProcess enricher;
    private WebDriver browser;
    private Stack stack;
    /** {@code /metrics} as scraped once the traffic is through: see {@link #metricsAfterTraffic()}. */
    private String metricsAfterTraffic;

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (enricher != null) {
            enricher.stop();
        }
    }

    @Test
    void theStatusPageShowsEachJoinsLiveNumbersInARealBrowser(Stack stack) throws Exception {
        this.stack = stack;
        requireBrowser();
        CapturedDatabase capture = CapturedDatabase.create(stack, dir, DATABASE, PREFIX, Map.of());
        try {
            String products = PREFIX + "." + DATABASE + ".products";
            // Created after the snapshot: the connector's include list captures it from the binlog. p-2's DELETE
            // leaves a tombstone, so events for it see `deleted`.
            sql("CREATE TABLE products (id VARCHAR(20) PRIMARY KEY, title VARCHAR(50))",
                    "INSERT INTO products VALUES ('p-1', 'Desk lamp'), ('p-2', 'Stool')",
                    "DELETE FROM products WHERE id = 'p-2'");
            try (TopicReader table = new TopicReader(stack.settings().bootstrapServers(), products)) {
                table.readUntil(Duration.ofSeconds(60), seen -> seen.size() >= 3);
            }
            String events = DATABASE + ".orders";
            stack.createTopics(2, Map.of(), events, events + ".enriched", events + ".dlq");
            stack.awaitTopics(Duration.ofSeconds(60), capture.heartbeatTopic());
            Path config = Files.writeString(dir.resolve("enricher.yaml"), """
                    applicationId: status-page-it
                    bootstrapServers: %s
                    kafka:
                      state.dir: %s
                      commit.interval.ms: 100
                      ssl.truststore.password: %s
                    topics:
                      events: %s
                      output: %s.enriched
                      deadLetter: %s.dlq
                    joins:
                      - name: customer
                        topic: %s
                        foreignKey: customerId
                        fields: [name, tier]
                        onMiss: wait
                        maxWait: 90s
                        heartbeatTopic: %s
                        maxCaptureLag: 60s
                      - name: product
                        topic: %s
                        foreignKey: productId
                        fields: [title]
                        materialization: partitioned
                        store: in-memory
                        appliesTo: [create]
                    """.formatted(stack.settings().bootstrapServers(), dir.resolve("state"), KAFKA_SECRET, events,
                    events, events, capture.topic(), capture.heartbeatTopic(), products));
            OperationsEndpoint endpoint = OperationsEndpoint.onFreePort();
            enricher = new EnricherProcess(stack.layout(), dir);
            enricher.start(config, endpoint.args());
            await().atMost(Duration.ofSeconds(90)).until(() -> endpoint.status("/ready") == 200);

            browser = chromium();
            browser.get("http://127.0.0.1:" + endpoint.port() + "/");
            awaitPage(() -> {
                assertThat(attribute("#ready", "data-ready")).isEqualTo("true");
                assertThat(attribute("#health", "data-status")).isEqualTo("UP");
                assertThat(text("#streams-state")).isEqualTo("RUNNING");
            });

            try (KafkaProducer<String, String> producer = new KafkaProducer<>(stack.producerProperties(),
                    new StringSerializer(), new StringSerializer())) {
                send(producer, events, "o-1", "{\"type\":\"create\",\"customerId\":1,\"productId\":\"p-1\"}");
                send(producer, events, "o-1", "{\"type\":\"update\",\"customerId\":1,\"productId\":\"p-1\"}");
                send(producer, events, "o-2", "{\"type\":\"create\",\"customerId\":1,\"productId\":\"p-2\"}");
                send(producer, events, "o-3", "{\"type\":\"create\",\"customerId\":1,\"productId\":\"p-404\"}");
                send(producer, events, "o-4", "{\"type\":\"create\",\"customerId\":");
                // Customer 7 does not exist yet: the event waits, the page shows it held, then its row comes.
                send(producer, events, "o-5", "{\"type\":\"create\",\"customerId\":7,\"productId\":\"p-1\"}");
                awaitPage(() -> {
                    assertThat(attribute("#wait-buffer [data-field='records']", "data-value")).isEqualTo("1");
                    assertThat(Long.parseLong(attribute("#wait-buffer [data-field='oldestAgeMs']", "data-value")))
                            .isPositive();
                });
                capture.insertCustomer(7);
            }

            awaitPage(() -> {
                assertThat(total("customer", "hit")).isEqualTo(4);
                assertThat(rate("customer", "hit")).as("a rate over the last minute").isPositive();
                assertThat(total("customer", "late")).isEqualTo(1);
                assertThat(total("product", "hit")).isEqualTo(2);
                assertThat(rate("product", "hit")).isPositive();
                assertThat(total("product", "skipped")).isEqualTo(1);
                assertThat(total("product", "deleted")).isEqualTo(1);
                assertThat(total("product", "miss")).isEqualTo(1);
                assertThat(attribute("#dead-letters tr[data-reason='malformed-json']", "data-total")).isEqualTo("1");
                assertThat(attribute("#dead-letters-total", "data-value")).isEqualTo("1");
                assertThat(attribute("#wait-buffer [data-field='records']", "data-value")).isEqualTo("0");
                // A global store holds the whole table: the rows of customers, exactly (inserted once each).
                assertThat(joinField("customer", "rowsHeld")).isEqualTo(Long.toString(rows("customers")));
                // The partitioned in-memory store counts exactly too: product p-1 and the deletion marker of p-2.
                assertThat(joinField("product", "rowsHeld")).isEqualTo(Long.toString(rows("products") + 1));
                assertThat(joinField("customer", "lastUpdate")).isNotEmpty();
                assertThat(joinField("product", "lastUpdate")).isNotEmpty();
                assertThat(joinField("product", "materialization")).isEqualTo("partitioned");
                assertThat(attribute("#partitions tr[data-topic='" + events + "'] [data-field='active']", "textContent"))
                        .isEqualTo("0, 1");
                assertThat(browser.findElement(By.id("error")).isDisplayed()).isFalse();
            });
            // Task metrics (the wait buffer's) reach /metrics at the binder's next look for new metrics.
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                metricsAfterTraffic = endpoint.get("/metrics").body();
                assertMetricsExported(metricsAfterTraffic);
            });

            String page = browser.getPageSource();
            String json = endpoint.get("/status.json").body();
            for (String secret : new String[] {KAFKA_SECRET, capture.password()}) {
                assertThat(page).as("no secret on the page").doesNotContain(secret);
                assertThat(json).as("no secret in status.json").doesNotContain(secret);
            }
            screenshot();
        } finally {
            stack.connectRest().delete(capture.connector());
        }
    }

    /**
     * {@code /metrics} as scraped after the traffic, in which every join status ({@code hit}, {@code miss},
     * {@code late}, {@code deleted}, {@code skipped}) and a dead letter ({@code malformed-json}) have happened, and
     * the wait buffer has held an event: the text to check the dashboard's and the alert rules' metric names against.
     */
    String metricsAfterTraffic() {
        return metricsAfterTraffic;
    }

    /** What this test's traffic guarantees the scrape shows, and every metric name the operator's view reads. */
    static void assertMetricsExported(String metrics) {
        for (String status : new String[] {"hit", "miss", "late", "deleted", "skipped"}) {
            assertThat(metrics).containsPattern("enricher_join_total\\{join=\"[a-z]+\",status=\"" + status
                    + "\"} [1-9]");
        }
        assertThat(metrics).contains("enricher_dead_letter_total{reason=\"malformed-json\"} 1.0")
                .contains("enricher_capture_lag_seconds{join=\"customer\"}")
                .contains("enricher_end_to_end_latency_seconds_bucket")
                .contains("wait_buffer_records").contains("wait_buffer_oldest_age_ms");
        // Every name the shipped dashboard and alert rules read is exported by this running enricher: a renamed
        // metric breaks this test, not an operator's dashboard.
        assertThat(OperatorMetricNames.missingFrom(StackLayout.locate().repoRoot(), metrics))
                .as("metric names used by ops/grafana and ops/prometheus but not exported").isEmpty();
    }

    /** Fails, never skips, when the browser is missing: a status page nobody loaded is not tested. */
    private static void requireBrowser() {
        for (Path binary : new Path[] {CHROMIUM, CHROMEDRIVER}) {
            if (!Files.isExecutable(binary)) {
                fail(binary + " is missing: the status page test needs Debian's chromium and chromium-driver "
                        + "(sudo apt-get install -y chromium chromium-driver; .ci/run installs them)");
            }
        }
    }

    private WebDriver chromium() throws IOException {
        // Both paths given: Selenium Manager would otherwise try to download a driver and a browser.
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1360,900",
                "--user-data-dir=" + Files.createDirectories(dir.resolve("chromium-profile")));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withLogFile(dir.resolve("chromedriver.log").toFile())
                .build();
        return new ChromeDriver(service, options);
    }

    /**
     * Polls the page until {@code check} passes. The page redraws itself every 2 s, so an element found a moment ago
     * may be gone (stale) or not there yet: both mean "look again". One predicate names both, because each
     * {@code ignoreExceptions...} call of Awaitility replaces the previous one (a second call let stale elements
     * fail the test in CI).
     */
    private static void awaitPage(org.awaitility.core.ThrowingRunnable check) {
        await().atMost(PAGE).pollInterval(Duration.ofMillis(500))
                .ignoreExceptionsMatching(e -> e instanceof StaleElementReferenceException
                        || e instanceof NoSuchElementException)
                .untilAsserted(check);
    }

    private String attribute(String css, String name) {
        var element = browser.findElement(By.cssSelector(css));
        return name.equals("textContent") ? element.getDomProperty("textContent") : element.getDomAttribute(name);
    }

    private String text(String css) {
        return browser.findElement(By.cssSelector(css)).getText();
    }

    private long total(String join, String status) {
        return Long.parseLong(attribute(statusCell(join, status), "data-total"));
    }

    private double rate(String join, String status) {
        String rate = attribute(statusCell(join, status), "data-rate");
        return rate == null || rate.isEmpty() ? 0 : Double.parseDouble(rate);
    }

    private static String statusCell(String join, String status) {
        return "#joins tr[data-join='" + join + "'] td[data-status='" + status + "']";
    }

    private String joinField(String join, String field) {
        return attribute("#joins tr[data-join='" + join + "'] td[data-field='" + field + "']", "data-value");
    }

    private void screenshot() throws IOException {
        Path shot = Path.of("target", "status-page.png");
        Files.createDirectories(shot.getParent());
        Files.write(shot, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        if (Boolean.getBoolean(UPDATE_SCREENSHOT)) {
            Path docs = StackLayout.locate().repoRoot().resolve("enricher/docs/status-page.png");
            Files.createDirectories(docs.getParent());
            Files.copy(shot, docs, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void send(KafkaProducer<String, String> producer, String topic, String key, String value)
            throws Exception {
        producer.send(new ProducerRecord<>(topic, key, value)).get(10, TimeUnit.SECONDS);
    }

    private void sql(String... statements) throws Exception {
        try (Connection db = stack.mariadb().adminConnection(DATABASE)) {
            Sql.execute(db, statements);
        }
    }

    private long rows(String table) throws Exception {
        try (Connection db = stack.mariadb().adminConnection(DATABASE);
             Statement statement = db.createStatement();
             ResultSet count = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
            count.next();
            return count.getLong(1);
        }
    }
}
