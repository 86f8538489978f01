package io.cdcenricher.perf.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

import io.cdcenricher.perf.Format;

/**
 * The stopping rule of a load test, and what it concludes. The backlog is the run's events sent but not yet out
 * (output or dead letter). Some backlog is normal: events in flight, a commit interval's worth under exactly-once.
 * So a step is <b>not sustained</b> when the backlog has stayed above the slack (one second of the step's rate: far
 * more than a healthy enricher holds in flight) without a break for longer than the bound, and is larger at the end
 * of that stretch than at its start: it kept growing. A backlog that is large but shrinking is the enricher catching
 * up, and passes.
 *
 * <p>The stretch runs across step boundaries: a backlog that began to grow in one step and is still growing in the
 * next is one stretch (resetting it at each step would let a ramp of short steps climb over its limit). So the
 * sustainable rate is the highest offered rate of the steps before the step in which the growing stretch began.
 * Pure arithmetic on (time, backlog) samples, so it is tested without a cluster.
 */
public final class SustainableRateFinder {

    /** One second of the step's rate may be in flight before the backlog counts as growing. */
    static final double SLACK_SECONDS = 1.0;

    private final long boundNanos;
    private final List<double[]> steps = new ArrayList<>(); // {offered, achieved, sustained ? 1 : 0}
    private double rate;
    private long streakStartNanos = -1;
    private long streakStartBacklog;
    private int streakStartStep;
    private int growthStep = -1;
    private boolean broken;
    private String reason = "";

    public SustainableRateFinder(Duration bound) {
        if (bound.isNegative() || bound.isZero()) {
            throw new IllegalArgumentException("--backlog-bound must be positive");
        }
        this.boundNanos = bound.toNanos();
    }

    /** A new step begins at {@code rate} events/s; a growing stretch of the step before goes on. */
    public void startStep(double rate) {
        this.rate = rate;
        this.broken = false;
        this.reason = "";
    }

    /** The backlog that counts as growing at the current step's rate. */
    public long slack() {
        return Math.max(1, Math.round(rate * SLACK_SECONDS));
    }

    /**
     * One sample of the backlog, at {@code nanos} (any monotonic clock). Returns whether the step is still sustained;
     * once it is not, it stays not sustained until the next {@link #startStep}.
     */
    public boolean observe(long nanos, long backlog) {
        if (broken) {
            return false;
        }
        if (backlog <= slack()) {
            streakStartNanos = -1;
            return true;
        }
        if (streakStartNanos < 0) {
            streakStartNanos = nanos;
            streakStartBacklog = backlog;
            streakStartStep = steps.size();
            return true;
        }
        if (nanos - streakStartNanos > boundNanos && backlog > streakStartBacklog) {
            broken = true;
            if (growthStep < 0) {
                growthStep = streakStartStep;
            }
            reason = String.format("backlog above %,d (1 s of load) for %.1f s and growing: %,d -> %,d events%s",
                    slack(), (nanos - streakStartNanos) / 1e9, streakStartBacklog, backlog,
                    streakStartStep < steps.size() ? " (growing since step " + (streakStartStep + 1) + ")" : "");
            return false;
        }
        return true;
    }

    public boolean sustained() {
        return !broken;
    }

    /** Whether the backlog is above the slack right now and has grown since its stretch began: worth a word. */
    public boolean growing(long backlog) {
        return streakStartNanos >= 0 && backlog > streakStartBacklog;
    }

    /** Why the step is not sustained; empty while it is. */
    public String reason() {
        return reason;
    }

    /** Records a finished step for the conclusion. */
    public void stepDone(double offered, double achieved, boolean sustained) {
        stepDone(offered, achieved, sustained, false);
    }

    /** As above; {@code growingAtEnd}: its backlog was above the slack and growing when it ended, within the bound. */
    public void stepDone(double offered, double achieved, boolean sustained, boolean growingAtEnd) {
        steps.add(new double[] {offered, achieved, sustained ? 1 : 0, growingAtEnd ? 1 : 0});
    }

    /**
     * The highest offered rate before the first step that was not sustained, and before the step in which its growing
     * backlog began; empty when there is none.
     */
    public OptionalDouble sustainableRate() {
        OptionalDouble best = OptionalDouble.empty();
        for (int i = 0; i < steps.size(); i++) {
            double[] step = steps.get(i);
            if (step[2] == 0 || (growthStep >= 0 && i >= growthStep)) {
                break;
            }
            if (best.isEmpty() || step[0] > best.getAsDouble()) {
                best = OptionalDouble.of(step[0]);
            }
        }
        return best;
    }

    /** Whether some step was not sustained: the limit was found. */
    public boolean limitFound() {
        return steps.stream().anyMatch(step -> step[2] == 0);
    }

    /** The sentence of the report: where the deployment broke, or that it did not. */
    public String conclusion() {
        if (steps.isEmpty()) {
            return "no step ran";
        }
        OptionalDouble best = sustainableRate();
        double firstBroken = steps.stream().filter(s -> s[2] == 0).mapToDouble(s -> s[0]).findFirst().orElse(Double.NaN);
        if (!limitFound()) {
            double[] last = steps.get(steps.size() - 1);
            return "every step was sustained: the limit is above " + Format.rate(best.orElseThrow()) + " events/s"
                    + (last[3] == 1 ? ", but the last step's backlog was still growing when it ended (the limit may be "
                    + "close: longer steps would tell)" : "");
        }
        if (best.isEmpty()) {
            return "not even the first step (" + Format.rate(steps.get(0)[0]) + " events/s) was sustained";
        }
        int brokenIndex = 0;
        while (steps.get(brokenIndex)[2] != 0) {
            brokenIndex++;
        }
        if (growthStep >= 0 && growthStep < brokenIndex) {
            return "sustainable rate: " + Format.rate(best.getAsDouble()) + " events/s (the backlog began to grow at "
                    + Format.rate(steps.get(growthStep)[0]) + " events/s and kept growing until "
                    + Format.rate(firstBroken) + " events/s)";
        }
        return "sustainable rate: " + Format.rate(best.getAsDouble()) + " events/s (the next step, "
                + Format.rate(firstBroken) + " events/s, was not sustained)";
    }
}
