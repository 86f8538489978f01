package io.cdcenricher.perf;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One contender of the throughput race, named as the report shows it: {@code enricher}, {@code enricher-jar},
 * {@code rpc-1ms}, or {@code diy#2} when {@code --modes} lists a mode twice (each listing is its own entry, so two
 * identical entries show the noise between them).
 *
 * @param label        the name in the report: the variant, plus {@code #n} when its mode is listed more than once
 * @param variant      what runs, without the {@code #n}
 * @param kind         how the harness runs it
 * @param rpcLatencyMs the lookup service's injected latency, for {@link Kind#RPC}; 0 otherwise
 */
public record RaceEntry(String label, String variant, Kind kind, int rpcLatencyMs) {

    /** How an entry runs; in the order the warm-up runs them (the enricher first: passthrough pads to its output). */
    public enum Kind {
        /** The released jar as its own process. */
        ENRICHER_JAR,
        /** EnrichmentTopology in the harness JVM, like the baselines. */
        ENRICHER,
        PARTITIONED,
        /** The in-JVM enricher with its table in the in-memory store. */
        IN_MEMORY,
        DIY,
        PASSTHROUGH,
        RPC
    }

    /** The variant of an entry's label: {@code diy#2} is a {@code diy}. */
    public static String variantOf(String label) {
        int hash = label.indexOf('#');
        return hash < 0 ? label : label.substring(0, hash);
    }

    /** Whether a label names an enricher (in-JVM, jar or partitioned): these are what the ratios measure. */
    public static boolean isEnricher(String label) {
        return variantOf(label).startsWith("enricher");
    }

    /**
     * The entries of a {@code --modes} list, in its order: {@code enricher} brings the jar and the in-JVM enricher,
     * {@code rpc} one entry per injected latency; a mode listed k &gt; 1 times gets {@code #1} .. {@code #k}.
     */
    public static List<RaceEntry> expand(List<PerfOptions.Mode> modes, List<Integer> rpcLatenciesMs) {
        Map<PerfOptions.Mode, Integer> listed = new HashMap<>();
        modes.forEach(mode -> listed.merge(mode, 1, Integer::sum));
        Map<PerfOptions.Mode, Integer> seen = new HashMap<>();
        List<RaceEntry> entries = new ArrayList<>();
        for (PerfOptions.Mode mode : modes) {
            int n = seen.merge(mode, 1, Integer::sum);
            String suffix = listed.get(mode) > 1 ? "#" + n : "";
            for (RaceEntry variant : variants(mode, rpcLatenciesMs)) {
                entries.add(new RaceEntry(variant.variant() + suffix, variant.variant(), variant.kind(), variant.rpcLatencyMs()));
            }
        }
        return List.copyOf(entries);
    }

    /**
     * The warm-up: every distinct variant once, unsuffixed, enricher first (its output size pads passthrough);
     * identical entries share one warm-up since they run the same code.
     */
    public static List<RaceEntry> warmUp(List<RaceEntry> entries) {
        Map<String, RaceEntry> distinct = new LinkedHashMap<>();
        for (RaceEntry e : entries) {
            distinct.putIfAbsent(e.variant(), new RaceEntry(e.variant(), e.variant(), e.kind(), e.rpcLatencyMs()));
        }
        return distinct.values().stream().sorted(Comparator.comparing(RaceEntry::kind)).toList();
    }

    private static List<RaceEntry> variants(PerfOptions.Mode mode, List<Integer> rpcLatenciesMs) {
        return switch (mode) {
            case ENRICHER -> List.of(plain("enricher-jar", Kind.ENRICHER_JAR), plain("enricher", Kind.ENRICHER));
            case PARTITIONED -> List.of(plain("enricher-partitioned", Kind.PARTITIONED));
            case IN_MEMORY -> List.of(plain("enricher-in-memory", Kind.IN_MEMORY));
            case DIY -> List.of(plain("diy", Kind.DIY));
            case PASSTHROUGH -> List.of(plain("passthrough", Kind.PASSTHROUGH));
            case RPC -> rpcLatenciesMs.stream().map(ms -> new RaceEntry("rpc-" + ms + "ms", "rpc-" + ms + "ms", Kind.RPC, ms)).toList();
        };
    }

    private static RaceEntry plain(String name, Kind kind) {
        return new RaceEntry(name, name, kind, 0);
    }

    /** The label as a topic, application id and folder name allow it: {@code diy#2} becomes {@code diy_2}. */
    public String slug() {
        return label.replace('#', '_');
    }
}
