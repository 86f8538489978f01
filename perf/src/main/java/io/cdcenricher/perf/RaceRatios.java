package io.cdcenricher.perf;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The ratios of the report, all from medians: the enricher against each baseline (passthrough, diy, rpc-*), the jar
 * against the in-JVM enricher, and each repeated entry against its first listing (identical code: the ratio shows
 * the noise alone).
 */
public final class RaceRatios {

    /**
     * Why the ratios use the in-JVM enricher: the baselines can only run in the harness JVM, so the fair opponent is
     * the enricher that shares their JVM, heap, garbage collector and warm JIT. The jar starts a new, cold JVM
     * (-Xmx512m) for every run; its median is reported beside it (enricher-jar/enricher) rather than hidden.
     */
    public static final String BASIS_REASON = "the in-JVM enricher: passthrough, diy and rpc can only run in the harness "
            + "JVM, so the enricher that shares their JVM, heap, GC and warmed-up JIT is the like-for-like opponent. The "
            + "jar is what users run, but it starts a fresh, cold JVM (-Xmx512m) for every run: set against warm in-JVM "
            + "baselines its JIT warm-up would count against the enricher's code. The enricher-jar/enricher ratio shows "
            + "that gap on its own";

    /** One ratio of two medians. */
    public record Ratio(String name, double value, String note) {
    }

    private RaceRatios() {
    }

    /** The entry the enricher ratios use: the in-JVM enricher, its first listing when listed twice. */
    public static Optional<ModeSummary> basis(List<ModeSummary> summaries) {
        return first(summaries, "enricher");
    }

    public static List<Ratio> of(List<ModeSummary> summaries) {
        List<Ratio> ratios = new ArrayList<>();
        Optional<ModeSummary> basis = basis(summaries);
        basis.ifPresent(enricher -> {
            for (ModeSummary other : summaries) {
                if (!RaceEntry.isEnricher(other.entry())) {
                    ratio(enricher, other, "enricher vs baseline").ifPresent(ratios::add);
                }
            }
            first(summaries, "enricher-jar").flatMap(jar -> ratio(jar, enricher,
                    "the jar in its own cold JVM vs the in-JVM enricher")).ifPresent(ratios::add);
            first(summaries, "enricher-in-memory").flatMap(memory -> ratio(memory, enricher,
                    "the table in the in-memory store vs RocksDB: what the lookup costs")).ifPresent(ratios::add);
        });
        for (ModeSummary repeat : summaries) {
            String variant = RaceEntry.variantOf(repeat.entry());
            Optional<ModeSummary> firstListing = first(summaries, variant);
            if (firstListing.isPresent() && firstListing.get() != repeat) {
                ratio(repeat, firstListing.get(), "identical entries: the noise alone, ideally 1.00x").ifPresent(ratios::add);
            }
        }
        return List.copyOf(ratios);
    }

    /** The first summary of a variant: {@code diy} or {@code diy#1}. */
    private static Optional<ModeSummary> first(List<ModeSummary> summaries, String variant) {
        return summaries.stream().filter(s -> RaceEntry.variantOf(s.entry()).equals(variant)).findFirst();
    }

    private static Optional<Ratio> ratio(ModeSummary a, ModeSummary b, String what) {
        if (b.median() <= 0) {
            return Optional.empty();
        }
        String note = String.format(Locale.ROOT, "%s; medians of %d and %d runs", what, a.runs(), b.runs());
        if (!a.trusted() || !b.trusted()) {
            note += "; from a too noisy entry: do not quote";
        }
        return Optional.of(new Ratio(a.entry() + "/" + b.entry(), a.median() / b.median(), note));
    }
}
