package io.cdcenricher.enricher.internals;

import com.fasterxml.jackson.core.JsonToken;
import io.cdcenricher.enricher.DeadLetter;
import io.cdcenricher.enricher.JoinStatus;
import io.cdcenricher.enricher.config.EnricherConfig;
import io.cdcenricher.enricher.EnrichedEventContract;
import io.cdcenricher.enricher.EnrichmentMetrics;
import io.cdcenricher.enricher.VersionOutcome;
import io.cdcenricher.enricher.config.JoinConfig;
import io.cdcenricher.enricher.config.OnMiss;
import io.cdcenricher.enricher.config.OnOverflow;
import io.cdcenricher.enricher.config.OnTimeout;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The first (with only global joins, the only) pass over each event: checks it, applies the filter, enriches it
 * with every global join, and either writes the enriched event or decides that it is a dead letter. With
 * partitioned joins it forwards a {@link PartlyEnrichedEvent} instead, for {@link PartitionedLookupProcessor} and
 * {@link PartitionedPathFinisher} to finish.
 *
 * <p>Per event: one streaming scan ({@link EventScanner}, which also picks up the filter's field), one store
 * lookup per applicable global join, one splice ({@link EventSplicer}). Checks run in a fixed order so that
 * each bad event gets one, predictable reason: null key, malformed JSON, unknown type, then the filter (a
 * filtered event is dropped and counted, not dead-lettered), output field conflict, an unreadable version (with
 * the version guard), then per join in config order the foreign key and, for global joins, the miss policy, and
 * finally the size. A partitioned join's miss policy applies at its lookup, after the first pass.
 *
 * <p>With {@code onMiss: wait} joins, an event whose wait join misses, and every later event of an entity that has
 * held events, goes to the {@link WaitBuffer} instead. A wall-clock punctuation releases held events; a released
 * event is joined again at release ({@code late} for a wait join found then) and leaves by the same paths. Events
 * of entities without held events pay one empty-map check.
 *
 * <p>With {@code event.versionField}, the {@link VersionGuard} reads an event's versions on arrival (a dead letter
 * when unreadable) and decides it when it leaves: just before the enriched event (or, with partitioned joins, the
 * pending one) is forwarded, on arrival or on release from the wait buffer. An entity's events leave in arrival
 * order, so they are decided in that order, and a held event is decided before the events queued behind it; an
 * event that ends as a dead letter of another stage of this pass (wait timeout, join miss, oversized) is never
 * accepted. Without the guard nothing of it runs.
 */
final class EnrichmentProcessor implements Processor<byte[], byte[], byte[], Outcome> {

    /** The metrics group ({@code stream-enricher-metrics}) and operation of the filtered-events counter. */
    static final String METRICS_SCOPE = "enricher";
    static final String FILTERED_OPERATION = "filtered";

    /** What the processor needs of one join, resolved once from config. */
    private record JoinPlan(JoinConfig config, ForeignKeyLookup lookup, String storeName, int foreignKeyPath,
                            int outputNameIndex, boolean[] appliesToType) {
    }

    /** Index of {@link EnrichedEventContract#STATUS_FIELD} among the reserved names. */
    private static final int STATUS_FIELD_INDEX = 0;

    private final EventScanner scanner;
    private final OutputRecords outputRecords;
    private final EventFilter filter;
    private final JoinPlan[] joins;
    private final boolean partitioned;
    private final int typePath;
    /** The path of {@code event.timestampField}, or -1 when events are timed by their record timestamp. */
    private final int timestampPath;
    private final String typeField;
    /** {@code null} when no join waits. */
    private final WaitBuffer waitBuffer;
    private final Duration checkInterval;
    private final OnOverflow onOverflow;
    /** {@code null} when {@code event.versionField} is not set. */
    private final VersionGuard guard;
    private final EnrichmentMetrics metrics;
    private final boolean recordsOutcomes;
    private final Map<String, Integer> typeIndex = new HashMap<>();

