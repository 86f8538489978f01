package io.cdcenricher.perf.faults;

import java.util.ArrayList;
import java.util.List;

/**
 * What the oracle found for the events sent during one phase.
 *
 * @param number             the phase number (0 = baseline)
 * @param in                 events in the events topic
 * @param out                of them, in the output topic
 * @param deadLetters        of them, in the dead-letter topic
 * @param lost               in neither (including acknowledged events missing from the events topic)
 * @param lostAtBroker       acknowledged by the broker but not in the events topic
 * @param duplicated         delivered more than once across output and dead-letter topic
 * @param duplicatedInEvents twice in the events topic itself
 * @param outOfOrder         output records of an entity that came after a later event of the same entity
 * @param misrouted          good events dead-lettered, or bad ones in the output
 * @param unexpected         output or dead-letter records that match no sent event (phase -1 only)
 * @param wrongEnrichment    row versions that never existed or did not exist yet when the event was written
 * @param regressions        an older row version joined after a newer one for the same row and output partition
 *                           (an error: a re-sent older table record must be skipped, never served)
 * @param maxRowAgeMs        longest time between a newer row version's commit and an event written with the older one
 *                           (informational: CDC plus enricher lag)
 * @param examples           the first few problems, for the report
 */
record PhaseResult(int number, long in, long out, long deadLetters, long lost, long lostAtBroker, long duplicated,
                   long duplicatedInEvents, long outOfOrder, long misrouted, long unexpected, long wrongEnrichment,
                   long regressions,
                   long maxRowAgeMs, List<String> examples) {

    /** Nothing lost, duplicated, reordered, misrouted, wrongly enriched or regressed. */
    boolean clean() {
        return lost == 0 && duplicated == 0 && duplicatedInEvents == 0 && outOfOrder == 0 && misrouted == 0
                && unexpected == 0 && wrongEnrichment == 0 && regressions == 0;
    }

    /** Mutable counters while the oracle reads. */
    static final class Builder {
        final int number;
        long in;
        long out;
        long deadLetters;
        long lost;
        long lostAtBroker;
        long duplicated;
        long duplicatedInEvents;
        long outOfOrder;
        long misrouted;
        long unexpected;
        long wrongEnrichment;
        long regressions;
        long maxRowAgeMs;
        final List<String> examples = new ArrayList<>();

        Builder(int number) {
            this.number = number;
        }

        boolean hasFindings() {
            return in > 0 || out > 0 || lost > 0 || outOfOrder > 0 || unexpected > 0 || wrongEnrichment > 0 || misrouted > 0
                    || regressions > 0;
        }

        void example(String text) {
            if (examples.size() < DeliveryLedger.examplesPerPhase()) {
                examples.add(text);
            }
        }

        PhaseResult build() {
            return new PhaseResult(number, in, out, deadLetters, lost, lostAtBroker, duplicated, duplicatedInEvents,
                    outOfOrder, misrouted, unexpected, wrongEnrichment, regressions, maxRowAgeMs, List.copyOf(examples));
        }
    }
}
