package io.cdcenricher.enricher.config;

import java.util.List;
import java.util.Set;

/**
 * One left join of the events against a reference table.
 *
 * @param name            unique join name; names the store and the status entry in {@code enrichment}
 * @param topic           the compacted table topic (Debezium: key = primary key, value = row or tombstone)
 * @param foreignKey      dotted path of the foreign key in the event, e.g. {@code order.customer.id}
 * @param tableKeyField   the field holding the key when the table key is a JSON object like {@code {"id":42}}
 * @param fields          row fields to copy; empty = all fields except Debezium's {@code __*} fields
 * @param materialization how the table is held; only {@link Materialization#GLOBAL} is supported
 * @param store           RocksDB or in-memory
 * @param appliesTo       event types the join applies to; others get status {@code skipped}
 * @param onMiss          what a miss (or deleted row) does
 * @param as              name of the output field holding the copied row
 */
public record JoinConfig(
        String name,
        String topic,
        String foreignKey,
        String tableKeyField,
        List<String> fields,
        Materialization materialization,
        StoreType store,
        Set<String> appliesTo,
        OnMiss onMiss,
        String as) {

    public static final String DEFAULT_TABLE_KEY_FIELD = "id";

    public JoinConfig {
        fields = List.copyOf(fields);
        appliesTo = Set.copyOf(appliesTo);
    }

    public boolean appliesTo(String eventType) {
        return appliesTo.contains(eventType);
    }
}