    /** Per join: the global store, {@code null} for a partitioned join (its store lives in a later task). */
    private final List<KeyValueStore<Bytes, byte[]>> stores = new ArrayList<>();
    // Reused per record in the single-pass case: a processor instance is only called by its one stream thread.
    private final JoinStatus[] statuses;
    private final byte[][] rows;
    private ProcessorContext<byte[], Outcome> context;
    private Sensor filtered;
    /** Where the record being handled was read from (the events topic, or a held event's stored source). */
    private DeadLetter.Source source;

    /**
     * @param recordsOutcomes whether this processor counts what it forwards ({@link OutcomeRecorder#record}): only
     *                        where no later stage can change an outcome, which otherwise a recorder node counts
     */
    EnrichmentProcessor(EnricherConfig config, EnrichmentMetrics metrics, boolean recordsOutcomes) {
        this.metrics = metrics;
        this.recordsOutcomes = recordsOutcomes;
        List<JoinConfig> joinConfigs = config.joins();
        List<String> reservedNames = new ArrayList<>();
        reservedNames.add(EnrichedEventContract.STATUS_FIELD);
        joinConfigs.forEach(join -> reservedNames.add(join.as()));
        this.scanner = new EventScanner(reservedNames);
        this.typeField = config.event().typeField();
        this.typePath = scanner.addPath(typeField);
        List<String> types = config.event().types();
        for (int i = 0; i < types.size(); i++) {
            typeIndex.put(types.get(i), i);
        }
        this.joins = new JoinPlan[joinConfigs.size()];
        for (int i = 0; i < joins.length; i++) {
            JoinConfig join = joinConfigs.get(i);
            boolean[] applies = new boolean[types.size()];
            for (int t = 0; t < types.size(); t++) {
                applies[t] = join.appliesTo(types.get(t));
            }
            joins[i] = new JoinPlan(join, new ForeignKeyLookup(join), ReferenceTable.storeName(join),
                    scanner.addPath(join.foreignKey()), i + 1, applies);
        }
        String timestampField = config.event().timestampField();
        this.timestampPath = timestampField == null ? -1 : scanner.addPath(timestampField);
        this.filter = config.filter() == null ? null : new EventFilter(config.filter(), scanner, types);
        this.guard = config.event().versionGuard() == null ? null : new VersionGuard(config.event().versionGuard(),
                scanner, types.indexOf(config.event().versionGuard().deleteType()));
        long[] maxWaitMs = new long[joins.length];
        for (int i = 0; i < joins.length; i++) {
            maxWaitMs[i] = joins[i].config().waits() ? joins[i].config().waiting().maxWait().toMillis() : 0;
        }
        this.waitBuffer = config.hasWaitingJoins() ? new WaitBuffer(config.waitBuffer(), maxWaitMs) : null;
        this.checkInterval = config.waitBuffer().checkInterval();
        this.onOverflow = config.waitBuffer().onOverflow();
        this.partitioned = config.hasPartitionedJoins();
        this.outputRecords = new OutputRecords(config);
        this.statuses = new JoinStatus[joins.length];
        this.rows = new byte[joins.length][];
    }

    @Override
    public void init(ProcessorContext<byte[], Outcome> context) {
        this.context = context;
        for (JoinPlan join : joins) {
            stores.add(join.config().isPartitioned() ? null : context.getStateStore(join.storeName()));
        }
        if (filter != null) {
            // One sensor per task (the entity tag), so tasks of one thread do not share a metric.
            filtered = context.metrics().addRateTotalSensor(METRICS_SCOPE, "filter-" + context.taskId(),
                    FILTERED_OPERATION, Sensor.RecordingLevel.INFO);
        }
        if (guard != null) {
            guard.init(context.getStateStore(VersionGuard.STORE_NAME));
        }
        if (waitBuffer != null) {
            waitBuffer.init(context.getStateStore(WaitBuffer.STORE_NAME), this::release, this::rowArrived,
                    context.metrics(), context.taskId());
            context.schedule(checkInterval, PunctuationType.WALL_CLOCK_TIME, waitBuffer::check);
        }
    }

