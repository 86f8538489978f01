package io.cdcenricher.perf.faults;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import io.cdcenricher.perf.faults.EventLoad.EventId;
import io.cdcenricher.perf.faults.ReferenceHistory.Change;

/**
 * The oracle's book-keeping and judgement, apart from any broker so that it can be tested on its own: it is fed the
 * records of the events, output and dead-letter topics, and checks them against what the load acknowledged and
 * MariaDB's change history. Per phase (the phase an event was sent in) it counts events in,
 * out, dead letters, lost (in no topic), duplicated (more than once across output and dead letters), out of order
 * (an entity's output not in its send order), misrouted (a good event dead-lettered, or a bad one in the output) and
 * wrong enrichments (a row version that never existed, or one not yet written when the enriched event was). A record
 * in the output or dead-letter topic that matches no event in the events topic is counted as unexpected, in phase -1.
 * Row-version regressions (an older version joined after a newer one, per row and output partition) are errors too:
 * CDC re-delivers rows after a Connect crash (at least once), and the enricher must skip a re-sent older version. The
 * age of the joined row is reported, informational: CDC plus enricher lag.
 */
final class DeliveryLedger {

    /** The phase of findings that belong to no sent event. */
    static final int NO_PHASE = -1;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int EXAMPLES = 5;

    /**
     * A join the enriched events carry: its name (the nested object and the status key), the table it reads, the
     * event field holding the row id, and whether a {@code miss} after a delete is correct for it: a partitioned
     * store rebuilt from the table topic (a restarted or moved task) knows no deletion markers, so it reports a row
     * deleted before the rebuild as {@code miss} (documented in enricher/README.md).
     */
    record Join(String name, String table, String foreignKey, boolean missAfterDelete) {
    }

    private record Input(int phase, boolean bad) {
    }

    private record JoinView(String status, long rowId, long rev, String name, String tier) {
    }

    private record Output(EventId id, int partition, long appendMs, Map<String, JoinView> joins) {
    }

    private record OrderIssue(EventId id, String detail) {
    }

    private final List<Join> joins;

    private final Map<EventId, Input> inputs = new HashMap<>();
    private final Map<EventId, Integer> delivered = new HashMap<>();
    private final List<Output> outputs = new ArrayList<>();
    private final Map<EventId, String> deadLetterReasons = new HashMap<>();
    private final Map<String, Integer> lastSeq = new HashMap<>();
    private final Map<String, Integer> keyPartition = new HashMap<>();
    private final List<OrderIssue> orderIssues = new ArrayList<>();
    private final Map<Integer, PhaseResult.Builder> phases = new TreeMap<>();

    DeliveryLedger(List<Join> joins) {
        this.joins = List.copyOf(joins);
    }

    /** How many events of the events topic are delivered (in the output or the dead-letter topic) so far. */
    long deliveredInputs() {
        return inputs.keySet().stream().filter(delivered::containsKey).count();
    }

    long inputs() {
        return inputs.size();
    }

    private PhaseResult.Builder phase(int number) {
        return phases.computeIfAbsent(number, PhaseResult.Builder::new);
    }

    void onInput(ConsumerRecord<byte[], byte[]> record) {
        EventId id = idOf(record);
        int phase = intHeader(record, EventLoad.PHASE_HEADER);
        boolean bad = JsonFields.text(record.value(), "type").filter(EventLoad.BAD_TYPE::equals).isPresent();
        Input previous = inputs.putIfAbsent(id, new Input(phase, bad));
        if (previous != null) {
            phase(phase).duplicatedInEvents++;
            phase(phase).example("event " + id + " is twice in the events topic (producer retry not deduplicated)");
        }
    }

    void onOutput(ConsumerRecord<byte[], byte[]> record) {
        EventId id = idOf(record);
        delivered.merge(id, 1, Integer::sum);
        Integer seenPartition = keyPartition.putIfAbsent(id.key(), record.partition());
        Integer before = lastSeq.get(id.key());
        // A second copy of the same event is a duplicate, counted as such; anything else out of sequence is reordering.
        boolean copy = before != null && id.seq() == before;
        if (!copy && (before != null && id.seq() < before || seenPartition != null && seenPartition != record.partition())) {
            orderIssues.add(new OrderIssue(id, "entity " + id.key() + ": seq " + id.seq() + " written after seq " + before
                    + " (output partition " + record.partition() + " offset " + record.offset() + ")"));
        }
        lastSeq.merge(id.key(), id.seq(), Math::max);
        Map<String, JoinView> views = new HashMap<>();
        try {
            JsonNode value = JSON.readTree(record.value());
            for (Join join : joins) {
                JsonNode row = value.path(join.name());
                views.put(join.name(), new JoinView(value.path("enrichment").path(join.name()).asText("absent"),
                        value.path(join.foreignKey()).asLong(-1), row.path("rev").asLong(-1),
                        row.path("name").asText(null), row.path("tier").asText(null)));
            }
        } catch (IOException e) {
            joins.forEach(join -> views.put(join.name(), new JoinView("unparseable", -1, -1, null, null)));
        }
        outputs.add(new Output(id, record.partition(), record.timestamp(), views));
    }

    void onDeadLetter(ConsumerRecord<byte[], byte[]> record) {
        EventId id = idOf(record);
        delivered.merge(id, 1, Integer::sum);
        Header reason = record.headers().lastHeader("dlq.reason");
        deadLetterReasons.put(id, reason == null ? "(no dlq.reason header)" : new String(reason.value(), StandardCharsets.UTF_8));
    }

