package io.cdcenricher.perf.load;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Sends one step's events open-loop: event i of a step at rate R is due at {@code start + i / R}, whatever happened
 * to the events before it. That moment, its <i>intended</i> send time, goes into its {@link LoadTag} header, its
 * record timestamp and the template's {@code {{now}}}, and latency is measured from it. So when the producer, the
 * broker or the enricher stalls, the events that should have gone out meanwhile are sent in a burst as soon as it
 * can, each still carrying its own due time: the stall shows in their latency instead of being slept away
 * (coordinated omission). Ahead of schedule the sender parks for a millisecond, never longer. A step offers exactly
 * {@code ceil(seconds x rate)} events: when the sender itself fell behind, the step ends once the last is out.
 */
public final class OpenLoopSender {

    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final EventTemplate template;
    private final EventCodec codec;
    private final String runId;
    private final long entities;
    private final AtomicLong nextSeq = new AtomicLong();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final AtomicLong lagPeak = new AtomicLong();
    private volatile StepClock clock; // the running step's schedule; null between steps

    /** A running step's schedule, for the lag read from another thread. */
    private record StepClock(long startNanos, double rate, long total, long first) {
    }

    /** @param entities distinct entity ids to cycle through; 0 = a new entity per event */
    public OpenLoopSender(Producer<byte[], byte[]> producer, String topic, EventTemplate template, EventCodec codec,
                          String runId, long entities) {
        this.producer = producer;
        this.topic = topic;
        this.template = template;
        this.codec = codec;
        this.runId = runId;
        this.entities = entities;
    }

    /** The sequence number the next event gets: the first of the next step. */
    public long nextSeq() {
        return nextSeq.get();
    }

    /** The first send error the producer reported, if any (a failed send is fatal: the figures would be wrong). */
    public Exception failure() {
        return failure.get();
    }

    /**
     * The most events the sender was behind its schedule since the last call, or is right now: a send blocked on a
     * full producer buffer (a broker that does not keep up) shows here while it blocks, not only once it returns.
     * For the timeline; a step's own maximum is in {@link Sent#maxLag}.
     */
    public long takeLagPeak() {
        long peak = lagPeak.getAndSet(0);
        StepClock c = clock;
        if (c != null) {
            peak = Math.max(peak, lag(c, System.nanoTime() - c.startNanos(), nextSeq.get() - c.first()));
        }
        return peak;
    }

    /** Events due by {@code elapsedNanos} into the step and not yet sent, less the one just due (on time = 0). */
    private static long lag(StepClock c, long elapsedNanos, long sentInStep) {
        long due = Math.min((long) (elapsedNanos / 1e9 * c.rate()) + 1, c.total());
        return Math.max(0, due - sentInStep - 1);
    }

    /** What a step's sending saw of its own schedule. */
    public record Sent(long events, long maxLag) {
    }

    /**
     * Sends {@code tally}'s step at {@code rate} events/s for {@code durationNanos} from {@code startNanos}
     * ({@link System#nanoTime}), whose wall-clock time is {@code startMicros}; returns early when {@code stop} says so.
     */
    public Sent run(StepTally tally, double rate, long startNanos, long startMicros, long durationNanos,
                    BooleanSupplier stop) {
        long first = nextSeq.get();
        long total = eventsInStep(durationNanos, rate); // all are offered, none dropped
        StepClock stepClock = new StepClock(startNanos, rate, total, first);
        clock = stepClock;
        long i = 0;
        long maxLag = 0;
        try {
            while (i < total && !stop.getAsBoolean() && failure.get() == null) {
                long elapsed = System.nanoTime() - startNanos;
                long due = Math.min((long) (elapsed / 1e9 * rate) + 1, total);
                if (i >= due) {
                    LockSupport.parkNanos(1_000_000);
                    continue;
                }
                long lag = lag(stepClock, elapsed, i);
                maxLag = Math.max(maxLag, lag);
                lagPeak.accumulateAndGet(lag, Math::max);
                while (i < due && !stop.getAsBoolean()) {
                    long seq = first + i;
                    long intendedMicros = startMicros + dueOffsetMicros(i, rate);
                    send(seq, intendedMicros);
                    i++;
                    nextSeq.set(first + i);
                    tally.sent(i);
                }
            }
        } finally {
            clock = null;
        }
        return new Sent(i, maxLag);
    }

    /** The events a step of {@code durationNanos} at {@code rate} offers: {@code ceil(seconds x rate)}. */
    public static long eventsInStep(long durationNanos, double rate) {
        return (long) Math.ceil(durationNanos / 1e9 * rate);
    }

    /**
     * When event {@code i} of a step at {@code rate} is due, in microseconds after the step's start. One formula for
     * the sender and for {@link WarmUp}, so both agree on which events fall in the warm-up.
     */
    public static long dueOffsetMicros(long i, double rate) {
        return (long) (i * 1e6 / rate);
    }

    private void send(long seq, long intendedMicros) {
        String entityId = runId + "-" + (entities > 0 ? seq % entities : seq);
        byte[] json = template.renderBytes(new EventTemplate.Context(runId, seq, entityId, intendedMicros / 1000));
        Headers headers = new RecordHeaders();
        LoadTag.add(headers, runId, seq, intendedMicros);
        byte[] value = codec.encode(topic, headers, json);
        producer.send(new ProducerRecord<>(topic, null, (Long) (intendedMicros / 1000),
                        entityId.getBytes(StandardCharsets.UTF_8), value, headers),
                (metadata, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                });
    }
}