    @Override
    public void close() {
        if (filtered != null) {
            context.metrics().removeSensor(filtered);
        }
        if (waitBuffer != null) {
            waitBuffer.close();
        }
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        source = source();
        if (record.key() == null) {
            deadLetter(record, DeadLetter.Reason.NULL_KEY, "the record has no key (the entity id)", null);
            return;
        }
        boolean queued = waitBuffer != null && waitBuffer.holds(record.key());
        if (record.value() == null) {
            if (queued) {
                hold(record, new byte[joins.length][]);
            } else {
                forwardTombstone(record);
            }
            return;
        }
        ScannedEvent scanned = scanChecked(record);
        if (scanned == null) {
            return;
        }
        EventScan scan = scanned.scan();
        int type = scanned.type();
        if (filter != null && !filter.keeps(scan, type)) {
            // Dropped on purpose: counted, not logged, not forwarded (output + dead letters + filtered = input).
            filtered.record();
            return;
        }
        String conflict = outputFieldConflict(scan, type);
        if (conflict != null) {
            deadLetter(record, DeadLetter.Reason.OUTPUT_FIELD_CONFLICT, "the event already has a top-level field '"
                    + conflict + "', which the enrichment writes", null);
            return;
        }
        if (guard != null && !guard.readable(scan)) {
            deadLetter(record, DeadLetter.Reason.INVALID_VERSION, guard.invalidDetail(scan), null);
            return;
        }
        enrich(record, scan, type, queued, null, null);
    }

    /**
     * Resolves every join and forwards the result, or holds the event. On arrival ({@code held == null}) a wait
     * join's miss, or an entity that already has held events ({@code queued}), holds the event; on release
     * ({@code held} given) a wait join found now is {@code late} if it was missing on arrival, and one still
     * missing is settled by the release's policy.
     */
    private void enrich(Record<byte[], byte[]> record, EventScan scan, int type, boolean queued, BufferedEvent held,
                        WaitBuffer.Release why) {
        long eventTime = eventTime(scan, record.timestamp());
        // The partitioned path needs its own arrays: the pending event travels on after this call.
        JoinStatus[] eventStatuses = partitioned ? new JoinStatus[joins.length] : statuses;
        byte[][] eventRows = partitioned ? new byte[joins.length][] : rows;
        byte[][] foreignKeys = partitioned ? new byte[joins.length][] : null;
        byte[][] waitKeys = queued ? new byte[joins.length][] : null;
        for (int i = 0; i < joins.length; i++) {
            JoinPlan join = joins[i];
            if (!resolve(record, scan, type, i, eventTime, eventStatuses, eventRows, foreignKeys)) {
                return;
            }
            boolean waitsForRow = join.config().waits() && eventStatuses[i] == JoinStatus.MISS
                    && scan.text(join.foreignKeyPath()) != null;
            if (!waitsForRow) {
                if (held != null && held.waitKeys[i] != null && eventStatuses[i] == JoinStatus.HIT) {
                    eventStatuses[i] = JoinStatus.LATE;
                }
                continue;
            }
            if (held == null) {
                if (waitKeys == null) {
                    waitKeys = new byte[joins.length][];
                }
                waitKeys[i] = scan.text(join.foreignKeyPath()).getBytes(StandardCharsets.UTF_8);
            } else if (settleAsDeadLetter(join.config(), why)) {
                deadLetter(record, why == WaitBuffer.Release.OVERFLOW ? DeadLetter.Reason.WAIT_OVERFLOW
                        : DeadLetter.Reason.WAIT_TIMEOUT, waitDetail(join.config(), scan, why), null);
                return;
            }
        }
        if (waitKeys != null) {
            hold(record, waitKeys);
            return;
        }
        if (partitioned) {
            forwardChecked(record, scan, type, record.withValue(new Outcome.Pending(new PartlyEnrichedEvent(
                    record.key(), record.value(), scan.closingBrace, scan.hasFields, eventStatuses, eventRows,
                    foreignKeys, source, timestampPath < 0 ? PartlyEnrichedEvent.RECORD_TIME : eventTime))));
            return;
        }
        forwardChecked(record, scan, type, outputRecords.enriched(record, record.key(), record.value(),
                scan.closingBrace, scan.hasFields, statuses, rows, source));
    }

