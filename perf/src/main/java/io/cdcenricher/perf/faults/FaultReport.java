package io.cdcenricher.perf.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** Writes {@code report.md} and {@code results.csv} of a fault run, and the console summary. */
final class FaultReport {

    static final String CSV_HEADER = "phase,fault,in,out,dead_letters,lost,lost_at_broker,duplicated,"
            + "duplicated_in_events,out_of_order,misrouted,unexpected,wrong_enrichment,regressions,max_row_age_ms,recovery_ms";

    private FaultReport() {
    }

    static Path write(FaultOptions options, List<Fault> plan, List<FaultInjector.Injection> injections,
                      List<PhaseResult> results, List<String> problems, List<String> notes, long tookMs) {
        try {
            Files.createDirectories(options.out());
            Files.writeString(options.out().resolve("results.csv"), csv(plan, injections, results));
            Path report = options.out().resolve("report.md");
            Files.writeString(report, markdown(options, plan, injections, results, problems, notes, tookMs));
            return report;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One line per phase, in the manner of Kafka's perf tools, then the verdict. */
    static List<String> summary(List<Fault> plan, List<PhaseResult> results) {
        List<String> lines = new ArrayList<>();
        for (PhaseResult r : results) {
            lines.add(String.format("%-16s %7d in, %7d out, %5d dead letters, %d lost, %d duplicated, %d out of order, "
                            + "%d misrouted, %d wrong enrichments", label(plan, r.number()), r.in(), r.out(),
                    r.deadLetters(), r.lost(), r.duplicated() + r.duplicatedInEvents(), r.outOfOrder(), r.misrouted(),
                    r.wrongEnrichment()));
        }
        return lines;
    }

    private static String csv(List<Fault> plan, List<FaultInjector.Injection> injections, List<PhaseResult> results) {
        StringBuilder out = new StringBuilder(CSV_HEADER).append('\n');
        for (PhaseResult r : results) {
            out.append(r.number()).append(',').append(label(plan, r.number())).append(',').append(r.in()).append(',')
                    .append(r.out()).append(',').append(r.deadLetters()).append(',').append(r.lost()).append(',')
                    .append(r.lostAtBroker()).append(',').append(r.duplicated()).append(',')
                    .append(r.duplicatedInEvents()).append(',').append(r.outOfOrder()).append(',')
                    .append(r.misrouted()).append(',').append(r.unexpected()).append(',').append(r.wrongEnrichment()).append(',')
                    .append(r.regressions()).append(',').append(r.maxRowAgeMs()).append(',')
                    .append(recovery(injections, r.number())).append('\n');
        }
        return out.toString();
    }

    private static String markdown(FaultOptions options, List<Fault> plan, List<FaultInjector.Injection> injections,
                                   List<PhaseResult> results, List<String> problems, List<String> notes,
                                   long tookMs) {
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
        md.append("**Verdict: ").append(clean ? "PASS" : "FAIL").append("** (").append(String.format("%,d", in))
                .append(" events; lost, duplicated, out of order, misrouted, unexpected and wrong enrichments must all"
                        + " be 0, and the run-level checks must pass)\n\n");
        md.append("Run-level checks (every event could be sent, every phase has events, CDC lost no change): ")
                .append(problems.isEmpty() ? "passed" : "**failed**").append("\n\n");
        problems.forEach(p -> md.append("- ").append(p).append('\n'));
        if (!problems.isEmpty()) {
            md.append('\n');
        }
        md.append("## Per phase\n\n");
        md.append("Events are counted in the phase they were sent in.\n\n");
        md.append("| phase | fault | in | out | dead letters | lost | duplicated | out of order | misrouted | unexpected | wrong enrichment | regressions | max row age | recovery |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (PhaseResult r : results) {
            md.append(String.format("| %d | %s | %,d | %,d | %,d | %d | %d | %d | %d | %d | %d | %d | %s | %s |%n", r.number(),
                    label(plan, r.number()), r.in(), r.out(), r.deadLetters(), r.lost(),
                    r.duplicated() + r.duplicatedInEvents(), r.outOfOrder(), r.misrouted(), r.unexpected(), r.wrongEnrichment(),
                    r.regressions(), FaultInjector.seconds(r.maxRowAgeMs()),
                    recovery(injections, r.number()) < 0 ? "" : FaultInjector.seconds(recovery(injections, r.number()))));
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

                - The stack (MariaDB, a KRaft broker, Connect with Debezium's MariaDB connector) runs as plain processes on
                  free ports. Two instances of the released enricher jar share the events topic (same application id,
                  `exactly_once_v2`, `num.standby.replicas: 1`, `session.timeout.ms: 10000`) and join two captured
                  tables, copying `name`, `tier` and `rev`: `customer` (table `customers`) as a global table, `product`
                  (table `products`, a tenth of the size) partitioned, a local store kept warm on the other instance
                  by the standby replica. For the partitioned join a `miss` after a delete is correct (a store rebuilt
                  from the table topic has no deletion markers, as the README documents).
                - The load is open loop: create and update events of entities, keyed by entity id, each with its entity's
                  sequence number and fixed `customerId` and `productId`; a share have an unknown type and must become
                  dead letters (`unknown-event-type`). The producer is idempotent with acks=all and a 10-minute delivery
                  timeout; an event it could not send fails the run.
                - Throughout the run the reference rows of both tables change (UPDATE, DELETE, re-INSERT); each change
                  writes a history row in the same MariaDB transaction, and the row's `rev` is that history row's number.
                  The history's time of a change is when its history row was written, a few milliseconds before the
                  COMMIT: the "not yet written" check below can miss a violation by that much, never invent one.
                - Each phase's fault strikes at a random moment between 20% and 60% of the phase; the faulted part is
                  started again at once (the fail-over victim only at the end of its phase). Recovery from a Connect,
                  broker or MariaDB fault is judged by data, not by the connector's status: it ends when the newest row
                  version committed in MariaDB at that moment has reached its table topic. A connector task that FAILED
                  is restarted through the REST API by a watchdog (the notes say when); an enricher instance that exits
                  on its own is restarted and noted too.
                - After the load, a `read_committed` consumer reads the events, output and dead-letter topics. Lost: an
                  event in neither output nor dead letters, or acknowledged but missing from the events topic. Duplicated:
                  delivered more than once. Out of order: an entity's output record after one with a later sequence
                  number. Unexpected: an output or dead-letter record that matches no sent event. Wrong enrichment, per
                  join: a `hit` whose `rev`, name and tier are not a version in MariaDB's history, or a version written
                  after the output record (LogAppendTime); `deleted` without an earlier delete; `miss` otherwise.
                - CDC lost nothing: every row version in the history was delivered to its table topic (also those a
                  later change overwrote), there are at least as many tombstones as deletes (Debezium may repeat a few
                  changes after a crash), and each row's last record is its last change.
                - Informational, not errors of a latest-row join: regressions (an older version joined after a newer one
                  for one row in one output partition: the instances' tables lag independently, and Debezium re-delivers
                  a few changes after a Connect crash) and the max row age (how long a newer version had been written
                  when an event went out with the older one: CDC plus enricher lag, largest while CDC is down).
                """);
        return md.toString();
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
