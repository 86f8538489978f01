package io.cdcenricher.perf.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes {@code report.md} and {@code results.csv} of a fault run, and the console summary: per phase what the
 * oracle found and how long the fault took, and per enricher fault kind how soon the output resumed.
 */
final class FaultReport {

    static final String CSV_HEADER = "phase,fault,in,out,dead_letters,lost,lost_at_broker,duplicated,"
            + "duplicated_in_events,out_of_order,misrouted,unexpected,wrong_enrichment,regressions,stale_skipped,max_row_age_ms,"
            + "recovery_ms,resume_ms";

    /**
     * What users are promised after a crash: the output resumes within 10 s of an enricher instance's kill (the median
     * of the enricher-restart phases). Reported, not part of the verdict: a timing on a shared 2-core machine is no
     * correctness check.
     */
    static final long RESTART_RESUME_TARGET_MS = 10_000;

    private FaultReport() {
    }

    static Path write(FaultOptions options, List<Fault> plan, List<FaultInjector.Injection> injections,
                      List<PhaseResult> results, StaleSkipTally staleSkips, List<String> problems, List<String> notes,
                      long tookMs) {
        try {
            Files.createDirectories(options.out());
            Files.writeString(options.out().resolve("results.csv"), csv(plan, injections, results, staleSkips));
            Path report = options.out().resolve("report.md");
            Files.writeString(report, markdown(options, plan, injections, results, staleSkips, problems, notes,
                    tookMs));
            return report;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One line per phase, in the manner of Kafka's perf tools, then the resume times per enricher fault kind. */
    static List<String> summary(List<Fault> plan, List<PhaseResult> results, List<FaultInjector.Injection> injections) {
        List<String> lines = new ArrayList<>();
        for (PhaseResult r : results) {
            lines.add(String.format("%-16s %7d in, %7d out, %5d dead letters, %d lost, %d duplicated, %d out of order, "
                            + "%d misrouted, %d wrong enrichments, %d regressions", label(plan, r.number()), r.in(),
                    r.out(), r.deadLetters(), r.lost(), r.duplicated() + r.duplicatedInEvents(), r.outOfOrder(),
                    r.misrouted(), r.wrongEnrichment(), r.regressions()));
        }
        lines.addAll(resumeSummary(injections));
        restartTarget(injections).ifPresent(lines::add);
        return lines;
    }

    /**
     * Per fault kind that measures it: "enricher-restart: 5 restarts, output resumed in median 6.2 s (min 5.1, max
     * 7.9)", in the order the kinds first occur.
     */
    static List<String> resumeSummary(List<FaultInjector.Injection> injections) {
        Map<Fault, List<Long>> byFault = new LinkedHashMap<>();
        for (FaultInjector.Injection injection : injections) {
            if (injection.fault().measuresResume() && injection.resumeMs() >= 0) {
                byFault.computeIfAbsent(injection.fault(), f -> new ArrayList<>()).add(injection.resumeMs());
            }
        }
        List<String> lines = new ArrayList<>();
        byFault.forEach((fault, times) -> lines.add(String.format("%s: %s, output resumed in median %s (min %s, max %s)%s",
                fault.label(), fault.count(times.size()), FaultInjector.seconds(median(times)),
                tenths(Collections.min(times)), tenths(Collections.max(times)),
                fault == Fault.ROLLING_RESTART ? "; each the worse of its two stops" : "")));
        return lines;
    }

    /** The target line, when the run restarted an enricher instance: the median against the promise. */
    static Optional<String> restartTarget(List<FaultInjector.Injection> injections) {
        List<Long> times = injections.stream().filter(i -> i.fault() == Fault.ENRICHER_RESTART && i.resumeMs() >= 0)
                .map(FaultInjector.Injection::resumeMs).toList();
        if (times.isEmpty()) {
            return Optional.empty();
        }
        long median = median(times);
        return Optional.of(String.format("target: output resumes within %s of an enricher kill (median of %s): %s (%s)",
                RESTART_RESUME_TARGET_MS / 1000 + " s", Fault.ENRICHER_RESTART.count(times.size()),
                median <= RESTART_RESUME_TARGET_MS ? "met" : "NOT met", FaultInjector.seconds(median)));
    }

    /** The median; of an even count, the mean of the middle two. */
    static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        int mid = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(mid) : (sorted.get(mid - 1) + sorted.get(mid)) / 2;
    }

    /** Seconds to a tenth, without the unit: the min and max follow a median that has it. */
    private static String tenths(long millis) {
        return String.format("%.1f", millis / 1000.0);
    }

    private static String csv(List<Fault> plan, List<FaultInjector.Injection> injections, List<PhaseResult> results,
                              StaleSkipTally staleSkips) {
        StringBuilder out = new StringBuilder(CSV_HEADER).append('\n');
        for (PhaseResult r : results) {
            out.append(r.number()).append(',').append(label(plan, r.number())).append(',').append(r.in()).append(',')
                    .append(r.out()).append(',').append(r.deadLetters()).append(',').append(r.lost()).append(',')
                    .append(r.lostAtBroker()).append(',').append(r.duplicated()).append(',')
                    .append(r.duplicatedInEvents()).append(',').append(r.outOfOrder()).append(',')
                    .append(r.misrouted()).append(',').append(r.unexpected()).append(',').append(r.wrongEnrichment()).append(',')
                    .append(r.regressions()).append(',').append(staleSkips.inPhase(r.number())).append(',')
                    .append(r.maxRowAgeMs()).append(',')
                    .append(recovery(injections, r.number())).append(',')
                    .append(resume(injections, r.number())).append('\n');
        }
        return out.toString();
    }

    private static String markdown(FaultOptions options, List<Fault> plan, List<FaultInjector.Injection> injections,
                                   List<PhaseResult> results, StaleSkipTally staleSkips, List<String> problems,
                                   List<String> notes, long tookMs) {
        boolean clean = results.stream().allMatch(PhaseResult::clean) && problems.isEmpty();
        long in = results.stream().mapToLong(PhaseResult::in).sum();
        StringBuilder md = new StringBuilder();
        md.append("# Fault run\n\n");
        md.append("Command: `").append(options.commandLine().trim()).append("`  \n");
        md.append("Date: ").append(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)).append("  \n");
        md.append("Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, Java ")
                .append(System.getProperty("java.version")).append("; took ").append(tookMs / 1000).append(" s  \n");
        md.append(String.format("Settings: %d events/s, %d customers (and a tenth as many products), %d row changes/s, %d partitions, %s%% bad events, "
                        + "phases of at least %d s, seed %d%n%n", options.rate(), options.customers(), options.churn(),
                options.partitions(), fmt(options.badEventPercent()), options.phaseSeconds(), options.seed()));
        md.append("Stack: ").append(options.cluster()
                ? "the cluster (`--cluster`): 3 KRaft nodes in combined mode, every topic replicated 3 times with "
                  + "`min.insync.replicas=2` and unclean leader election off, 2 Connect workers in one group"
                : "one KRaft node, one Connect worker").append("  \n");
        md.append("Enricher config: two instances, `exactly_once_v2`, `num.standby.replicas: 1`, a state directory each, "
                + "otherwise the enricher's defaults. Enricher settings beyond the user's config: ")
                .append(options.enricherKafka().isEmpty() ? "none" : "`" + options.enricherKafkaText() + "`")
                .append("\n\n");
        md.append("**Verdict: ").append(clean ? "PASS" : "FAIL").append("** (").append(String.format("%,d", in))
                .append(" events; lost, duplicated, out of order, misrouted, unexpected, wrong enrichments and"
                        + " regressions must all be 0, and the run-level checks must pass)\n\n");
        md.append("Re-sent older table versions the enricher instances skipped (`").append(StaleSkipTally.METRIC)
                .append("`, summed over the instances, read before each fault and at each phase's end): ").append(staleSkips.total()).append(' ')
                .append(staleSkips.byJoin()).append("\n\n");
        md.append("Run-level checks (every event could be sent, every phase has events, CDC lost no change")
                .append(options.cluster() ? ", every topic replicated as the cluster promises" : "").append("): ")
                .append(problems.isEmpty() ? "passed" : "**failed**").append("\n\n");
        problems.forEach(p -> md.append("- ").append(p).append('\n'));
        if (!problems.isEmpty()) {
            md.append('\n');
        }
        List<String> resumes = resumeSummary(injections);
        if (!resumes.isEmpty()) {
            md.append("## Output resume after enricher and cluster faults\n\n");
            md.append("From the kill (a rolling restart: each SIGTERM) until every output partition had a committed record "
                    + "of an event sent after it, by the record's LogAppendTime.\n\n");
            resumes.forEach(line -> md.append("- ").append(line).append('\n'));
            restartTarget(injections).ifPresent(line -> md.append("- ").append(line).append('\n'));
            md.append('\n');
        }
        md.append("## Per phase\n\n");
        md.append("Events are counted in the phase they were sent in.\n\n");
        md.append("| phase | fault | in | out | dead letters | lost | duplicated | out of order | misrouted | unexpected | "
                + "wrong enrichment | regressions | stale skipped | max row age | recovery | output resumed |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (PhaseResult r : results) {
            md.append(String.format("| %d | %s | %,d | %,d | %,d | %d | %d | %d | %d | %d | %d | %d | %d | %s | %s | %s |%n",
                    r.number(), label(plan, r.number()), r.in(), r.out(), r.deadLetters(), r.lost(),
                    r.duplicated() + r.duplicatedInEvents(), r.outOfOrder(), r.misrouted(), r.unexpected(), r.wrongEnrichment(),
                    r.regressions(), staleSkips.inPhase(r.number()), FaultInjector.seconds(r.maxRowAgeMs()), secondsOrBlank(recovery(injections, r.number())),
                    secondsOrBlank(resume(injections, r.number()))));
        }
        md.append("\n## What each fault did\n\n");
        for (int i = 0; i < injections.size(); i++) {
            FaultInjector.Injection injection = injections.get(i);
            md.append("- phase ").append(i).append(", ").append(injection.fault().label()).append(": ")
                    .append(injection.detail()).append('\n');
        }
        if (!notes.isEmpty()) {
            md.append("\n## Notes\n\n");
            notes.forEach(n -> md.append("- ").append(n).append('\n'));
        }
        List<String> examples = results.stream()
                .flatMap(r -> r.examples().stream().map(e -> "phase " + r.number() + ": " + e)).toList();
        md.append("\n## Problems found\n\n");
        if (examples.isEmpty() && problems.isEmpty()) {
            md.append("None.\n");
        } else {
            problems.forEach(p -> md.append("- ").append(p).append('\n'));
            examples.forEach(p -> md.append("- ").append(p).append('\n'));
        }
        md.append("""

                ## Method

                - The stack (MariaDB, a KRaft broker, Connect with Debezium's MariaDB connector; with `--cluster` three
                  KRaft nodes and two Connect workers) runs as plain processes on free ports. Two instances of the released enricher jar share the events topic with the config a user
                  writes (same application id, `exactly_once_v2`, `num.standby.replicas: 1`, a state directory each;
                  nothing else tuned, so group membership and timeouts are the enricher's defaults, plus the settings
                  listed at the top if any were given with `--enricher-kafka`) and join two captured tables, copying `name`, `tier` and `rev`: `customer` (table `customers`) as a global table, `product`
                  (table `products`, a tenth of the size) partitioned, a local store kept warm on the other instance
                  by the standby replica. For the partitioned join a `miss` after a delete is correct (a store rebuilt
                  from the table topic has no deletion markers, as enricher/README.md documents).
                - The load is open loop: create and update events of entities, keyed by entity id, each with its entity's
                  sequence number and fixed `customerId` and `productId`; a share have an unknown type and must become
                  dead letters (`unknown-event-type`). The producer is idempotent with acks=all and a 10-minute delivery
                  timeout; an event it could not send fails the run.
                - Throughout the run the reference rows of both tables change (UPDATE, DELETE, re-INSERT); each change
                  writes a history row in the same MariaDB transaction, and the row's `rev` is that history row's number.
                  The history's time of a change is when its history row was written, a few milliseconds before the
                  COMMIT: the "not yet written" check below can miss a violation by that much, never invent one.
                - Each phase's fault strikes at a random moment between 20% and 60% of the phase; the faulted part is
                  started again at once (an enricher-restart's victim with the same config and state directory; an
                  enricher-loss victim only at the end of its phase; a rolling restart stops each instance with SIGTERM,
                  starts it again and waits for RUNNING and for the output to resume before the next). The resume time
                  of an enricher fault runs from the kill (or SIGTERM) until every output partition holds a committed
                  record of an event sent after it, by the record's LogAppendTime, so the reader's polling does not
                  inflate it. Recovery from a Connect,
                  broker or MariaDB fault is judged by data, not by the connector's status: it ends when the newest row
                  version committed in MariaDB at that moment has reached its table topic. A connector task that FAILED
                  is restarted through the REST API by a watchdog (the notes say when); an enricher instance that exits
                  on its own is restarted and noted too.
                - The cluster faults pick their victim from the cluster's own answer at that moment: the leader of a
                  random events partition, the leader of the global table's topic, the active controller (quorum
                  leader), the coordinator of a random transactional id of the enricher (from the cluster's list of
                  transactions), the worker that the Connect group says runs the Debezium task. A killed node is started
                  again at once; a killed worker only once the task runs on the other worker (a worker back within
                  `scheduled.rebalance.max.delay.ms` would get its task back and prove no move). The broker rolling
                  restart stops each node with SIGTERM (controlled shutdown), starts it again and waits until every
                  partition's replicas are in sync before the next. Each measures the output's resume as the enricher
                  faults do, and its recovery by data as the Connect and broker faults do.
                - After the load, a `read_committed` consumer reads the events, output and dead-letter topics. Lost: an
                  event in neither output nor dead letters, or acknowledged but missing from the events topic. Duplicated:
                  delivered more than once. Out of order: an entity's output record after one with a later sequence
                  number. Unexpected: an output or dead-letter record that matches no sent event. Wrong enrichment, per
                  join: a `hit` whose `rev`, name and tier are not a version in MariaDB's history, or a version written
                  after the output record (LogAppendTime); `deleted` without an earlier delete; `miss` otherwise.
                - CDC lost nothing: every row version in the history was delivered to its table topic (also those a
                  later change overwrote), there are at least as many tombstones as deletes (Debezium may repeat a few
                  changes after a crash), and each row's last record is its last change.
                - Regressions are errors too: an older version joined after a newer one for one row in one output
                  partition. Debezium re-delivers a few changes after a Connect crash; the enricher must skip a re-sent
                  older version (counted per phase as "stale skipped": each instance's
                  `enricher_table_stale_skipped_total`, read just before each fault and at each phase's end and
                  summed, growth credited to the phase of the read; approximate: a global store's restore counts the
                  re-sent records it skips again, and an instance that dies on its own loses its last counts).
                - Informational: the max row age (how long a newer version had been written when an event went out
                  with the older one: CDC plus enricher lag, largest while CDC is down).
                """);
        return md.toString();
    }

    private static String secondsOrBlank(long millis) {
        return millis < 0 ? "" : FaultInjector.seconds(millis);
    }

    private static long resume(List<FaultInjector.Injection> injections, int phase) {
        return phase >= 0 && phase < injections.size() ? injections.get(phase).resumeMs() : -1;
    }

    private static long recovery(List<FaultInjector.Injection> injections, int phase) {
        return phase >= 0 && phase < injections.size() && injections.get(phase).fault() != Fault.NONE
                ? injections.get(phase).recoveryMs() : -1;
    }

    static String label(List<Fault> plan, int phase) {
        return phase >= 0 && phase < plan.size() ? plan.get(phase).label() : "no event";
    }

    private static String fmt(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