    /**
     * Forwards an event leaving this pass, through the version guard when it is on: accepted (stored) or a
     * rejection sent to the output carry the {@link EnrichedEventContract#VERSION_HEADER} header; other rejections
     * are dead-lettered or dropped, by config. A dead letter of this pass (oversized) is forwarded unchecked.
     */
    private void forwardChecked(Record<byte[], byte[]> record, EventScan scan, int type, Record<byte[], Outcome> out) {
        if (guard == null || out.value() instanceof Outcome.DeadLettered) {
            emit(out);
            return;
        }
        if (!guard.readable(scan)) {
            // Checked on arrival already; unreadable now only if the config changed while the event was held.
            deadLetter(record, DeadLetter.Reason.INVALID_VERSION, guard.invalidDetail(scan), null);
            return;
        }
        VersionGuard.Versions versions = guard.read(scan, record.value());
        VersionOutcome outcome = guard.check(record.key(), versions, type);
        metrics.versionChecked(outcome);
        switch (guard.actionFor(outcome)) {
            case OUTPUT -> emit(out.withHeaders(withVersionHeader(out.headers(), outcome)));
            case DEAD_LETTER -> deadLetter(record, deadLetterReason(outcome), guard.rejectionDetail(versions, outcome),
                    null);
            case DROP -> { }
        }
    }

    /** A copy of {@code headers} whose {@link EnrichedEventContract#VERSION_HEADER} (one, current) is the outcome. */
    private static Headers withVersionHeader(Headers headers, VersionOutcome outcome) {
        Headers copy = new RecordHeaders(headers.toArray());
        copy.remove(EnrichedEventContract.VERSION_HEADER);
        copy.add(EnrichedEventContract.VERSION_HEADER, outcome.wireName().getBytes(StandardCharsets.UTF_8));
        return copy;
    }

    private static DeadLetter.Reason deadLetterReason(VersionOutcome outcome) {
        return switch (outcome) {
            case VERSION_CONFLICT -> DeadLetter.Reason.VERSION_CONFLICT;
            case DUPLICATE -> DeadLetter.Reason.DUPLICATE;
            case ENTITY_DELETED -> DeadLetter.Reason.ENTITY_DELETED;
            case ACCEPTED -> throw new IllegalArgumentException("an accepted event is not a dead letter");
        };
    }

    private boolean settleAsDeadLetter(JoinConfig join, WaitBuffer.Release why) {
        return why == WaitBuffer.Release.OVERFLOW ? onOverflow == OnOverflow.DEAD_LETTER
                : join.waiting().onTimeout() == OnTimeout.DEAD_LETTER;
    }

    private String waitDetail(JoinConfig join, EventScan scan, WaitBuffer.Release why) {
        String key = scan.text(joins[joinIndex(join)].foreignKeyPath());
        return "join '" + join.name() + "': no row with key '" + key + "' "
                + (why == WaitBuffer.Release.OVERFLOW ? "when the wait buffer was full (waitBuffer.onOverflow: "
                + "dead-letter)" : "within maxWait " + join.waiting().maxWait() + " (onTimeout: dead-letter)");
    }

