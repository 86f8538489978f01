package io.cdcenricher.perf.faults;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.cdcenricher.perf.faults.EventLoad.EventId;
import io.cdcenricher.perf.faults.ReferenceHistory.Change;

/**
 * The verifier: reads the events, output and dead-letter topics with read_committed, as a downstream consumer would,
 * into a {@link DeliveryLedger}, which judges them against what the load acknowledged and MariaDB's change history.
 */
final class DeliveryOracle implements AutoCloseable {

    private final CommittedReader events;
    private final CommittedReader output;
    private final CommittedReader deadLetters;
    private final DeliveryLedger ledger;

    DeliveryOracle(String bootstrap, String eventsTopic, String outputTopic, String deadLetterTopic,
                   List<DeliveryLedger.Join> joins) {
        this.events = new CommittedReader(bootstrap, eventsTopic);
        this.output = new CommittedReader(bootstrap, outputTopic);
        this.deadLetters = new CommittedReader(bootstrap, deadLetterTopic);
        this.ledger = new DeliveryLedger(joins);
    }

    /** Reads what is committed now in all three topics; returns how many events of the events topic are delivered. */
    long catchUp() {
        events.catchUp(ledger::onInput, Duration.ofSeconds(60));
        output.catchUp(ledger::onOutput, Duration.ofSeconds(60));
        deadLetters.catchUp(ledger::onDeadLetter, Duration.ofSeconds(60));
        return ledger.deliveredInputs();
    }

    long inputs() {
        return ledger.inputs();
    }

    List<PhaseResult> verdict(Map<EventId, Integer> acked, Map<String, List<Change>> history) {
        return ledger.verdict(acked, history);
    }

    @Override
    public void close() {
        events.close();
        output.close();
        deadLetters.close();
    }
}
