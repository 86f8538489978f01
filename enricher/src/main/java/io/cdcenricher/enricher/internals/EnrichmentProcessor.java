package io.cdcenricher.enricher.internals;

import com.fasterxml.jackson.core.JsonToken;
import io.cdcenricher.enricher.DeadLetter;
import io.cdcenricher.enricher.JoinStatus;
import io.cdcenricher.enricher.config.EnricherConfig;
import io.cdcenricher.enricher.config.EnricherConfigLoader;
import io.cdcenricher.enricher.config.JoinConfig;
import io.cdcenricher.enricher.config.OnMiss;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The first (with only global joins, the only) pass over each event: checks it, applies the filter, enriches it
 * with every global join, and either writes the enriched event or decides that it is a dead letter. With
 * partitioned joins it forwards a {@link PendingEvent} instead, for {@link PartitionedLookupProcessor} and
 * {@link PendingEventProcessor} to finish.
 *
 * <p>Per event: one streaming scan ({@link EventScanner}, which also picks up the filter's field), one store
 * lookup per applicable global join, one splice ({@link EnrichedEventWriter}). Checks run in a fixed order so that
 * each bad event gets one, predictable reason: null key, malformed JSON, unknown type, then the filter (a
 * filtered event is dropped and counted, not dead-lettered), output field conflict, then per join in config
 * order the foreign key and, for global joins, the miss policy, and finally the size. A partitioned join's miss
 * policy applies at its lookup, after the first pass.
 */
final class EnrichmentProcessor implements Processor<byte[], byte[], byte[], Outcome> {

    /** The metrics group ({@code stream-enricher-metrics}) and operation of the filtered-events counter. */
    static final String METRICS_SCOPE = "enricher";
    static final String FILTERED_OPERATION = "filtered";

    /** What the processor needs of one join, resolved once from config. */
    private record JoinPlan(JoinConfig config, JoinLookup lookup, String storeName, int foreignKeyPath,
                            int outputNameIndex, boolean[] appliesToType) {
    }

    /** Index of {@link EnricherConfigLoader#STATUS_FIELD} among the reserved names. */
    private static final int STATUS_FIELD_INDEX = 0;

    private final EventScanner scanner;
    private final EnrichedEventFinisher finisher;
    private final EventFilter filter;
    private final JoinPlan[] joins;
    private final boolean partitioned;
    private final int typePath;
    private final String typeField;
    private final Map<String, Integer> typeIndex = new HashMap<>();

    /** Per join: the global store, {@code null} for a partitioned join (its store lives in a later task). */
    private final List<KeyValueStore<Bytes, byte[]>> stores = new ArrayList<>();
    // Reused per record in the single-pass case: a processor instance is only called by its one stream thread.
    private final JoinStatus[] statuses;
    private final byte[][] rows;
    private ProcessorContext<byte[], Outcome> context;
    private Sensor filtered;

    EnrichmentProcessor(EnricherConfig config) {
        List<JoinConfig> joinConfigs = config.joins();
        List<String> reservedNames = new ArrayList<>();
        reservedNames.add(EnricherConfigLoader.STATUS_FIELD);
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
            joins[i] = new JoinPlan(join, new JoinLookup(join), ReferenceTable.storeName(join),
                    scanner.addPath(join.foreignKey()), i + 1, applies);
        }
        this.filter = config.filter() == null ? null : new EventFilter(config.filter(), scanner, types);
        this.partitioned = config.hasPartitionedJoins();
        this.finisher = new EnrichedEventFinisher(config);
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
    }

    @Override
    public void close() {
        if (filtered != null) {
            context.metrics().removeSensor(filtered);
        }
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        if (record.key() == null) {
            deadLetter(record, DeadLetter.Reason.NULL_KEY, "the record has no key (the entity id)", null);
            return;
        }
        if (record.value() == null) {
            // An entity tombstone: nothing to enrich, but downstream compaction needs it, in order; on the
            // partitioned path it travels the same way as the entity's events so it cannot overtake them.
            context.forward(record.withValue(partitioned
                    ? new Outcome.Pending(new PendingEvent(record.key(), null, -1, false,
                    new JoinStatus[joins.length], new byte[joins.length][], new byte[joins.length][], source()))
                    : new Outcome.Output(null)));
            return;
        }
        EventScan scan;
        try {
            scan = scanner.scan(record.value());
        } catch (InvalidInputException e) {
            deadLetter(record, DeadLetter.Reason.MALFORMED_JSON, e.getMessage(), e.getCause());
            return;
        }
        Integer type = eventType(scan);
        if (type == null) {
            deadLetter(record, DeadLetter.Reason.UNKNOWN_EVENT_TYPE, describeType(scan), null);
            return;
        }
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
        // The partitioned path needs its own arrays: the pending event travels on after this call.
        JoinStatus[] eventStatuses = partitioned ? new JoinStatus[joins.length] : statuses;
        byte[][] eventRows = partitioned ? new byte[joins.length][] : rows;
        byte[][] foreignKeys = partitioned ? new byte[joins.length][] : null;
        for (int i = 0; i < joins.length; i++) {
            if (!resolve(record, scan, type, i, eventStatuses, eventRows, foreignKeys)) {
                return;
            }
        }
        if (partitioned) {
            context.forward(record.withValue(new Outcome.Pending(new PendingEvent(record.key(), record.value(),
                    scan.closingBrace, scan.hasFields, eventStatuses, eventRows, foreignKeys, source()))));
            return;
        }
        context.forward(finisher.finish(record, record.key(), record.value(), scan.closingBrace, scan.hasFields,
                statuses, rows, source()));
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
            return EnricherConfigLoader.STATUS_FIELD;
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
    private boolean resolve(Record<byte[], byte[]> record, EventScan scan, int type, int i, JoinStatus[] statuses,
                            byte[][] rows, byte[][] foreignKeys) {
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
                : join.lookup().lookUp(stores.get(i), keyBytes, record.timestamp(), rows, i);
        if (statuses[i] != JoinStatus.HIT && join.config().onMiss() == OnMiss.DEAD_LETTER) {
            deadLetter(record, DeadLetter.Reason.JOIN_MISS, join.lookup().missDetail(keyBytes, statuses[i]), null);
            return false;
        }
        return true;
    }

    private DeadLetter.Source source() {
        return context.recordMetadata()
                .map(m -> new DeadLetter.Source(m.topic(), m.partition(), m.offset()))
                .orElse(null);
    }

    private void deadLetter(Record<byte[], byte[]> record, DeadLetter.Reason reason, String detail,
                            Throwable exception) {
        context.forward(EnrichedEventFinisher.deadLetter(record, record.key(), record.value(), reason, detail,
                exception, source()));
    }
}