    private int joinIndex(JoinConfig join) {
        for (int i = 0; i < joins.length; i++) {
            if (joins[i].config() == join) {
                return i;
            }
        }
        throw new IllegalArgumentException(join.name());
    }

    private void hold(Record<byte[], byte[]> record, byte[][] waitKeys) {
        waitBuffer.hold(new BufferedEvent(record.key(), record.value(), record.timestamp(), record.headers(), source,
                context.currentSystemTimeMs(), waitKeys), context.currentSystemTimeMs());
    }

    /** A held event leaves the buffer: it is processed as on arrival, minus the checks it already passed. */
    private void release(BufferedEvent held, WaitBuffer.Release why) {
        Record<byte[], byte[]> record = new Record<>(held.key, held.value, held.timestamp, held.headers);
        source = held.source;
        if (held.value == null) {
            forwardTombstone(record);
            return;
        }
        ScannedEvent scanned = scanChecked(record);
        if (scanned != null) {
            enrich(record, scanned.scan(), scanned.type(), false, held, why);
        }
    }

    /** An event's scan and the index of its type. */
    private record ScannedEvent(EventScan scan, int type) {
    }

    /**
     * Scans the event and resolves its type, the checks every event passes on arrival and again on release from
     * the wait buffer; null after dead-lettering it as malformed or of an unknown type.
     */
    private ScannedEvent scanChecked(Record<byte[], byte[]> record) {
        EventScan scan;
        try {
            scan = scanner.scan(record.value());
        } catch (InvalidInputException e) {
            deadLetter(record, DeadLetter.Reason.MALFORMED_JSON, e.getMessage(), e.getCause());
            return null;
        }
        Integer type = eventType(scan);
        if (type == null) {
            deadLetter(record, DeadLetter.Reason.UNKNOWN_EVENT_TYPE, describeType(scan), null);
            return null;
        }
        return new ScannedEvent(scan, type);
    }

    /** Whether a wait join's row for {@code key} is there now (any stored value: a row or a deletion marker). */
    private boolean rowArrived(int join, byte[] key) {
        byte[] stored = stores.get(join).get(Bytes.wrap(key));
        return stored != null && stored.length > 0;
    }

    /**
     * An entity tombstone: nothing to enrich, but downstream compaction needs it, in order; on the partitioned
     * path it travels the same way as the entity's events so it cannot overtake them.
     */
    private void forwardTombstone(Record<byte[], byte[]> record) {
        emit(record.withValue(partitioned
                ? new Outcome.Pending(new PartlyEnrichedEvent(record.key(), null, -1, false,
                new JoinStatus[joins.length], new byte[joins.length][], new byte[joins.length][], source))
                : new Outcome.Output(null)));
    }

    /**
     * The event time: {@code event.timestampField} as epoch millis (a number or a string of digits) or ISO-8601
     * text with an offset ({@code 2024-05-01T10:00:00Z}); the record timestamp when the field is not configured,
     * absent or not readable.
     */
    private long eventTime(EventScan scan, long recordTimestamp) {
        if (timestampPath < 0) {
            return recordTimestamp;
        }
        String text = scan.text(timestampPath);
        if (text == null) {
            return recordTimestamp;
        }
        try {
            if (scan.token(timestampPath) == JsonToken.VALUE_NUMBER_INT || text.chars().allMatch(Character::isDigit)) {
                return Long.parseLong(text);
            }
            return text.endsWith("Z") || text.endsWith("z") ? Instant.parse(text).toEpochMilli()
                    : OffsetDateTime.parse(text).toInstant().toEpochMilli();
        } catch (NumberFormatException | DateTimeParseException e) {
            return recordTimestamp;
        }
    }

    private Integer eventType(EventScan scan) {
        return scan.token(typePath) == JsonToken.VALUE_STRING ? typeIndex.get(scan.text(typePath)) : null;
    }

