package io.cdcenricher.perf.faults;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.cdcenricher.ops.Poll;
import io.cdcenricher.ops.PollTimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

import io.cdcenricher.perf.faults.ReferenceHistory.Change;
import io.cdcenricher.perf.faults.ReferenceHistory.Table;

/**
 * Follows the captured table topics for the whole run: every row version (rev) and tombstone that CDC delivered per
 * row, and the newest rev. A fault can leave the connector RUNNING in name while nothing flows (a restarted worker
 * first reports the status it stored before the crash; a Debezium task can fail a moment later), so recovery is
 * judged by data: the newest committed change must reach its topic. At the end every change in MariaDB's history
 * must have been delivered (each version, and at least as many tombstones as deletes) and each row's last record
 * must be its last change: nothing lost on the capture side, even a change that a later one overwrote.
 */
final class CdcProbe implements AutoCloseable {


    private final List<Follower> followers = new ArrayList<>();
    private final Map<String, Set<Long>> revs = new HashMap<>();
    private final Map<String, Integer> tombstones = new HashMap<>();
    private final Map<String, Long> last = new HashMap<>();
    private volatile long maxRev;
    private volatile RuntimeException failure;
    private volatile boolean running = true;

    /** One topic, read by its own thread through a {@link CommittedReader} that only this thread touches. */
    private final class Follower {
        final Table table;
        final String bootstrap;
        final Map<Integer, Long> nextOffset = new ConcurrentHashMap<>();
        final Thread thread;

        Follower(String bootstrap, Table table) {
            this.bootstrap = bootstrap;
            this.table = table;
            this.thread = new Thread(this::run, "cdc-probe-" + table.name());
            this.thread.setDaemon(true);
        }

        private void run() {
            try (CommittedReader reader = new CommittedReader(bootstrap, table.topic())) {
                while (running) {
                    long before = reader.records();
                    try {
                        reader.catchUp(this::onRecord, Duration.ofSeconds(1));
                    } catch (KafkaException e) {
                        // the broker is down (a fault in progress): keep the place and try again
                    }
                    if (reader.records() == before) {
                        EnricherFleet.pause(50);
                    }
                }
            } catch (RuntimeException e) {
                failure = e; // reported by maxRev() and awaitEnd(), never swallowed
            }
        }

        private void onRecord(ConsumerRecord<byte[], byte[]> record) {
            if (record.key() == null) {
                return;
            }
            String key = table.key(Long.parseLong(new String(record.key(), StandardCharsets.UTF_8).trim()));
            OptionalLong version = JsonFields.integer(record.value(), "rev");
            Long rev = version.isPresent() ? version.getAsLong() : null;
            synchronized (revs) {
                if (rev == null) {
                    tombstones.merge(key, 1, Integer::sum);
                    last.put(key, -1L);
                } else {
                    revs.computeIfAbsent(key, k -> new HashSet<>()).add(rev);
                    last.put(key, rev);
                }
            }
            if (rev != null && rev > maxRev) {
                maxRev = rev;
            }
            nextOffset.put(record.partition(), record.offset() + 1);
        }
    }

    CdcProbe(String bootstrap, List<Table> tables) {
        tables.forEach(table -> followers.add(new Follower(bootstrap, table)));
        followers.forEach(f -> f.thread.start());
    }

    /** The newest row version CDC has delivered so far, in any table. */
    long maxRev() {
        checkAlive();
        return maxRev;
    }

    private void checkAlive() {
        if (failure != null) {
            throw new IllegalStateException("the CDC probe failed: " + failure, failure);
        }
    }

    /** Waits until the probe has read every topic up to its end offsets of this moment. */
    void awaitEnd(Admin admin, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Follower follower : followers) {
            String topic = follower.table.topic();
            Map<TopicPartition, Long> ends = endOffsets(admin, topic);
            // One timeout for all the topics: each one gets what the ones before it left.
            Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
            try {
                Poll.until("the CDC probe to read " + topic + " to its end", left, Duration.ofMillis(100), () -> {
                    boolean read = ends.entrySet().stream().noneMatch(
                            e -> follower.nextOffset.getOrDefault(e.getKey().partition(), 0L) < e.getValue());
                    if (!read) {
                        checkAlive();
                    }
                    return read;
                });
            } catch (PollTimeoutException e) {
                throw new IllegalStateException("the CDC probe did not read " + topic + " to its end within "
                        + timeout.toSeconds() + " s", e);
            }
        }
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin, String topic) {
        try {
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic).partitions()
                    .forEach(p -> request.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            Map<TopicPartition, Long> ends = new HashMap<>();
            admin.listOffsets(request).all().get(10, TimeUnit.SECONDS).forEach((tp, info) -> ends.put(tp, info.offset()));
            return ends;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read the end offsets of " + topic + ": " + e, e);
        }
    }

    /**
     * Rows whose captured records do not account for their history: a version never delivered, fewer tombstones than
     * deletes, or a last record that is not the last change. Empty when CDC lost nothing. Debezium may deliver a
     * change twice after a crash (at least once), which is not a divergence.
     */
    List<String> divergences(Map<String, List<Change>> history) {
        List<String> problems = new ArrayList<>();
        synchronized (revs) {
            for (Map.Entry<String, List<Change>> entry : history.entrySet()) {
                String key = entry.getKey();
                List<Change> changes = entry.getValue();
                Set<Long> seen = revs.getOrDefault(key, Set.of());
                for (Change change : changes) {
                    if (!change.isDelete() && !seen.contains(change.rev())) {
                        problems.add(key + ": rev " + change.rev() + " (" + change.op() + ") was never captured");
                    }
                }
                long deletes = changes.stream().filter(Change::isDelete).count();
                if (tombstones.getOrDefault(key, 0) < deletes) {
                    problems.add(key + ": " + deletes + " deletes, " + tombstones.getOrDefault(key, 0) + " tombstones");
                }
                Change lastChange = changes.get(changes.size() - 1);
                long expected = lastChange.isDelete() ? -1 : lastChange.rev();
                Long lastSeen = last.get(key);
                if (lastSeen == null || lastSeen != expected) {
                    problems.add(key + ": the last change is " + describe(expected) + ", the topic's last record is "
                            + (lastSeen == null ? "missing" : describe(lastSeen)));
                }
            }
        }
        return problems;
    }

    private static String describe(long rev) {
        return rev < 0 ? "a delete" : "rev " + rev;
    }

    @Override
    public void close() {
        running = false;
        for (Follower follower : followers) {
            try {
                follower.thread.join(70_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
