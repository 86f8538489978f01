package io.cdcenricher.enricher.internals;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Produced;

/**
 * Writes the processor's outcomes to the output topic or the dead-letter topic.
 *
 * <p>One sink that picks the topic per record, rather than a split into two sinks: every node a record passes costs
 * a forward (record context, header and {@code Record} copies), and on the single-pass path that forwarding was the
 * largest share of the enricher's time in the profile, more than parsing or the table lookup.
 */
final class DeadLetterRouter {

    /** Writes an outcome's value bytes; an outcome is never read back, so the serde only serializes. */
    private static final Serializer<Outcome> VALUE = (topic, outcome) -> outcome.value();

    private DeadLetterRouter() {
    }

    /** Sends the dead letters among {@code outcomes} to {@code deadLetter} and the rest to {@code output}. */
    static void route(KStream<byte[], Outcome> outcomes, Topic<byte[], byte[]> output,
                      Topic<byte[], byte[]> deadLetter) {
        Serde<Outcome> values = Serdes.serdeFrom(VALUE, (topic, bytes) -> {
            throw new UnsupportedOperationException("outcomes are only written");
        });
        outcomes.to((key, outcome, context) -> outcome instanceof Outcome.DeadLettered ? deadLetter.name()
                        : output.name(),
                Produced.with(output.keySerde(), values).withName("sink"));
    }
}