    private String describeType(EventScan scan) {
        JsonToken token = scan.token(typePath);
        if (token == null) {
            return "the event has no type field '" + typeField + "'";
        }
        if (token != JsonToken.VALUE_STRING) {
            return "the type field '" + typeField + "' is " + Json.kindOf(token) + ", not a string";
        }
        return "unknown event type '" + scan.text(typePath) + "'";
    }

    /** The first reserved name this event already uses and the enrichment would write, or null. */
    private String outputFieldConflict(EventScan scan, int type) {
        if (scan.reservedSeen[STATUS_FIELD_INDEX]) {
            return EnrichedEventContract.STATUS_FIELD;
        }
        for (JoinPlan join : joins) {
            if (join.appliesToType()[type] && scan.reservedSeen[join.outputNameIndex()]) {
                return join.config().as();
            }
        }
        return null;
    }

    /**
     * Fills statuses[i] and rows[i] for a global join; for a partitioned one records the foreign key to route by
     * and leaves the status {@code null} (pending) unless it is already known. False when the event was
     * dead-lettered.
     */
    private boolean resolve(Record<byte[], byte[]> record, EventScan scan, int type, int i, long eventTime,
                            JoinStatus[] statuses, byte[][] rows, byte[][] foreignKeys) {
        JoinPlan join = joins[i];
        rows[i] = null;
        String key = scan.text(join.foreignKeyPath());
        if (foreignKeys != null && join.config().isPartitioned() && key != null) {
            // Route by the foreign key even where the join is skipped, so a create and a later update of one
            // entity that both carry it take the same partition and keep their order.
            foreignKeys[i] = key.getBytes(StandardCharsets.UTF_8);
        }
        if (!join.appliesToType()[type]) {
            statuses[i] = JoinStatus.SKIPPED;
            return true;
        }
        JsonToken token = scan.token(join.foreignKeyPath());
        String foreignKeyField = join.config().foreignKey();
        if (token == null) {
            deadLetter(record, DeadLetter.Reason.MISSING_FOREIGN_KEY, "join '" + join.config().name()
                    + "': the event has no foreign key field '" + foreignKeyField + "'", null);
            return false;
        }
        if (key == null && token != JsonToken.VALUE_NULL) {
            deadLetter(record, DeadLetter.Reason.INVALID_FOREIGN_KEY, "join '" + join.config().name()
                    + "': the foreign key '" + foreignKeyField + "' is " + Json.kindOf(token)
                    + ", not a string or number", null);
            return false;
        }
        if (join.config().isPartitioned() && key != null) {
            statuses[i] = null;
            return true;
        }
        // A JSON null foreign key is an event without a reference (a left join's miss), not a broken event; it
        // needs no lookup, global or partitioned.
        byte[] keyBytes = key == null ? null : key.getBytes(StandardCharsets.UTF_8);
        statuses[i] = key == null ? JoinStatus.MISS
                : join.lookup().lookUp(stores.get(i), keyBytes, eventTime, rows, i);
        if (!statuses[i].found() && join.config().onMiss() == OnMiss.DEAD_LETTER) {
            deadLetter(record, DeadLetter.Reason.JOIN_MISS, join.lookup().missDetail(keyBytes, statuses[i]), null);
            return false;
        }
        return true;
    }

    /** Forwards an outcome, counting it first when this processor records its own outcomes. */
    private void emit(Record<byte[], Outcome> out) {
        if (recordsOutcomes) {
            OutcomeRecorder.record(metrics, out.value(), out.timestamp());
        }
        context.forward(out);
    }

    private DeadLetter.Source source() {
        return context.recordMetadata()
                .map(m -> new DeadLetter.Source(m.topic(), m.partition(), m.offset()))
                .orElse(null);
    }

    private void deadLetter(Record<byte[], byte[]> record, DeadLetter.Reason reason, String detail,
                            Throwable exception) {
        emit(OutputRecords.deadLetter(record, record.key(), record.value(), reason, detail,
                exception, source));
    }
}
