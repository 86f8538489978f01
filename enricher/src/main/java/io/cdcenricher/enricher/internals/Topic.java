package io.cdcenricher.enricher.internals;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * A topic with its serdes, so {@code Consumed}/{@code Produced} are always built from the pair that belongs to
 * the topic.
 */
record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde) {

    /** Every topic of the enricher is read and written as raw bytes: our code, not a serde, judges the input. */
    static Topic<byte[], byte[]> bytes(String name) {
        return new Topic<>(name, Serdes.ByteArray(), Serdes.ByteArray());
    }

    Consumed<K, V> consumed() {
        return Consumed.with(keySerde, valueSerde);
    }

    Produced<K, V> produced() {
        return Produced.with(keySerde, valueSerde);
    }
}
