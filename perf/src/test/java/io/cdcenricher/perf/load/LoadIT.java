package io.cdcenricher.perf.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.cdcenricher.ops.EnricherProcess;
import io.cdcenricher.ops.Stack;
import io.cdcenricher.ops.StackLayout;
import io.cdcenricher.ops.testing.CapturedDatabase;
import io.cdcenricher.ops.testing.LocalStackExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code perf/load} against a stack and an enricher it did not start: the test starts the local stack (the shared
 * {@link LocalStackExtension}), captures a customers table (customer 1 exists, 2 does not), creates the topics and
 * runs the released enricher jar with a user's config; then runs {@link LoadRun} as its own process, as the script
 * does, with only a client properties file and the enricher's YAML. It checks what a user relies on, never a timing:
 * a short step schedule (with a 1 s warm-up) and a short ramp each write a complete report (every section, one CSV
 * row per step, the join statuses hit and miss and the dead letters of the bogus event type counted, a PNG, a
 * timeline whose seconds add up to the events sent), every event came out;
 * a table topic is refused; SIGTERM (what Ctrl-C also triggers) stops the run with a partial report.
 */
@Tag("integration")
@ExtendWith(LocalStackExtension.class)
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class LoadIT {

    @TempDir
    Path dir;

    private EnricherProcess enricher;

    @AfterEach
    void stopEnricher() {
        if (enricher != null) {
            enricher.process().stop(Duration.ofSeconds(20));
        }
    }

    @Test
    void loadTestsARunningEnricherStepsRampAndCtrlC(Stack stack) throws Exception {
        CapturedDatabase db = CapturedDatabase.create(stack, dir, "loadit", "loadit", Map.of());
        String events = "loadit.orders";
        stack.createTopics(2, Map.of(), events, events + ".enriched", events + ".dlq");
        Path enricherConfig = Files.writeString(dir.resolve("enricher.yaml"), """
                applicationId: load-it
                bootstrapServers: %s
                kafka:
                  state.dir: %s
                topics:
                  events: %s
                  output: %s.enriched
                  deadLetter: %s.dlq
                joins:
                  - name: customer
                    topic: %s
                    foreignKey: customerId
                    fields: [name, tier]
                """.formatted(stack.settings().bootstrapServers(), dir.resolve("state"), events, events, events, db.topic()));
        int httpPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            httpPort = socket.getLocalPort();
        }
        enricher = new EnricherProcess(EnricherProcess.withCopiedJar(stack.layout(), dir.resolve("jar")), dir.resolve("enricher"));
        enricher.start(enricherConfig, List.of("--http-port", Integer.toString(httpPort)));
        enricher.awaitReady(Duration.ofMinutes(2));

        Path client = Files.writeString(dir.resolve("client.properties"),
                "bootstrap.servers=" + stack.settings().bootstrapServers() + "\n");
        // customer 1 exists (hit), 2 does not (miss); one event in four has an unknown type (a dead letter).
        Path template = Files.writeString(dir.resolve("order.json"),
                "{\"type\":\"{{oneOf:create,create,update,bogus}}\",\"id\":\"{{entityId}}\",\"customerId\":{{fk:1..2}},"
                        + "\"amount\":12.5,\"ts\":\"{{now:iso}}\"}");
        List<String> common = List.of("--client-config", client.toString(), "--enricher-config", enricherConfig.toString(),
                "--template", template.toString(), "--enricher-url", "http://127.0.0.1:" + httpPort, "--drain-seconds", "30");

        Path steps = dir.resolve("steps");
        Run stepRun = load(common, "--steps", "20,40", "--step-seconds", "4", "--warmup-seconds", "1", "--run-id", "it-steps",
                "--out", steps.toString());
        assertThat(stepRun.exit()).as(stepRun.output()).isZero();
        assertCompleteReport(steps, 2, stepRun.output());
        String md = Files.readString(steps.resolve("report.md"));
        assertThat(md).contains("| step | customer: hit | customer: miss |", "unknown-event-type",
                "| enricher /ready checked | http://127.0.0.1:" + httpPort + " |",
                "| warm-up | the first 1 s of step 1: its events sent, matched and counted, their latencies not recorded |")
                .containsPattern("- step 1, .*\\(first 1 s not recorded: \\d+ events\\)");
        assertThat(stepRun.output()).contains("the enricher at http://127.0.0.1:" + httpPort + " is ready",
                "drained: every event came out");

        Path ramp = dir.resolve("ramp");
        Run rampRun = load(common, "--ramp", "50,x4,800", "--step-seconds", "3", "--backlog-bound", "2",
                "--run-id", "it-ramp", "--out", ramp.toString());
        assertThat(rampRun.exit()).as(rampRun.output()).isZero();
        List<String[]> rampSteps = assertCompleteReport(ramp, -1, rampRun.output());
        assertThat(rampSteps).as("50, 200, 800 events/s, or fewer when a step broke").hasSizeBetween(1, 3);
        assertThat(Files.readString(ramp.resolve("report.md")))
                .containsPattern("\\*\\*(sustainable rate: .+|every step was sustained: .+|not even the first step .+)\\*\\*")
                .contains("ramp from 50.0 events/s, x4.0 every 3 s, up to 800.0 events/s");

        Run refused = load(List.of("--client-config", client.toString(), "--enricher-config", enricherConfig.toString(),
                "--template", template.toString(), "--events-topic", db.topic(), "--rate", "10", "--duration", "2",
                "--out", dir.resolve("refused").toString()));
        assertThat(refused.exit()).as(refused.output()).isEqualTo(2);
        assertThat(refused.output()).contains("refusing to write to " + db.topic(), "table topic of the enricher's join 'customer'");
        assertThat(dir.resolve("refused")).doesNotExist();

        Path stopped = dir.resolve("stopped");
        Process process = start(common, "--rate", "20", "--duration", "120", "--run-id", "it-stop", "--out", stopped.toString());
        Path log = dir.resolve("stopped.log");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> Files.exists(log) && Files.readString(log).contains("step 1/1 "));
        process.destroy(); // SIGTERM: the JVM runs the same shutdown hook as for Ctrl-C's SIGINT
        assertThat(process.waitFor(90, TimeUnit.SECONDS)).as("stopped within the drain bound").isTrue();
        String stoppedLog = Files.readString(log);
        assertThat(stoppedLog).contains("stopping: no more events", "report: ");
        assertThat(Files.readString(stopped.resolve("report.md"))).contains("**interrupted**", "interrupted: ");
        assertThat(Files.readAllLines(stopped.resolve("results.csv"))).filteredOn(l -> l.startsWith("step,")).hasSize(1);
    }

    /** Checks report.md, results.csv and chart.png; returns the CSV's step rows. {@code steps} -1: any number. */
    private static List<String[]> assertCompleteReport(Path out, int steps, String output) throws Exception {
        String md = Files.readString(out.resolve("report.md"));
        assertThat(LoadReport.SECTIONS).allSatisfy(section -> assertThat(md).as(output).contains(section));
        assertThat(md).contains("perf/load --client-config");
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertThat(csv.get(0)).isEqualTo(LoadReport.CSV_HEADER);
        List<String> header = List.of(LoadReport.CSV_HEADER.split(","));
        List<String[]> stepRows = csv.stream().filter(l -> l.startsWith("step,")).map(l -> l.split(",", -1)).toList();
        if (steps >= 0) {
            assertThat(stepRows).hasSize(steps);
        }
        assertThat(stepRows).allSatisfy(row -> {
            String which = "step " + row[1];
            long sent = Long.parseLong(row[header.indexOf("sent")]);
            assertThat(sent).as(which + " sent").isPositive();
            assertThat(Long.parseLong(row[header.indexOf("output")]) + Long.parseLong(row[header.indexOf("dead_letters")])
                    + Long.parseLong(row[header.indexOf("not_received")])).as(which + ": sent = out + dead letters + not out")
                    .isEqualTo(sent);
            assertThat(Long.parseLong(row[header.indexOf("duplicates")])).as(which + " duplicates under exactly-once").isZero();
            assertThat(row[header.indexOf("p99_ms")]).as(which + " p99").isNotEmpty();
            assertThat(Long.parseLong(row[header.indexOf("latency_count")]) + Long.parseLong(row[header.indexOf("warmup_events")]))
                    .as(which + ": every event out once has its latency recorded or is in the warm-up")
                    .isEqualTo(Long.parseLong(row[header.indexOf("output")]) + Long.parseLong(row[header.indexOf("dead_letters")]));
        });
        // Statuses: summed over the run, the join saw hits and misses, and the bogus type was dead-lettered.
        assertThat(csv).anyMatch(l -> l.startsWith("status,") && l.contains(",customer,hit,"));
        assertThat(csv).anyMatch(l -> l.startsWith("status,") && l.contains(",customer,miss,"));
        assertThat(csv).anyMatch(l -> l.startsWith("dead-letter,") && l.contains(",unknown-event-type,"));
        long notOut = stepRows.stream().mapToLong(r -> Long.parseLong(r[header.indexOf("not_received")])).sum();
        if (md.contains("every step was sustained")) {
            assertThat(notOut).as("every event of a sustained run came out within the drain").isZero();
        }
        assertThat(Files.readAllBytes(out.resolve("chart.png"))).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        // The timeline: a row a second from step 1's start through the drain, adding up to the run's events.
        List<String> timeline = Files.readAllLines(out.resolve("timeline.csv"));
        assertThat(timeline.get(0)).isEqualTo(LatencyTimeline.CSV_HEADER);
        List<String> columns = List.of(LatencyTimeline.CSV_HEADER.split(","));
        List<String[]> seconds = timeline.stream().skip(1).map(l -> l.split(",", -1)).toList();
        assertThat(seconds).as(output).isNotEmpty();
        assertThat(seconds.stream().mapToLong(r -> Long.parseLong(r[columns.indexOf("sent")])).sum()).as("sent, second by second")
                .isEqualTo(stepRows.stream().mapToLong(r -> Long.parseLong(r[header.indexOf("sent")])).sum());
        return stepRows;
    }

    private record Run(int exit, String output) {
    }

    private Run load(List<String> common, String... more) throws Exception {
        List<String> args = new ArrayList<>(common);
        args.addAll(List.of(more));
        Path log = Files.createTempFile(dir, "load", ".log");
        Process process = command(args, log).start();
        assertThat(process.waitFor(3, TimeUnit.MINUTES)).as("perf/load finished").isTrue();
        String output = Files.readString(log);
        System.out.println(output.lines().map(l -> "[load] " + l).reduce("", (a, b) -> a + b + "\n"));
        return new Run(process.exitValue(), output);
    }

    private Process start(List<String> common, String... more) throws Exception {
        List<String> args = new ArrayList<>(common);
        args.addAll(List.of(more));
        return command(args, dir.resolve("stopped.log")).start();
    }

    /** {@code perf/load ARGS} as the script runs it: its own JVM, the main class, this build's classpath. */
    private static ProcessBuilder command(List<String> args, Path log) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-Djava.awt.headless=true", "-D" + StackLayout.REPO_PROPERTY + "=" + StackLayout.locate().repoRoot(),
                "-cp", System.getProperty("java.class.path"), LoadRun.class.getName()));
        command.addAll(args);
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    }
}
