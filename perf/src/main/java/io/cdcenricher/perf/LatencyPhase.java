package io.cdcenricher.perf;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * End-to-end latency and CDC freshness against a running enricher, measured together:
 * <ul>
 *   <li>an open-loop producer sends events at a fixed rate; each carries its intended send time (epoch micros) in the
 *   header {@value #SENT_HEADER} and as the record timestamp, so a stalled producer does not hide latency
 *   (no coordinated omission); a read_committed consumer on the output records now minus that time;</li>
 *   <li>meanwhile K customer rows per second are UPDATEd in MariaDB with a unique {@code rev}; probe events for each
 *   updated customer are sent every {@value #PROBE_INTERVAL_MS} ms until one comes out carrying the new value;
 *   freshness = that moment minus the UPDATE's commit (autocommit returned).</li>
 * </ul>
 */
final class LatencyPhase {

    static final String SENT_HEADER = "perf.sent.us";
    static final int PROBE_INTERVAL_MS = 10;
    private static final String LOAD_KEY_PREFIX = "l-";
    private static final String PROBE_KEY_PREFIX = "fp-";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** {@code sustained}: at least 90% of the events sent were out when the load stopped (no growing backlog). */
    record Result(RunResults.Latency latency, RunResults.Latency freshness, long sent, long received,
                  double achievedRate, long unresolvedUpdates, boolean sustained) {

        /** Every load event came out: no backlog is left for a next pass. */
        boolean drained() {
            return received >= sent;
        }
    }

    interface Database {
        Connection open() throws SQLException;
    }

    private final String bootstrap;
    private final String eventsTopic;
    private final String outputTopic;
    private final int rows;
    private final Consumer<String> progress;

    private final Histogram latencyMicros = new Histogram(3_600_000_000L, 3);
    private final Histogram freshnessMicros = new Histogram(3_600_000_000L, 3);
    private final Map<Integer, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicLong received = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicBoolean stopped = new AtomicBoolean();

    private record Pending(String rev, long committedMicros) {
    }

    LatencyPhase(String bootstrap, String eventsTopic, String outputTopic, int rows, Consumer<String> progress) {
        this.bootstrap = bootstrap;
        this.eventsTopic = eventsTopic;
        this.outputTopic = outputTopic;
        this.rows = rows;
        this.progress = progress;
    }

    /**
     * @param rate           events/s, or {@link PerfOptions#RATE_MAX} for unthrottled
     * @param warmupSeconds  load before the measurement starts (not recorded; the UPDATEs start after it)
     * @param seconds        how long the load runs after the warm-up
     * @param churn          UPDATEs per second
     * @param churnSeconds   how long the UPDATEs run (from the start of the load)
     */
    Result run(String name, EventGenerator generator, double rate, int warmupSeconds, int seconds, int churn, int churnSeconds,
               Database database, AppUnderTest app) {
        AtomicBoolean loadDone = new AtomicBoolean();
        AtomicBoolean churnDone = new AtomicBoolean();
        AtomicLong sent = new AtomicLong();
        AtomicLong updates = new AtomicLong();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties(),
                new ByteArraySerializer(), new ByteArraySerializer());
             KafkaConsumer<byte[], byte[]> consumer = Topics.consumer(bootstrap, "read_committed")) {
            List<TopicPartition> partitions = Topics.partitions(consumer, outputTopic);
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);

            long startNanos = System.nanoTime();
            long startMicros = nowMicros();
            long measureFromMicros = startMicros + warmupSeconds * 1_000_000L;
            long churnStartNanos = startNanos + Duration.ofSeconds(warmupSeconds).toNanos();
            Thread load = thread("perf-load", () -> {
                openLoop(producer, generator, rate, warmupSeconds + seconds, startNanos, startMicros, sent);
                loadDone.set(true);
            });
            Thread churner = thread("perf-churn", () -> {
                churn(database, churn, churnSeconds, churnStartNanos, updates);
                churnDone.set(true);
            });
            EventGenerator probes = new EventGenerator(PROBE_KEY_PREFIX, KeySampler.uniform(1, 11), 0, 13);
            Thread prober = thread("perf-probe", () -> probe(producer, probes, churnDone));
            load.start();
            churner.start();
            prober.start();

            long lastReport = System.nanoTime();
            long drainDeadline = Long.MAX_VALUE;
            long receivedAtLoadEnd = -1;
            while (true) {
                if (failure.get() != null) {
                    throw new IllegalStateException("latency phase failed: " + failure.get(), failure.get());
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                    long now = nowMicros();
                    String key = record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
                    if (key.startsWith(LOAD_KEY_PREFIX)) {
                        long sentAt = sentMicros(record);
                        if (sentAt >= measureFromMicros) {
                            latencyMicros.recordValue(Math.max(0, now - sentAt));
                        }
                        received.incrementAndGet();
                    } else if (key.startsWith(PROBE_KEY_PREFIX)) {
                        checkProbe(record.value(), sentMicros(record), now);
                    }
                }
                if (System.nanoTime() - lastReport > 2_000_000_000L) {
                    lastReport = System.nanoTime();
                    app.checkAlive();
                    progress.accept(String.format("  latency: %,d sent, %,d received; freshness: %,d updates, %,d resolved",
                            sent.get(), received.get(), updates.get(), freshnessMicros.getTotalCount()));
                }
                boolean fellBehind = receivedAtLoadEnd >= 0 && receivedAtLoadEnd < 0.9 * sent.get();
                // When the enricher fell behind, only the backlog matters (a second pass follows): skip the probes.
                boolean allIn = loadDone.get() && received.get() >= sent.get()
                        && (fellBehind || (churnDone.get() && pending.isEmpty()));
                if (allIn) {
                    break;
                }
                if (loadDone.get() && receivedAtLoadEnd < 0) {
                    receivedAtLoadEnd = received.get();
                }
                if (loadDone.get() && (churnDone.get() || fellBehind) && drainDeadline == Long.MAX_VALUE) {
                    drainDeadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                }
                if (System.nanoTime() > drainDeadline) {
                    progress.accept("  drain deadline reached: " + (sent.get() - received.get()) + " events and "
                            + pending.size() + " updates outstanding");
                    break;
                }
            }
            stopped.set(true);
            joinQuietly(load);
            joinQuietly(prober);
            joinQuietly(churner);
            double achieved = sent.get() / (double) (warmupSeconds + seconds);
            String loadNote = "open loop, intended " + (rate == PerfOptions.RATE_MAX ? "max" : Format.rate(rate))
                    + "/s, sent " + Format.rate(achieved) + "/s; the first " + warmupSeconds + " s (warm-up) not recorded"
                    + (received.get() < sent.get() ? ", " + (sent.get() - received.get()) + " not received in time" : "")
                    + (receivedAtLoadEnd >= 0 && receivedAtLoadEnd < 0.9 * sent.get()
                    ? "; NOT SUSTAINED: only " + receivedAtLoadEnd + " of " + sent.get() + " events were out when the load "
                    + "stopped, so these figures are mostly queueing behind a growing backlog" : "");
            RunResults.Latency latency = RunResults.Latency.fromMicros(name, latencyMicros, achieved, loadNote);
            RunResults.Latency freshness = RunResults.Latency.fromMicros("freshness", freshnessMicros,
                    updates.get() / (double) churnSeconds,
                    updates.get() + " UPDATEs at " + churn + "/s" + (pending.isEmpty() ? "" : ", " + pending.size() + " never seen"));
            boolean sustained = receivedAtLoadEnd < 0 || receivedAtLoadEnd >= 0.9 * sent.get();
            return new Result(latency, freshness, sent.get(), received.get(), achieved, pending.size(), sustained);
        } finally {
            stopped.set(true);
        }
    }

    private void openLoop(KafkaProducer<byte[], byte[]> producer, EventGenerator generator, double rate, int seconds,
                          long startNanos, long startMicros, AtomicLong sent) {
        long endNanos = startNanos + Duration.ofSeconds(seconds).toNanos();
        long i = 0;
        while (true) {
            long now = System.nanoTime();
            if (now >= endNanos || stopped.get()) {
                return;
            }
            long due = rate == PerfOptions.RATE_MAX ? i + 1 : (long) ((now - startNanos) / 1e9 * rate);
            if (i >= due) {
                LockSupport.parkNanos(1_000_000); // sends in small bursts; each event keeps its exact intended time
                continue;
            }
            while (i < due) {
                long intendedMicros = rate == PerfOptions.RATE_MAX
                        ? nowMicros() : startMicros + (long) (i * 1e6 / rate);
                EventGenerator.Event event = generator.next();
                ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(eventsTopic, null, intendedMicros / 1000,
                        (LOAD_KEY_PREFIX + event.key()).getBytes(StandardCharsets.UTF_8), event.value());
                record.headers().add(SENT_HEADER, ByteBuffer.allocate(8).putLong(intendedMicros).array());
                producer.send(record, (metadata, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                });
                i++;
                sent.set(i);
            }
        }
    }

    private void churn(Database database, int perSecond, int seconds, long startNanos, AtomicLong updates) {
        SplittableRandom random = new SplittableRandom(startNanos);
        long total = (long) perSecond * seconds;
        try (Connection db = database.open();
             PreparedStatement update = db.prepareStatement(
                     "UPDATE " + ReferenceData.DATABASE + ".customers SET rev = ? WHERE id = ?")) {
            db.setAutoCommit(true);
            for (long n = 0; n < total && !stopped.get(); n++) {
                long due = startNanos + (long) (n * 1e9 / perSecond);
                while (System.nanoTime() < due) {
                    LockSupport.parkNanos(due - System.nanoTime());
                }
                int id;
                do {
                    id = 1 + random.nextInt(rows);
                } while (pending.containsKey(id) && pending.size() < rows);
                String rev = "f" + n + "-" + Long.toString(System.nanoTime(), 36);
                update.setString(1, rev);
                update.setInt(2, id);
                update.executeUpdate();
                pending.put(id, new Pending(rev, nowMicros()));
                updates.incrementAndGet();
            }
        } catch (SQLException e) {
            failure.compareAndSet(null, e);
        }
    }

    private void probe(KafkaProducer<byte[], byte[]> producer, EventGenerator generator, AtomicBoolean churnDone) {
        long n = 0;
        while (!stopped.get() && !(churnDone.get() && pending.isEmpty()) && failure.get() == null) {
            for (Integer customer : pending.keySet()) {
                String key = PROBE_KEY_PREFIX + (n++);
                EventGenerator.Event event = generator.event("create", key, customer);
                ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(eventsTopic,
                        key.getBytes(StandardCharsets.UTF_8), event.value());
                record.headers().add(SENT_HEADER, ByteBuffer.allocate(8).putLong(nowMicros()).array());
                producer.send(record);
            }
            LockSupport.parkNanos(Duration.ofMillis(PROBE_INTERVAL_MS).toNanos());
            if (churnDone.get() && pending.isEmpty()) {
                return;
            }
        }
    }

    /** A probe counts only if it was sent after the UPDATE committed: an older probe may meet the new row too. */
    private void checkProbe(byte[] value, long probeSentMicros, long nowMicros) {
        try {
            JsonNode event = JSON.readTree(value);
            int customer = event.path("customerId").asInt();
            Pending p = pending.get(customer);
            if (p != null && probeSentMicros >= p.committedMicros()
                    && p.rev().equals(event.path("customer").path("rev").asText())
                    && pending.remove(customer, p)) {
                freshnessMicros.recordValue(Math.max(0, nowMicros - p.committedMicros()));
            }
        } catch (java.io.IOException e) {
            failure.compareAndSet(null, e);
        }
    }

    private static long sentMicros(ConsumerRecord<byte[], byte[]> record) {
        Header header = record.headers().lastHeader(SENT_HEADER);
        if (header != null && header.value() != null && header.value().length == 8) {
            return ByteBuffer.wrap(header.value()).getLong();
        }
        return record.timestamp() * 1000;
    }

    static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    }

    private Properties producerProperties() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        return props;
    }

    private Thread thread(String name, Runnable body) {
        Thread thread = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        }, name);
        thread.setDaemon(true);
        return thread;
    }

    private static void joinQuietly(Thread thread) {
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