    private static EventId idOf(ConsumerRecord<byte[], byte[]> record) {
        String key = record.key() == null ? "(null key)" : new String(record.key(), StandardCharsets.UTF_8);
        int seq = intHeader(record, EventLoad.SEQ_HEADER);
        if (seq < 0) {
            seq = (int) JsonFields.integer(record.value(), "seq").orElse(-1);
        }
        return new EventId(key, seq);
    }

    private static int intHeader(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        if (header == null) {
            return NO_PHASE;
        }
        try {
            return Integer.parseInt(new String(header.value(), StandardCharsets.UTF_8));
        } catch (NumberFormatException e) {
            return NO_PHASE;
        }
    }

    /**
     * The verdict per phase, once everything has been read; {@code acked} is what the load's producer was told.
     * Phase {@link #NO_PHASE} is included only when something belongs to it.
     */
    List<PhaseResult> verdict(Map<EventId, Integer> acked, Map<String, List<Change>> history) {
        for (Map.Entry<EventId, Integer> entry : acked.entrySet()) {
            if (!inputs.containsKey(entry.getKey())) {
                PhaseResult.Builder phase = phase(entry.getValue());
                phase.lostAtBroker++;
                phase.lost++;
                phase.example("event " + entry.getKey() + " was acknowledged but is not in the events topic");
            }
        }
        for (Map.Entry<EventId, Input> entry : inputs.entrySet()) {
            judgeDelivery(entry.getKey(), entry.getValue());
        }
        for (EventId id : delivered.keySet()) {
            if (!inputs.containsKey(id)) {
                phase(NO_PHASE).unexpected++;
                phase(NO_PHASE).example("record " + id + " in the output or dead-letter topic matches no sent event");
            }
        }
        for (OrderIssue issue : orderIssues) {
            Input input = inputs.get(issue.id());
            PhaseResult.Builder phase = phase(input == null ? NO_PHASE : input.phase());
            phase.outOfOrder++;
            phase.example(issue.detail());
        }
        checkEnrichments(history);
        return phases.values().stream().filter(b -> b.number != NO_PHASE || b.hasFindings())
                .map(PhaseResult.Builder::build).toList();
    }

    private void judgeDelivery(EventId id, Input input) {
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

    private void checkEnrichments(Map<String, List<Change>> history) {
        Map<String, Long> lastRev = new HashMap<>();
        for (Output out : outputs) {
            Input input = inputs.get(out.id());
            PhaseResult.Builder phase = phase(input == null ? NO_PHASE : input.phase());
            phase.out++;
            if (input != null && input.bad()) {
                phase.misrouted++;
                phase.example("bad event " + out.id() + " reached the output");
                continue;
            }
            for (Join join : joins) {
                JoinView view = out.joins().get(join.name());
                String row = join.table() + "/" + view.rowId();
                String problem = judgeJoin(out, view, join, row, history.getOrDefault(row, List.of()), phase, lastRev);
                if (problem != null) {
                    phase.wrongEnrichment++;
                    phase.example("event " + out.id() + ", join " + join.name() + ": " + problem);
                }
            }
        }
    }

    private String judgeJoin(Output out, JoinView view, Join join, String row, List<Change> changes,
                             PhaseResult.Builder phase, Map<String, Long> lastRev) {
        boolean deletedBefore = changes.stream().anyMatch(c -> c.isDelete() && c.changedMs() <= out.appendMs());
        return switch (view.status()) {
            case "hit" -> judgeHit(out, view, join, row, changes, phase, lastRev);
            case "deleted" -> deletedBefore ? null : "status deleted, but " + row + " had no delete before the output was written";
            case "miss" -> join.missAfterDelete() && deletedBefore ? null : "status miss for " + row
                    + (deletedBefore ? " (deleted before, but this join reports deletes)" : ", which existed all along");
            default -> "status " + view.status() + " for " + row;
        };
    }

    private String judgeHit(Output out, JoinView view, Join join, String row, List<Change> changes,
                            PhaseResult.Builder phase, Map<String, Long> lastRev) {
        Change version = null;
        Change next = null;
        for (Change c : changes) {
            if (version != null) {
                next = c;
                break;
            }
            if (c.rev() == view.rev()) {
                version = c;
            }
        }
        if (version == null || version.isDelete()) {
            return "row version rev=" + view.rev() + " of " + row + " is not in MariaDB's history";
        }
        if (!version.name().equals(view.name()) || !version.tier().equals(view.tier())) {
            return "row version rev=" + view.rev() + " has name/tier " + version.name() + "/" + version.tier()
                    + " in MariaDB, the event carries " + view.name() + "/" + view.tier();
        }
        if (version.changedMs() > out.appendMs()) {
            return "row version rev=" + view.rev() + " was written " + (version.changedMs() - out.appendMs())
                    + " ms after the enriched event";
        }
        String slot = join.name() + "/" + out.partition() + "/" + row;
        Long before = lastRev.put(slot, view.rev());
        if (before != null && before > view.rev()) {
            phase.regressions++;
            phase.example("regression: " + join.name() + " " + row + " joined with rev=" + view.rev() + " after rev="
                    + before + " in output partition " + out.partition());
            lastRev.put(slot, before);
        }
        if (next != null && next.changedMs() < out.appendMs()) {
            phase.maxRowAgeMs = Math.max(phase.maxRowAgeMs, out.appendMs() - next.changedMs());
        }
        return null;
    }

    static int examplesPerPhase() {
        return EXAMPLES;
    }
}
