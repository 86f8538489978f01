package io.cdcenricher.perf.load;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * This JVM's garbage-collection time so far, in ms: the load generator's and the matcher's own pauses. A latency
 * spike in a second in which the harness paused may be the harness's doing (events not sent on time, records not
 * read on time), not the enricher's. Summed over the collectors' beans, leaving out those that time concurrent
 * cycles ({@code G1 Concurrent GC} from Java 20, {@code ZGC Cycles}, {@code Shenandoah Cycles}): those run beside
 * the application and would count as pauses what is not one. With the default G1 on Java 17 that leaves the young,
 * mixed and full collections.
 */
public final class HarnessGc {

    private static final List<GarbageCollectorMXBean> PAUSING = ManagementFactory.getGarbageCollectorMXBeans().stream()
            .filter(HarnessGc::pauses).toList();

    private HarnessGc() {
    }

    /** The collection time of this JVM's pausing collectors since it started, in ms. */
    public static long millis() {
        long sum = 0;
        for (GarbageCollectorMXBean bean : PAUSING) {
            sum += Math.max(0, bean.getCollectionTime()); // -1: not available
        }
        return sum;
    }

    static boolean pauses(GarbageCollectorMXBean bean) {
        return pauses(bean.getName());
    }

    /** Whether a collector bean of this name times pauses rather than concurrent cycles. */
    static boolean pauses(String name) {
        return !name.contains("Concurrent") && !name.contains("Cycles");
    }
}
