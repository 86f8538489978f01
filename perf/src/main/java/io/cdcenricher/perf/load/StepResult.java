package io.cdcenricher.perf.load;

import java.util.Map;

/**
 * What one step of a load test measured.
 *
 * @param step            1-based
 * @param offeredRate     the rate the schedule asked for, events/s
 * @param seconds         how long the step ran (shorter than planned when it was stopped)
 * @param sent            events sent in the step
 * @param sentRate        events sent per second
 * @param achievedRate    events that came out (output or dead letter, of any step of the run) per second during the
 *                        step: what the deployment delivered while this load was offered
 * @param output          the step's events read from the output topic
 * @param deadLetters     the step's events read from the dead-letter topic
 * @param duplicates      the step's events read more than once (0 under exactly-once)
 * @param notReceived     the step's events not out when the run ended (after the drain)
 * @param latencyCount    latency samples recorded: every event received once, but those of the warm-up
 * @param warmupEvents    events of the warm-up ({@link WarmUp}) received once: counted, latency not recorded
 * @param p50Ms           end-to-end latency from the intended send time, percentiles and max, in ms
 * @param maxBacklog      the largest backlog sampled during the step (run-wide: sent minus out)
 * @param endBacklog      the backlog at the step's end
 * @param maxSenderLag    the most events the sender was behind its schedule (its own limit, not the deployment's)
 * @param sustained       the backlog did not keep growing (see {@link SustainableRateFinder})
 * @param verdict         {@code sustained}, or why not
 * @param statuses        per join, per status (hit, miss, late, deleted, skipped), the step's output events
 * @param deadLetterReasons per {@code dlq.reason}, the step's dead letters
 */
public record StepResult(int step, double offeredRate, double seconds, long sent, double sentRate, double achievedRate,
                         long output, long deadLetters, long duplicates, long notReceived, long latencyCount,
                         long warmupEvents, double p50Ms, double p90Ms, double p99Ms, double p999Ms, double maxMs,
                         long maxBacklog, long endBacklog, long maxSenderLag, boolean sustained, String verdict,
                         Map<String, Map<String, Long>> statuses, Map<String, Long> deadLetterReasons) {

    public StepResult {
        statuses = Map.copyOf(statuses);
        deadLetterReasons = Map.copyOf(deadLetterReasons);
    }
}
