package io.cdcenricher.enricher;

import io.cdcenricher.enricher.config.EnricherConfig;
import io.cdcenricher.enricher.config.EnricherConfigLoader;
import io.cdcenricher.enricher.internals.StartupGate;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * The real topology ({@link EnrichmentTopology#build}) in a {@link TopologyTestDriver}, with string-typed
 * topics and fixed timestamps: each piped record is one second after the previous one, starting at {@link #T0}.
 * The driver's wall clock starts at {@link #T0} too and moves only by {@link #advance}, which fires wall-clock
 * punctuations (the wait buffer's checks).
 */
final class EnricherFixture implements AutoCloseable {

    static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
    static final String EVENTS = "shop.orders";
    static final String OUTPUT = "shop.orders.enriched";
    static final String DEAD_LETTER = "shop.orders.dlq";
    static final String CUSTOMERS = "demo.shop.customers";
    static final String PRODUCTS = "demo.shop.products";

    /** A config with one customer join copying name and tier; {@code joinExtras} adds lines to that join. */
    static String customerJoinYaml(String joinExtras) {
        return """
                applicationId: enricher-test
                bootstrapServers: 127.0.0.1:9
                topics:
                  events: shop.orders
                  output: shop.orders.enriched
                  deadLetter: shop.orders.dlq
                joins:
                  - name: customer
                    topic: demo.shop.customers
                    foreignKey: customerId
                    fields: [name, tier]
                """ + joinExtras.indent(4);
    }

    private final TopologyTestDriver driver;
    private final TestInputTopic<String, String> events;
    private final TestInputTopic<byte[], byte[]> rawEvents;
    private final Map<String, TestInputTopic<String, String>> tables = new HashMap<>();
    private final TestOutputTopic<String, String> output;
    private final TestOutputTopic<String, String> deadLetter;
    private final TestOutputTopic<byte[], byte[]> rawOutput;
    private final TestOutputTopic<byte[], byte[]> rawDeadLetter;
    private Instant next = T0;

    EnricherFixture(String yaml, Path stateDir) {
        this(yaml, stateDir, StartupGate.open());
    }

    /** With a start-up gate for the partitioned joins, as the application captures it ({@code StartupGateCapture}). */
    EnricherFixture(String yaml, Path stateDir, StartupGate gate) {
        this(yaml, stateDir, gate, EnrichmentMetrics.NONE);
    }

    /** Reporting what the topology writes to {@code metrics}. */
    EnricherFixture(String yaml, Path stateDir, StartupGate gate, EnrichmentMetrics metrics) {
        EnricherConfig config = EnricherConfigLoader.parse(yaml);
        Properties props = config.streamsProperties();
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(EnrichmentTopology.build(config,
                TopologyOptions.defaults().withGate(gate).withMetrics(metrics)), props, T0);
        StringSerializer s = new StringSerializer();
        StringDeserializer d = new StringDeserializer();
        events = driver.createInputTopic(config.topics().events(), s, s);
        rawEvents = driver.createInputTopic(config.topics().events(), new ByteArraySerializer(),
                new ByteArraySerializer());
        config.joins().forEach(join -> tables.put(join.topic(), driver.createInputTopic(join.topic(), s, s)));
        output = driver.createOutputTopic(config.topics().output(), d, d);
        deadLetter = driver.createOutputTopic(config.topics().deadLetter(), d, d);
        rawOutput = driver.createOutputTopic(config.topics().output(), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        rawDeadLetter = driver.createOutputTopic(config.topics().deadLetter(), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }

    EnricherFixture table(String topic, String key, String row) {
        tables.get(topic).pipeInput(key, row, tick());
        return this;
    }

    EnricherFixture customer(String key, String row) {
        return table(CUSTOMERS, key, row);
    }

    EnricherFixture event(String key, String value) {
        events.pipeInput(key, value, tick());
        return this;
    }

    /** Pipes a table record with an explicit timestamp (the piped-record clock is not moved). */
    EnricherFixture tableAt(String topic, String key, String row, Instant timestamp) {
        tables.get(topic).pipeInput(key, row, timestamp);
        return this;
    }

    /** Pipes an event with an explicit timestamp (the piped-record clock is not moved). */
    EnricherFixture eventAt(String key, String value, Instant timestamp) {
        events.pipeInput(key, value, timestamp);
        return this;
    }

    /** Moves the driver's wall clock, firing the wall-clock punctuations that are due. */
    EnricherFixture advance(Duration duration) {
        driver.advanceWallClockTime(duration);
        return this;
    }

    /** The topics the application wrote to so far, internal ones (changelogs) included. */
    java.util.Set<String> producedTopics() {
        return driver.producedTopicNames();
    }

    /** The wait buffer's gauges as the application exposes them. */
    WaitBufferMetrics waitMetrics() {
        return WaitBufferMetrics.of(driver.metrics());
    }

    EnricherFixture rawEvent(byte[] key, byte[] value) {
        rawEvents.pipeInput(key, value, tick());
        return this;
    }

    EnricherFixture rawEvent(byte[] key, byte[] value, Headers headers) {
        rawEvents.pipeInput(new TestRecord<>(key, value, headers, tick()));
        return this;
    }

    EnricherFixture rawEventWithHeaders(String key, String value, Headers headers) {
        events.pipeInput(new TestRecord<>(key, value, headers, tick()));
        return this;
    }

    /** The timestamp the n-th piped record (0-based, events and table records counted together) got. */
    static Instant timestampOf(int n) {
        return T0.plus(Duration.ofSeconds(n));
    }

    List<KeyValue<String, String>> output() {
        return output.readKeyValuesToList();
    }

    List<TestRecord<String, String>> outputRecords() {
        return output.readRecordsToList();
    }

    /** The output as bytes (keys and values that are not UTF-8 stay as they are); reads them like {@link #output}. */
    List<TestRecord<byte[], byte[]>> rawOutputRecords() {
        return rawOutput.readRecordsToList();
    }

    List<TestRecord<byte[], byte[]>> rawDeadLetterRecords() {
        return rawDeadLetter.readRecordsToList();
    }

    List<KeyValue<String, String>> deadLetters() {
        return deadLetter.readKeyValuesToList();
    }

    List<TestRecord<String, String>> deadLetterRecords() {
        return deadLetter.readRecordsToList();
    }

    /** The filtered-events counter, summed over tasks ({@code stream-enricher-metrics} {@code filtered-total}). */
    long filtered() {
        return (long) driver.metrics().entrySet().stream()
                .filter(e -> e.getKey().group().equals("stream-enricher-metrics")
                        && e.getKey().name().equals("filtered-total"))
                .mapToDouble(e -> (Double) e.getValue().metricValue())
                .sum();
    }

    static String header(Headers headers, String name) {
        var header = headers.lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private Instant tick() {
        Instant now = next;
        next = next.plusSeconds(1);
        return now;
    }

    @Override
    public void close() {
        driver.close();
    }
}
