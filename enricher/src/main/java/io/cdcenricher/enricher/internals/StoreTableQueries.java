package io.cdcenricher.enricher.internals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import io.cdcenricher.enricher.JoinStatus;
import io.cdcenricher.enricher.config.EnricherConfig;
import io.cdcenricher.enricher.config.JoinConfig;
import io.cdcenricher.enricher.http.TableQueries;
import io.cdcenricher.enricher.http.TableAnswer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.query.StateQueryResult;
import org.apache.kafka.streams.query.VersionedKeyQuery;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.VersionedRecord;

/**
 * Answers {@code /tables/{join}/{key}} from the running application's stores (interactive queries): a global table
 * is complete on every instance; a partitioned table is asked on the instance that holds the key's partition
 * ({@code application.server}), as the row the enricher would splice right now.
 */
public final class StoreTableQueries implements TableQueries {

    private final KafkaStreams streams;
    private final HostInfo self;
    private final Map<String, ForeignKeyLookup> joins = new LinkedHashMap<>();

    /** @param self this instance's {@code application.server} address */
    public StoreTableQueries(KafkaStreams streams, EnricherConfig config, HostInfo self) {
        this.streams = streams;
        this.self = self;
        config.joins().forEach(join -> joins.put(join.name(), new ForeignKeyLookup(join)));
    }

    @Override
    public TableAnswer lookup(String joinName, String key) {
        ForeignKeyLookup lookup = joins.get(joinName);
        if (lookup == null) {
            return new TableAnswer.UnknownJoin(joinName);
        }
        JoinConfig join = lookup.join();
        String store = ReferenceTable.storeName(join);
        byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
        byte[][] rows = new byte[1][];
        try {
            if (!join.isPartitioned()) {
                ReadOnlyKeyValueStore<Bytes, byte[]> global = streams.store(
                        StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.<Bytes, byte[]>keyValueStore()));
                return answer(statusOf(lookup, global.get(Bytes.wrap(keyBytes)), rows), rows[0]);
            }
            KeyQueryMetadata metadata = streams.queryMetadataForKey(store, key, new StringSerializer());
            if (metadata == null || metadata.activeHost() == null || metadata.partition() < 0) {
                return new TableAnswer.Unavailable("no instance holds the partition of key '" + key + "' yet");
            }
            if (!metadata.activeHost().equals(self) && !HostInfo.unavailable().equals(metadata.activeHost())) {
                return new TableAnswer.Elsewhere(metadata.activeHost().host() + ":" + metadata.activeHost().port());
            }
            if (join.isVersioned()) {
                StateQueryResult<VersionedRecord<byte[]>> result = streams.query(StateQueryRequest.inStore(store)
                        .withQuery(VersionedKeyQuery.<Bytes, byte[]>withKey(Bytes.wrap(keyBytes)))
                        .withPartitions(Set.of(metadata.partition())));
                var partitionResult = result.getPartitionResults().get(metadata.partition());
                if (partitionResult == null || partitionResult.isFailure()) {
                    return new TableAnswer.Unavailable(partitionResult == null ? "no result"
                            : partitionResult.getFailureMessage());
                }
                VersionedRecord<byte[]> version = partitionResult.getResult();
                return answer(statusOf(lookup, version == null ? null : version.value(), rows), rows[0]);
            }
            ReadOnlyKeyValueStore<Bytes, byte[]> local = streams.store(StoreQueryParameters
                    .fromNameAndType(store, QueryableStoreTypes.<Bytes, byte[]>keyValueStore())
                    .withPartition(metadata.partition()));
            return answer(statusOf(lookup, local.get(Bytes.wrap(keyBytes)), rows), rows[0]);
        } catch (InvalidStateStoreException e) {
            return new TableAnswer.Unavailable("store '" + store + "' is not queryable now: " + e.getMessage());
        }
    }

    private static JoinStatus statusOf(ForeignKeyLookup lookup, byte[] stored, byte[][] rows) {
        return lookup.statusOfStored(stored, System.currentTimeMillis(), rows, 0);
    }

    private static TableAnswer answer(JoinStatus status, byte[] row) {
        if (status == JoinStatus.HIT) {
            // Stored rows carry a one-byte marker before the JSON object (and may carry a version after it).
            return new TableAnswer.Found(Arrays.copyOfRange(row, 1, 1 + ReferenceTable.jsonLength(row)));
        }
        return status == JoinStatus.DELETED ? new TableAnswer.Deleted() : new TableAnswer.Missing();
    }
}
