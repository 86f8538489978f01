package io.cdcenricher.perf.faults;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The load: an open-loop producer of create/update events at a fixed rate, keyed by entity id, each carrying its
 * entity's sequence number (in the value and in the header {@value #SEQ_HEADER}) and the phase it was sent in
 * ({@value #PHASE_HEADER}). A share of the events has an unknown type and must end in the dead-letter topic.
 * The producer is idempotent with acks=all and a long delivery timeout, so it rides out a broker restart; every
 * acknowledged event is remembered for the oracle.
 */
final class EventLoad implements AutoCloseable {

    static final String SEQ_HEADER = "fault.seq";
    static final String PHASE_HEADER = "fault.phase";
    static final String BAD_TYPE = "bogus";

    private static final double CREATE_SHARE = 0.3;
    private static final int ACTIVE_ENTITIES = 500;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One produced event: its entity key and that entity's sequence number (1 = its create). */
    record EventId(String key, int seq) {
    }

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final int perSecond;
    private final int customers;
    private final int products;
    private final double badShare;
    private final Random random;
    private final Thread thread;
    private final AtomicInteger phase = new AtomicInteger();
    private final Map<EventId, Integer> acked = new ConcurrentHashMap<>();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<Exception> lastFailure = new AtomicReference<>();
    private final List<Entity> active = new ArrayList<>();
    private int nextEntity = 1;
    private volatile boolean running = true;

    private static byte[] json(ObjectNode event) {
        try {
            return JSON.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an event as JSON", e);
        }
    }

    private static final class Entity {
        final String key;
        final long customerId;
        final long productId;
        int seq;

        Entity(String key, long customerId, long productId) {
            this.key = key;
            this.customerId = customerId;
            this.productId = productId;
        }
    }

    EventLoad(String bootstrap, String topic, int perSecond, int customers, int products, double badPercent, long seed) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        // A broker restart must delay events, never drop them: retry for minutes, block instead of failing.
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "600000");
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "300000");
        this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        this.topic = topic;
        this.perSecond = perSecond;
        this.customers = customers;
        this.products = products;
        this.badShare = badPercent / 100.0;
        this.random = new Random(seed);
        this.thread = new Thread(this::run, "event-load");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Events sent from now on carry this phase number. */
    void phase(int number) {
        phase.set(number);
    }

    long sent() {
        return sent.get();
    }

    long failed() {
        return failed.get();
    }

    Exception lastFailure() {
        return lastFailure.get();
    }

    /** The events the broker acknowledged, with their phase; complete once {@link #close()} returned. */
    Map<EventId, Integer> acked() {
        return acked;
    }

    private void run() {
        long intervalNanos = 1_000_000_000L / perSecond;
        long next = System.nanoTime();
        while (running) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(Math.min(wait, 20_000_000L));
                continue;
            }
            next += intervalNanos;
            try {
                sendOne();
            } catch (RuntimeException e) {
                // e.g. a send that gave up blocking on metadata: counted, and the load goes on
                failed.incrementAndGet();
                lastFailure.set(e);
            }
        }
    }

    private void sendOne() {
        Entity entity;
        String type;
        if (active.isEmpty() || random.nextDouble() < CREATE_SHARE) {
            entity = new Entity("e-" + nextEntity++, 1 + random.nextInt(customers), 1 + random.nextInt(products));
            if (active.size() == ACTIVE_ENTITIES) {
                active.set(random.nextInt(ACTIVE_ENTITIES), entity);
            } else {
                active.add(entity);
            }
            type = "create";
        } else {
            entity = active.get(random.nextInt(active.size()));
            type = "update";
        }
        if (random.nextDouble() < badShare) {
            type = BAD_TYPE;
        }
        int seq = ++entity.seq;
        int currentPhase = phase.get();
        byte[] value = json(JSON.createObjectNode().put("type", type).put("id", entity.key)
                .put("customerId", entity.customerId).put("productId", entity.productId).put("seq", seq)
                .put("phase", currentPhase).put("amount", random.nextInt(1000)).put("sent", System.currentTimeMillis()));
        RecordHeaders headers = new RecordHeaders();
        headers.add(SEQ_HEADER, Integer.toString(seq).getBytes(StandardCharsets.UTF_8));
        headers.add(PHASE_HEADER, Integer.toString(currentPhase).getBytes(StandardCharsets.UTF_8));
        EventId id = new EventId(entity.key, seq);
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, null, entity.key.getBytes(StandardCharsets.UTF_8),
                value, headers);
        sent.incrementAndGet();
        producer.send(record, (metadata, exception) -> {
            if (exception == null) {
                acked.put(id, currentPhase);
            } else {
                failed.incrementAndGet();
                lastFailure.set(exception);
            }
        });
    }

    /** Stops the load and waits until every sent event is acknowledged or failed. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.flush();
        producer.close();
    }
}
