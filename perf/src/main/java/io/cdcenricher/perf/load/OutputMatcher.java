package io.cdcenricher.perf.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdcenricher.enricher.DeadLetter;
import io.cdcenricher.enricher.EnrichedEventContract;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the output and dead-letter topics ({@code read_committed}, from their end when the run starts, no consumer
 * group: the tool commits nothing on a shared cluster) and matches each record to the event it came from by the
 * {@link LoadTag} header. Records of other runs or of real traffic are counted as foreign and otherwise ignored.
 * For each of this run's events it records the latency from the intended send time to now, and for an output record
 * the statuses of its {@code enrichment} object, for a dead letter its {@code dlq.reason}.
 */
public final class OutputMatcher implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String outputTopic;
    private final String deadLetterTopic;
    private final String runId;
    private final EventCodec codec;
    private final List<StepTally> steps = new CopyOnWriteArrayList<>();
    private final AtomicLong received = new AtomicLong();
    // The latencies of events received once, all steps, for the timeline: a Recorder, because the sampler takes
    // them a second at a time while this thread records, without a lock on the hot path.
    private final Recorder receivedLatencies = new Recorder(StepTally.HIGHEST_MICROS, 3);
    private final AtomicLong foreign = new AtomicLong();
    private final AtomicLong unreadable = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean closing;
    private Thread thread;

    /**
     * @param consumerProperties the client settings; isolation, offsets and deserializers are set here
     * @param deadLetterTopic    null when dead letters are not read
     */
    public OutputMatcher(Properties consumerProperties, String outputTopic, String deadLetterTopic, String runId,
                         EventCodec codec) {
        Properties props = new Properties();
        props.putAll(consumerProperties);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "cdc-enricher-load-matcher");
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.outputTopic = outputTopic;
        this.deadLetterTopic = deadLetterTopic;
        this.runId = runId;
        this.codec = codec;
    }

    /** Assigns every partition at its end offset (before anything is sent), then reads on its own thread. */
    public void start() {
        List<TopicPartition> partitions = new ArrayList<>(partitions(outputTopic));
        if (deadLetterTopic != null) {
            partitions.addAll(partitions(deadLetterTopic));
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // resolves the end offsets now, not at the first poll
        thread = new Thread(this::loop, "load-matcher");
        thread.setDaemon(true);
        thread.start();
    }

    private List<TopicPartition> partitions(String topic) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("topic " + topic + " has no partitions (does it exist?)");
        }
        return infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
    }

    /** Steps are added as they start; a received event is matched to the step whose sequence range holds it. */
    public void addStep(StepTally step) {
        steps.add(step);
    }

    /** This run's events received once, all steps. */
    public long received() {
        return received.get();
    }

    /**
     * Moves the latencies (µs) of this run's events received once since the last call into {@code into} (overwriting
     * it), warm-up included: the timeline's latencies of one second.
     */
    public void takeReceivedLatencies(Histogram into) {
        receivedLatencies.getIntervalHistogramInto(into);
    }

    /** Records of other runs or of real traffic seen on the output and dead-letter topics. */
    public long foreign() {
        return foreign.get();
    }

    /** This run's output records whose statuses could not be read. */
    public long unreadable() {
        return unreadable.get();
    }

    /** The error that stopped the reading thread, if any. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure.get());
    }

    private void loop() {
        try {
            while (!closing) {
                var records = consumer.poll(Duration.ofMillis(100));
                long now = nowMicros();
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    accept(record, now);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (Throwable t) {
            failure.compareAndSet(null, t);
        }
    }

    /** Matches one record received at {@code nowMicros}; package-private for the tests. */
    void accept(ConsumerRecord<byte[], byte[]> record, long nowMicros) {
        Optional<LoadTag.Id> tag = LoadTag.read(record.headers());
        if (tag.isEmpty() || !tag.get().runId().equals(runId)) {
            foreign.incrementAndGet();
            return;
        }
        long seq = tag.get().seq();
        StepTally step = stepOf(seq);
        if (step == null) {
            foreign.incrementAndGet();
            return;
        }
        long latency = nowMicros - tag.get().intendedMicros();
        boolean first;
        if (record.topic().equals(deadLetterTopic)) {
            Header reason = record.headers().lastHeader(DeadLetter.REASON);
            first = step.record(seq, latency, Map.of(),
                    reason == null || reason.value() == null ? "unknown" : new String(reason.value(), StandardCharsets.UTF_8));
        } else {
            Map<String, String> statuses = statuses(record);
            first = step.record(seq, latency, statuses, null);
        }
        if (first) {
            received.incrementAndGet();
            receivedLatencies.recordValue(StepTally.clamp(latency));
        }
    }

    private StepTally stepOf(long seq) {
        for (int i = steps.size() - 1; i >= 0; i--) {
            StepTally step = steps.get(i);
            if (seq >= step.firstSeq()) {
                return step.holds(seq) ? step : null;
            }
        }
        return null;
    }

    private Map<String, String> statuses(ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            unreadable.incrementAndGet();
            return Map.of();
        }
        try {
            JsonNode event = JSON.readTree(codec.decode(record.topic(), record.headers(), record.value()));
            JsonNode status = event == null ? null : event.get(EnrichedEventContract.STATUS_FIELD);
            if (status == null || !status.isObject()) {
                unreadable.incrementAndGet();
                return Map.of();
            }
            Map<String, String> statuses = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = status.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> join = it.next();
                statuses.put(join.getKey(), join.getValue().asText());
            }
            return statuses;
        } catch (IOException | RuntimeException e) {
            unreadable.incrementAndGet();
            return Map.of();
        }
    }

    static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    }

    @Override
    public void close() {
        closing = true;
        if (thread != null) {
            consumer.wakeup();
            try {
                thread.join(Duration.ofSeconds(10).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        consumer.close(Duration.ofSeconds(5));
    }
}
