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
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Enriches each event with every configured join, or decides that it is a dead letter. All joins of an event
 * happen here, in one processor of one sub-topology, so the output order per entity key is the input order.
 *
 * <p>Per event: one streaming scan ({@link EventScanner}), one store lookup per applicable join, one splice
 * ({@link EnrichedEventWriter}). Checks run in a fixed order so that each bad event gets one, predictable
 * reason: null key, malformed JSON, unknown type, output field conflict, then per join in config order the
 * foreign key and the miss policy, and finally the size.
 */
final class EnrichmentProcessor implements Processor<byte[], byte[], byte[], Outcome> {

    /** What the processor needs of one join, resolved once from config. */
    private record JoinPlan(JoinConfig config, String storeName, int foreignKeyPath, int outputNameIndex,
                            boolean[] appliesToType) {
    }

    /** Index of {@link EnricherConfigLoader#STATUS_FIELD} among the reserved names. */
    private static final int STATUS_FIELD_INDEX = 0;

    private final EventScanner scanner;
    private final EnrichedEventWriter writer;
    private final JoinPlan[] joins;
    private final int typePath;
    private final String typeField;
    private final Map<String, Integer> typeIndex = new HashMap<>();
    private final int maxRecordBytes;

    private final List<KeyValueStore<Bytes, byte[]>> stores = new ArrayList<>();
    // Reused per record: a processor instance is only ever called by its one stream thread.
    private final JoinStatus[] statuses;
    private final byte[][] rows;
    private ProcessorContext<byte[], Outcome> context;

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
            joins[i] = new JoinPlan(join, ReferenceTable.storeName(join), scanner.addPath(join.foreignKey()), i + 1,
                    applies);
        }
        this.writer = new EnrichedEventWriter(joinConfigs);
        this.maxRecordBytes = config.maxRecordBytes();
        this.statuses = new JoinStatus[joins.length];
        this.rows = new byte[joins.length][];
    }

    @Override
    public void init(ProcessorContext<byte[], Outcome> context) {
        this.context = context;
        for (JoinPlan join : joins) {
            stores.add(context.getStateStore(join.storeName()));
        }
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        if (record.key() == null) {
            deadLetter(record, DeadLetter.Reason.NULL_KEY, "the record has no key (the entity id)", null);
            return;
        }
        if (record.value() == null) {
            // An entity tombstone: nothing to enrich, but downstream compaction needs it, in order.
            context.forward(record.withValue(new Outcome.Output(null)));
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
        String conflict = outputFieldConflict(scan, type);
        if (conflict != null) {
            deadLetter(record, DeadLetter.Reason.OUTPUT_FIELD_CONFLICT, "the event already has a top-level field '"
                    + conflict + "', which the enrichment writes", null);
            return;
        }
        for (int i = 0; i < joins.length; i++) {
            if (!lookUp(record, scan, type, i)) {
                return;
            }
        }
        int length = writer.length(record.value(), scan.closingBrace, scan.hasFields, statuses, rows);
        if (record.key().length + length > maxRecordBytes) {
            deadLetter(record, DeadLetter.Reason.OVERSIZED_RECORD, "the enriched record would be "
                    + (record.key().length + length) + " bytes (key + value), above maxRecordBytes "
                    + maxRecordBytes, null);
            return;
        }
        byte[] enriched = writer.write(record.value(), scan.closingBrace, scan.hasFields, statuses, rows);
        context.forward(record.withValue(new Outcome.Output(enriched)));
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

    /** Fills statuses[i] and rows[i]; false when the event was dead-lettered. */
    private boolean lookUp(Record<byte[], byte[]> record, EventScan scan, int type, int i) {
        JoinPlan join = joins[i];
        rows[i] = null;
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
        String key = scan.text(join.foreignKeyPath());
        if (key == null && token != JsonToken.VALUE_NULL) {
            deadLetter(record, DeadLetter.Reason.INVALID_FOREIGN_KEY, "join '" + join.config().name()
                    + "': the foreign key '" + foreignKeyField + "' is " + Json.kindOf(token)
                    + ", not a string or number", null);
            return false;
        }
        // A JSON null foreign key is an event without a reference (a left join's miss), not a broken event.
        byte[] stored = key == null ? null : stores.get(i).get(Bytes.wrap(key.getBytes(StandardCharsets.UTF_8)));
        if (stored == null) {
            statuses[i] = JoinStatus.MISS;
        } else if (ReferenceTable.isDeleted(stored)) {
            statuses[i] = JoinStatus.DELETED;
        } else {
            statuses[i] = JoinStatus.HIT;
            rows[i] = stored;
        }
        if (statuses[i] != JoinStatus.HIT && join.config().onMiss() == OnMiss.DEAD_LETTER) {
            deadLetter(record, DeadLetter.Reason.JOIN_MISS, "join '" + join.config().name() + "': "
                    + (key == null ? "the foreign key '" + foreignKeyField + "' is null"
                    : statuses[i] == JoinStatus.DELETED ? "the row with key '" + key + "' was deleted"
                    : "no row with key '" + key + "'") + " (onMiss: dead-letter)", null);
            return false;
        }
        return true;
    }

    private void deadLetter(Record<byte[], byte[]> record, DeadLetter.Reason reason, String detail,
                            Throwable exception) {
        DeadLetter.Source source = context.recordMetadata()
                .map(m -> new DeadLetter.Source(m.topic(), m.partition(), m.offset()))
                .orElse(null);
        context.forward(record
                .withValue((Outcome) new Outcome.DeadLettered(record.value()))
                .withHeaders(DeadLetter.headers(record.headers(), reason, detail, exception, source)));
    }
}
