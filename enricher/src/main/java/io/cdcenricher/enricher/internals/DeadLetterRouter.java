package io.cdcenricher.enricher.internals;

import io.cdcenricher.enricher.EnrichmentMetrics;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;

/** Splits the processor's outcomes into the output topic and the dead-letter topic. */
final class DeadLetterRouter {

    private DeadLetterRouter() {
    }

    static void route(KStream<byte[], Outcome> outcomes, Topic<byte[], byte[]> output,
                      Topic<byte[], byte[]> deadLetter, EnrichmentMetrics metrics) {
        outcomes.processValues(() -> new OutcomeRecorder(metrics), Named.as("metrics"))
                .split(Named.as("route-"))
                .branch((key, outcome) -> outcome instanceof Outcome.DeadLettered,
                        Branched.<byte[], Outcome>withConsumer(dead -> dead
                                .mapValues(Outcome::value, Named.as("dead-letter-value"))
                                .to(deadLetter.name(), deadLetter.produced().withName("dead-letter-sink")))
                                .withName("dead-letter"))
                .defaultBranch(Branched.<byte[], Outcome>withConsumer(enriched -> enriched
                                .mapValues(Outcome::value, Named.as("output-value"))
                                .to(output.name(), output.produced().withName("output-sink")))
                        .withName("output"));
    }
}
