package io.cdcenricher.perf.faults;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

import io.cdcenricher.perf.faults.ReferenceHistory.Change;

/**
 * Follows the captured table topic for the whole run: the newest row version (rev) that CDC has delivered, and the
 * last record of every key. A fault can leave the connector RUNNING in name while nothing flows (a restarted worker
 * first reports the status it stored before the crash; a Debezium task can fail a moment later), so recovery is
 * judged by data: the newest committed change must reach the topic. At the end, the topic's last record per key must
 * equal MariaDB's last change per row: nothing lost on the capture side.
 */
final class CdcProbe implements AutoCloseable {

    private static final Pattern REV = Pattern.compile("\"rev\":(\\d+)");
    private static final long TOMBSTONE = -1;

    private final CommittedReader reader;
    private final Thread thread;
    private final Map<Long, Long> lastByKey = new HashMap<>();
    private final Map<Integer, Long> nextOffset = new java.util.concurrent.ConcurrentHashMap<>();
    private final String topic;
    private volatile long maxRev;
    private volatile boolean running = true;

    CdcProbe(String bootstrap, String topic) {
        this.reader = new CommittedReader(bootstrap, topic);
        this.topic = topic;
        this.thread = new Thread(this::run, "cdc-probe");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void run() {
        while (running) {
            long before = reader.records();
            try {
                reader.catchUp(this::onRecord, Duration.ofSeconds(1));
            } catch (org.apache.kafka.common.KafkaException e) {
                // the broker is down (a fault in progress): the probe keeps its place and tries again
            }
            if (reader.records() == before) {
                EnricherFleet.pause(50);
            }
        }
    }

    private void onRecord(ConsumerRecord<byte[], byte[]> record) {
        if (record.key() == null) {
            return;
        }
        long key = Long.parseLong(new String(record.key(), StandardCharsets.UTF_8).trim());
        long rev = TOMBSTONE;
        if (record.value() != null) {
            Matcher m = REV.matcher(new String(record.value(), StandardCharsets.UTF_8));
            rev = m.find() ? Long.parseLong(m.group(1)) : TOMBSTONE;
        }
        synchronized (lastByKey) {
            lastByKey.put(key, rev);
        }
        if (rev > maxRev) {
            maxRev = rev;
        }
        nextOffset.put(record.partition(), record.offset() + 1);
    }

    /** Waits until the probe has read the topic up to its end offsets of this moment. */
    void awaitEnd(org.apache.kafka.clients.admin.Admin admin, Duration timeout) {
        Map<TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> request = new HashMap<>();
        try {
            admin.describeTopics(List.of(topic)).allTopicNames().get(10, java.util.concurrent.TimeUnit.SECONDS).get(topic)
                    .partitions().forEach(p -> request.put(new TopicPartition(topic, p.partition()),
                            org.apache.kafka.clients.admin.OffsetSpec.latest()));
            Map<TopicPartition, Long> ends = new HashMap<>();
            admin.listOffsets(request).all().get(10, java.util.concurrent.TimeUnit.SECONDS)
                    .forEach((tp, info) -> ends.put(tp, info.offset()));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (ends.entrySet().stream().anyMatch(e -> nextOffset.getOrDefault(e.getKey().partition(), 0L) < e.getValue())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the CDC probe did not read " + topic + " to its end within "
                            + timeout.toSeconds() + " s");
                }
                EnricherFleet.pause(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot read the end offsets of " + topic + ": " + e, e);
        }
    }

    /** The newest row version CDC has delivered so far. */
    long maxRev() {
        return maxRev;
    }

    /**
     * Rows whose last record in the topic is not their last change in MariaDB: an update whose version differs, a
     * deleted row still present, or a present row whose last record is a tombstone. Empty when CDC converged.
     */
    List<String> divergences(Map<Long, List<Change>> history) {
        java.util.ArrayList<String> problems = new java.util.ArrayList<>();
        synchronized (lastByKey) {
            for (Map.Entry<Long, List<Change>> entry : history.entrySet()) {
                Change last = entry.getValue().get(entry.getValue().size() - 1);
                Long seen = lastByKey.get(entry.getKey());
                long expected = last.isDelete() ? TOMBSTONE : last.rev();
                if (seen == null || seen != expected) {
                    problems.add("customer " + entry.getKey() + ": MariaDB's last change is " + describe(expected)
                            + ", the table topic's last record is " + (seen == null ? "missing" : describe(seen)));
                }
            }
        }
        return problems;
    }

    private static String describe(long rev) {
        return rev == TOMBSTONE ? "a delete" : "rev " + rev;
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(70_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        reader.close();
    }
}
