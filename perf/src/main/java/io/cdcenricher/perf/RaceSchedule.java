package io.cdcenricher.perf;

import java.util.ArrayList;
import java.util.List;

/**
 * The order of the measured rounds. Round r (0-based) runs the entries rotated left by an offset, so no entry always
 * runs first (cold, or right after the warm-up) or always last (after the machine has heated up, the broker's logs
 * have grown). With at least as many rounds as entries the offset is r: every entry runs first at least once. With
 * fewer rounds than entries it is r * entries / rounds, which spreads the first places over the whole list instead of
 * giving them to its head, and moves each entry through early, middle and late places.
 */
public final class RaceSchedule {

    private RaceSchedule() {
    }

    /** How far round {@code round} (0-based) of {@code rounds} rotates a list of {@code entries}. */
    public static int offset(int round, int entries, int rounds) {
        if (entries == 0) {
            return 0;
        }
        return rounds >= entries ? round % entries : round * entries / rounds;
    }

    /** The entries of each round, in running order: rounds(list, n).get(r) is round r + 1 of the report. */
    public static <T> List<List<T>> rounds(List<T> entries, int rounds) {
        List<List<T>> schedule = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            int offset = offset(r, entries.size(), rounds);
            List<T> round = new ArrayList<>(entries.size());
            for (int i = 0; i < entries.size(); i++) {
                round.add(entries.get((i + offset) % entries.size()));
            }
            schedule.add(List.copyOf(round));
        }
        return List.copyOf(schedule);
    }

    /**
     * How many input records a warm-up run drains: a tenth of the measured input, at least 1,000 (all of it when there
     * are fewer). Enough for the JIT to compile the per-record paths, short next to the measured runs.
     */
    public static long warmUpShare(long measured) {
        return Math.min(measured, Math.max(1_000, measured / 10));
    }
}
