package io.cdcenricher.perf.faults;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import io.cdcenricher.perf.faults.EventLoad.EventId;
import io.cdcenricher.perf.faults.ReferenceHistory.Change;

/**
 * The verifier: reads the events, output and dead-letter topics with read_committed and checks them against what the
 * load acknowledged and MariaDB's change history. Per phase (the phase an event was sent in) it counts events in,
 * out, dead letters, lost (in no topic), duplicated (more than once across output and dead letters), out of order
 * (an entity's output not in its send order), misrouted (a good event dead-lettered, or a bad one in the output) and
 * wrong enrichments (a row version that never existed, or one committed after the enriched event was written).
 * Row-version regressions and the age of the joined row are reported too, but are not errors of a latest-row join:
 * two instances' global tables lag independently, and CDC re-delivers rows after a Connect crash (at least once).
 */
final class DeliveryOracle implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SEQ_IN_VALUE = Pattern.compile("\"seq\":(\\d+)");
    private static final int EXAMPLES = 5;

    private final CommittedReader events;
    private final CommittedReader output;
    private final CommittedReader deadLetters;
    private final String joinName;

    private final Map<EventId, Input> inputs = new HashMap<>();
    private final Map<EventId, Integer> delivered = new HashMap<>();
    private final List<Output> outputs = new ArrayList<>();
    private final Map<EventId, String> deadLetterReasons = new HashMap<>();
    private final Map<String, Integer> lastSeq = new HashMap<>();
    private final Map<String, Integer> keyPartition = new HashMap<>();
    private final Map<Integer, PhaseResult.Builder> phases = new TreeMap<>();

    private record Input(int phase, boolean bad, long producedMs) {
    }

    private record Output(EventId id, int partition, long appendMs, String status, long customerId, long rev,
                          String name, String tier) {
    }

    DeliveryOracle(String bootstrap, String eventsTopic, String outputTopic, String deadLetterTopic, String joinName) {
        this.events = new CommittedReader(bootstrap, eventsTopic);
        this.output = new CommittedReader(bootstrap, outputTopic);
        this.deadLetters = new CommittedReader(bootstrap, deadLetterTopic);
        this.joinName = joinName;
    }

    /** Reads what is committed now in all three topics; returns the number of distinct events delivered so far. */
    long catchUp() {
        events.catchUp(this::onInput, Duration.ofSeconds(60));
        output.catchUp(this::onOutput, Duration.ofSeconds(60));
        deadLetters.catchUp(this::onDeadLetter, Duration.ofSeconds(60));
        return delivered.size();
    }

    long inputs() {
        return inputs.size();
    }

    private PhaseResult.Builder phase(int number) {
        return phases.computeIfAbsent(number, PhaseResult.Builder::new);
    }

    private void onInput(ConsumerRecord<byte[], byte[]> record) {
        EventId id = idOf(record);
        int phase = intHeader(record, EventLoad.PHASE_HEADER);
        String value = new String(record.value(), StandardCharsets.UTF_8);
        Input previous = inputs.putIfAbsent(id, new Input(phase, value.contains("\"type\":\"" + EventLoad.BAD_TYPE + "\""),
                record.timestamp()));
        if (previous != null) {
            phase(phase).duplicatedInEvents++;
            phase(phase).example("event " + id + " is twice in the events topic (producer retry not deduplicated)");
        }
    }

    private void onOutput(ConsumerRecord<byte[], byte[]> record) {
        EventId id = idOf(record);
        delivered.merge(id, 1, Integer::sum);
        Integer seenPartition = keyPartition.putIfAbsent(id.key(), record.partition());
        Integer before = lastSeq.get(id.key());
        if (before != null && id.seq() <= before || seenPartition != null && seenPartition != record.partition()) {
            outOfOrder(id, before, record);
        }
        lastSeq.merge(id.key(), id.seq(), Math::max);
        try {
            JsonNode value = JSON.readTree(record.value());
            JsonNode row = value.path(joinName);
            outputs.add(new Output(id, record.partition(), record.timestamp(),
                    value.path("enrichment").path(joinName).asText("absent"), value.path("customerId").asLong(),
                    row.path("rev").asLong(-1), row.path("name").asText(null), row.path("tier").asText(null)));
        } catch (IOException e) {
            outputs.add(new Output(id, record.partition(), record.timestamp(), "unparseable", -1, -1, null, null));
        }
    }

    private void outOfOrder(EventId id, Integer before, ConsumerRecord<byte[], byte[]> record) {
        // A second copy of the same event is a duplicate, counted as such at the end; anything else is reordering.
        if (before != null && id.seq() == before) {
            return;
        }
        pendingOrder.add(new OrderIssue(id, "entity " + id.key() + ": seq " + id.seq() + " written after seq " + before
                + " (output partition " + record.partition() + " offset " + record.offset() + ")"));
    }

    private record OrderIssue(EventId id, String detail) {
    }

    private final List<OrderIssue> pendingOrder = new ArrayList<>();

    private void onDeadLetter(ConsumerRecord<byte[], byte[]> record) {
        EventId id = idOf(record);
        delivered.merge(id, 1, Integer::sum);
        Header reason = record.headers().lastHeader("dlq.reason");
        deadLetterReasons.put(id, reason == null ? "(no dlq.reason header)" : new String(reason.value(), StandardCharsets.UTF_8));
    }

    private static EventId idOf(ConsumerRecord<byte[], byte[]> record) {
        String key = record.key() == null ? "(null key)" : new String(record.key(), StandardCharsets.UTF_8);
        int seq = intHeader(record, EventLoad.SEQ_HEADER);
        if (seq < 0 && record.value() != null) {
            Matcher m = SEQ_IN_VALUE.matcher(new String(record.value(), StandardCharsets.UTF_8));
            seq = m.find() ? Integer.parseInt(m.group(1)) : -1;
        }
        return new EventId(key, seq);
    }

    private static int intHeader(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        if (header == null) {
            return -1;
        }
        try {
            return Integer.parseInt(new String(header.value(), StandardCharsets.UTF_8));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The verdict per phase, once everything has been read; {@code acked} is what the load's producer was told. */
    List<PhaseResult> verdict(Map<EventId, Integer> acked, Map<Long, List<Change>> history) {
        for (Map.Entry<EventId, Integer> entry : acked.entrySet()) {
            if (!inputs.containsKey(entry.getKey())) {
                phase(entry.getValue()).lostAtBroker++;
                phase(entry.getValue()).lost++;
                phase(entry.getValue()).example("event " + entry.getKey() + " was acknowledged but is not in the events topic");
            }
        }
        for (Map.Entry<EventId, Input> entry : inputs.entrySet()) {
            EventId id = entry.getKey();
            Input input = entry.getValue();
            PhaseResult.Builder phase = phase(input.phase());
            phase.in++;
            int copies = delivered.getOrDefault(id, 0);
            String reason = deadLetterReasons.get(id);
            if (copies == 0) {
                phase.lost++;
                phase.example("event " + id + " (" + (input.bad() ? "bad" : "good") + ") is in neither the output nor the dead-letter topic");
            } else if (copies > 1) {
                phase.duplicated++;
                phase.example("event " + id + " was delivered " + copies + " times");
            }
            if (reason != null) {
                phase.deadLetters++;
                if (!input.bad() || !"unknown-event-type".equals(reason)) {
                    phase.misrouted++;
                    phase.example("event " + id + " (" + (input.bad() ? "bad" : "good") + ") dead-lettered with reason " + reason);
                }
            }
        }
        for (OrderIssue issue : pendingOrder) {
            Input input = inputs.get(issue.id());
            PhaseResult.Builder phase = phase(input == null ? -1 : input.phase());
            phase.outOfOrder++;
            phase.example(issue.detail());
        }
        checkEnrichments(history);
        return phases.values().stream().filter(b -> b.number >= 0 || b.in > 0 || b.lost > 0).map(PhaseResult.Builder::build).toList();
    }

    private void checkEnrichments(Map<Long, List<Change>> history) {
        Map<String, Long> lastRev = new HashMap<>();
        for (Output out : outputs) {
            Input input = inputs.get(out.id());
            PhaseResult.Builder phase = phase(input == null ? -1 : input.phase());
            phase.out++;
            if (input != null && input.bad()) {
                phase.misrouted++;
                phase.example("bad event " + out.id() + " reached the output");
                continue;
            }
            List<Change> changes = history.getOrDefault(out.customerId(), List.of());
            String problem = switch (out.status()) {
                case "hit" -> checkHit(out, changes, phase, lastRev);
                case "deleted" -> changes.stream().anyMatch(c -> c.isDelete() && c.committedMs() <= out.appendMs()) ? null
                        : "status deleted, but customer " + out.customerId() + " had no committed delete before the output was written";
                default -> "status " + out.status() + " for customer " + out.customerId() + ", which existed all along";
            };
            if (problem != null) {
                phase.wrongEnrichment++;
                phase.example("event " + out.id() + ": " + problem);
            }
        }
    }

    private String checkHit(Output out, List<Change> changes, PhaseResult.Builder phase, Map<String, Long> lastRev) {
        Change version = null;
        Change next = null;
        for (Change c : changes) {
            if (version != null) {
                next = c;
                break;
            }
            if (c.rev() == out.rev()) {
                version = c;
            }
        }
        if (version == null || version.isDelete()) {
            return "row version rev=" + out.rev() + " of customer " + out.customerId() + " is not in MariaDB's history";
        }
        if (!version.name().equals(out.name()) || !version.tier().equals(out.tier())) {
            return "row version rev=" + out.rev() + " has name/tier " + version.name() + "/" + version.tier()
                    + " in MariaDB, the event carries " + out.name() + "/" + out.tier();
        }
        if (version.committedMs() > out.appendMs()) {
            return "row version rev=" + out.rev() + " was committed " + (version.committedMs() - out.appendMs())
                    + " ms after the enriched event was written";
        }
        String slot = out.partition() + "/" + out.customerId();
        Long before = lastRev.put(slot, out.rev());
        if (before != null && before > out.rev()) {
            phase.regressions++;
            lastRev.put(slot, before);
        }
        if (next != null && next.committedMs() < out.appendMs()) {
            phase.maxRowAgeMs = Math.max(phase.maxRowAgeMs, out.appendMs() - next.committedMs());
        }
        return null;
    }

    @Override
    public void close() {
        events.close();
        output.close();
        deadLetters.close();
    }

    static int examplesPerPhase() {
        return EXAMPLES;
    }
}
