package io.cdcenricher.perf.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import io.cdcenricher.ops.StackLayout;
import io.cdcenricher.perf.Format;
import io.cdcenricher.perf.LoadAverage;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code perf/load}: load-tests an enricher someone else deployed, on a cluster someone else runs (see
 * {@link LoadOptions#USAGE}). Wires the pieces: {@link TopicGuard} (nothing created without asking, no table topic
 * written), {@link OutputMatcher} (reads the output before the first event is sent), {@link OpenLoopSender} (one
 * step at a time, as {@link LoadSchedule} says), {@link SustainableRateFinder} (when to stop), {@link TimelineSampler}
 * (the run second by second, {@link LatencyTimeline}) and {@link LoadReport}. A progress line per second; Ctrl-C stops sending, drains and writes the partial report.
 */
public final class LoadRun {

    /** How often the backlog is sampled and the progress line printed. */
    private static final Duration TICK = Duration.ofSeconds(1);

    private final LoadOptions options;
    private final Consumer<String> progress;
    private final AtomicBoolean stop;

    LoadRun(LoadOptions options, Consumer<String> progress, AtomicBoolean stop) {
        this.options = options;
        this.progress = progress;
        this.stop = stop;
    }

    public static void main(String[] args) {
        List<String> list = List.of(args);
        if (list.contains("--help") || list.contains("-h")) {
            System.out.print(LoadOptions.USAGE);
            return;
        }
        LoadOptions options;
        try {
            options = LoadOptions.parse(list, repoRoot());
        } catch (IllegalArgumentException e) {
            System.err.println("Error: " + e.getMessage());
            System.err.println("perf/load --help lists the options");
            System.exit(2);
            return;
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicBoolean signalled = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            signalled.set(true);
            stop.set(true);
            System.out.println("stopping: no more events; draining for at most " + options.drainSeconds()
                    + " s, then the partial report");
            try {
                // The JVM exits when the hooks return: wait for the drain and the report, bounded.
                finished.await(options.drainSeconds() + 60L, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "load-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        int code;
        try {
            code = new LoadRun(options, line -> System.out.println(line), stop).run() != null ? 0 : 1;
        } catch (IllegalArgumentException e) {
            System.err.println("Error: " + e.getMessage());
            code = 2;
        } catch (Exception e) {
            System.err.println("Error: " + e);
            code = 1;
        } finally {
            finished.countDown();
        }
        if (!signalled.get()) {
            Runtime.getRuntime().removeShutdownHook(hook);
            System.exit(code); // never while the hook runs: System.exit would wait for it forever
        }
    }

    private static Path repoRoot() {
        try {
            return StackLayout.locate().repoRoot();
        } catch (RuntimeException e) {
            return Path.of("").toAbsolutePath();
        }
    }

    /** One step as the runner saw it; the counts come from its tally after the drain. */
    private record Window(StepTally tally, double seconds, double achieved, long maxBacklog, long endBacklog,
                          long senderLag, boolean sustained, boolean growingAtEnd, String verdict) {
    }

    /** Runs the test and writes the report; returns report.md. */
    Path run() throws Exception {
        Instant start = Instant.now();
        ClientConfig client = ClientConfig.read(options.clientConfig());
        progress.accept("perf/load " + options.runId() + ": cluster " + client.bootstrapServers() + ", client settings "
                + client.masked());
        Optional<TopicGuard.EnricherTopics> enricher = Optional.empty();
        if (options.enricherConfig() != null) {
            enricher = Optional.of(TopicGuard.EnricherTopics.read(options.enricherConfig()));
        }
        String eventsTopic = options.eventsTopic() != null ? options.eventsTopic() : enricher.orElseThrow().events();
        String outputTopic = options.outputTopic() != null ? options.outputTopic() : enricher.orElseThrow().output();
        String deadLetterTopic = "none".equals(options.deadLetterTopic()) ? null
                : options.deadLetterTopic() != null ? options.deadLetterTopic()
                : enricher.map(TopicGuard.EnricherTopics::deadLetter).orElse(null);

        EventTemplate template = EventTemplate.read(options.template(), options.seed());
        EventCodec codec = codec();
        if (options.enricherUrl() != null) {
            checkReady(options.enricherUrl());
            Set<String> tables = tableTopicsAt(options.enricherUrl());
            if (tables.contains(eventsTopic)) {
                throw new IllegalArgumentException("refusing to write to " + eventsTopic + ": the enricher at "
                        + options.enricherUrl() + " reads it as a table (" + options.enricherUrl() + "/status.json)");
            }
        }

        int partitions;
        try (Admin admin = Admin.create(client.copy())) {
            LinkedHashSet<String> topics = new LinkedHashSet<>(List.of(eventsTopic, outputTopic));
            if (deadLetterTopic != null) {
                topics.add(deadLetterTopic);
            }
            partitions = TopicGuard.ensureExist(admin, topics, options.createTopics(), options.partitions(), progress);
            Optional<String> refusal = TopicGuard.refusal(eventsTopic, enricher, TopicGuard.cleanupPolicy(admin, eventsTopic),
                    TopicGuard.lastValues(client.copy(), eventsTopic));
            if (refusal.isPresent()) {
                throw new IllegalArgumentException("refusing to write to " + eventsTopic + ": " + refusal.get());
            }
        }
        if (enricher.isEmpty()) {
            progress.accept("no --enricher-config: a table topic is recognised by compaction and content only");
        }

        SustainableRateFinder finder = new SustainableRateFinder(Duration.ofSeconds(options.backlogBoundSeconds()));
        List<Window> windows = new ArrayList<>();
        LatencyTimeline timeline = new LatencyTimeline(options.warmUp());
        boolean interrupted = false;
        long foreign;
        long unreadable;
        try (OutputMatcher matcher = new OutputMatcher(client.copy(), outputTopic, deadLetterTopic, options.runId(), codec);
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties(client),
                     new ByteArraySerializer(), new ByteArraySerializer())) {
            matcher.start();
            OpenLoopSender sender = new OpenLoopSender(producer, eventsTopic, template, codec, options.runId(),
                    options.entities());
            LoadSchedule schedule = options.schedule();
            progress.accept("schedule: " + schedule.describe() + "; events to " + eventsTopic + ", reading " + outputTopic
                    + (deadLetterTopic == null ? "" : " and " + deadLetterTopic));
            try (TimelineSampler sampler = new TimelineSampler(timeline, sender::nextSeq, matcher::received,
                    sender::takeLagPeak, matcher::takeReceivedLatencies, HarnessGc::millis)) {
                for (int index = 0; !stop.get(); index++) {
                    OptionalDouble rate = schedule.rate(index);
                    if (rate.isEmpty()) {
                        break;
                    }
                    Window window = step(index, rate.getAsDouble(), schedule, sender, matcher, producer, finder, sampler);
                    windows.add(window);
                    finder.stepDone(rate.getAsDouble(), window.achieved(), window.sustained(), window.growingAtEnd());
                    if (!window.sustained()) {
                        progress.accept("step " + (index + 1) + " not sustained (" + window.verdict()
                                + "): the schedule stops here");
                        break;
                    }
                }
                interrupted = stop.get();
                sampler.drain();
                drain(sender, matcher, producer);
            }
            foreign = matcher.foreign();
            unreadable = matcher.unreadable();
        } finally {
            codec.close();
        }

        List<StepResult> steps = windows.stream().map(w -> w.tally().result(w.seconds(), w.achieved(), w.maxBacklog(),
                w.endBacklog(), w.senderLag(), w.sustained(), w.verdict())).toList();
        List<String> notes = notes(steps, deadLetterTopic, foreign, unreadable, partitions);
        String sample = template.render(new EventTemplate.Context(options.runId(), 0, options.runId() + "-0",
                System.currentTimeMillis()));
        LoadReport.Outcome outcome = new LoadReport.Outcome(options.commandLine(), options.runId(), start, Instant.now(),
                interrupted, options.schedule().describe(), interrupted && !finder.limitFound()
                ? "interrupted: " + finder.conclusion() : finder.conclusion(), finder.sustainableRate(), finder.limitFound(),
                steps, client.masked(), options.clientConfig().toString(), eventsTopic, outputTopic, deadLetterTopic,
                partitions, options.enricherConfig() == null ? null : options.enricherConfig().toString(),
                options.enricherUrl(), codec.name(), options.template().toString(), sample, options.entities(),
                options.backlogBoundSeconds(), options.drainSeconds(), options.warmUp(), foreign, unreadable, machine(), notes,
                timeline.seconds());
        Path report = LoadReport.write(outcome, options.out());
        for (StepResult s : steps) {
            progress.accept(String.format(Locale.ROOT, "step %d  offered %s/s  sent %,d  achieved %s/s  out %,d  dead letters %,d"
                            + "  not out %,d  p50 %s  p99 %s  p99.9 %s  %s", s.step(), Format.rate(s.offeredRate()), s.sent(),
                    Format.rate(s.achievedRate()), s.output(), s.deadLetters(), s.notReceived(), ms(s.p50Ms()), ms(s.p99Ms()),
                    ms(s.p999Ms()), s.verdict()));
        }
        progress.accept(outcome.conclusion());
        progress.accept("report: " + report);
        return report;
    }

    private Window step(int index, double rate, LoadSchedule schedule, OpenLoopSender sender, OutputMatcher matcher,
                        KafkaProducer<byte[], byte[]> producer, SustainableRateFinder finder, TimelineSampler sampler)
            throws Exception {
        long durationNanos = Duration.ofSeconds(schedule.stepSeconds()).toNanos();
        // The warm-up is the start of the first step only: later steps find the enricher warm.
        long warmupEvents = index == 0 ? options.warmUp().events(rate, OpenLoopSender.eventsInStep(durationNanos, rate)) : 0;
        StepTally tally = new StepTally(index + 1, rate, sender.nextSeq(), warmupEvents);
        matcher.addStep(tally);
        finder.startStep(rate);
        AtomicBoolean stopStep = new AtomicBoolean();
        long receivedAtStart = matcher.received();
        long startNanos = System.nanoTime();
        long startMicros = OutputMatcher.nowMicros();
        sampler.step(index + 1, rate, startNanos);
        OpenLoopSender.Sent[] sent = new OpenLoopSender.Sent[1];
        Thread thread = new Thread(() -> sent[0] = sender.run(tally, rate, startNanos, startMicros, durationNanos,
                () -> stopStep.get() || stop.get()), "load-sender");
        thread.setDaemon(true);
        thread.start();
        long maxBacklog = 0;
        long nextTick = startNanos + TICK.toNanos();
        boolean sustained = true;
        while (thread.isAlive()) {
            LockSupport.parkNanos(Math.max(0, Math.min(nextTick - System.nanoTime(), 50_000_000L)));
            failIfBroken(sender, matcher);
            long now = System.nanoTime();
            if (now < nextTick) {
                continue;
            }
            nextTick += TICK.toNanos();
            long backlog = sender.nextSeq() - matcher.received();
            maxBacklog = Math.max(maxBacklog, backlog);
            if (!finder.observe(now, backlog)) {
                sustained = false;
                stopStep.set(true);
            }
            double elapsed = (now - startNanos) / 1e9;
            double p99 = tally.p99Ms();
            progress.accept(String.format(Locale.ROOT, "step %d/%s  %4.0f s  offered %s/s  sent %s/s  achieved %s/s  backlog %,d"
                            + "  p99 so far %s", index + 1, schedule.kind() == LoadSchedule.Kind.RAMP ? "ramp"
                            : Integer.toString(schedule.maxSteps()), elapsed, Format.rate(rate), Format.rate(tally.sent() / elapsed),
                    Format.rate((matcher.received() - receivedAtStart) / elapsed), backlog, ms(p99)));
        }
        thread.join();
        producer.flush();
        failIfBroken(sender, matcher);
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        double achieved = (matcher.received() - receivedAtStart) / seconds;
        long endBacklog = sender.nextSeq() - matcher.received();
        boolean growingAtEnd = sustained && endBacklog > finder.slack() && finder.growing(endBacklog);
        String verdict = !sustained ? "not sustained: " + finder.reason()
                : stop.get() ? "interrupted"
                : growingAtEnd
                ? String.format(Locale.ROOT, "sustained so far, but its backlog (%,d) was growing when it ended", endBacklog)
                : "sustained";
        return new Window(tally, seconds, achieved, Math.max(maxBacklog, endBacklog), endBacklog,
                sent[0] == null ? 0 : sent[0].maxLag(), sustained, growingAtEnd, verdict);
    }

    private void drain(OpenLoopSender sender, OutputMatcher matcher, KafkaProducer<byte[], byte[]> producer) {
        producer.flush();
        long deadline = System.nanoTime() + Duration.ofSeconds(options.drainSeconds()).toNanos();
        long nextTick = System.nanoTime() + TICK.toNanos();
        while (matcher.received() < sender.nextSeq() && System.nanoTime() < deadline && matcher.failure().isEmpty()) {
            LockSupport.parkNanos(50_000_000L);
            if (System.nanoTime() >= nextTick) {
                nextTick += TICK.toNanos();
                progress.accept(String.format(Locale.ROOT, "draining: %,d events not out yet", sender.nextSeq() - matcher.received()));
            }
        }
        long left = sender.nextSeq() - matcher.received();
        progress.accept(left == 0 ? "drained: every event came out" : String.format(Locale.ROOT,
                "drain ended after %d s with %,d events not out", options.drainSeconds(), left));
    }

    private static void failIfBroken(OpenLoopSender sender, OutputMatcher matcher) {
        if (sender.failure() != null) {
            throw new IllegalStateException("sending failed: " + sender.failure(), sender.failure());
        }
        matcher.failure().ifPresent(t -> {
            throw new IllegalStateException("reading the output failed: " + t, t);
        });
    }

    private EventCodec codec() throws IOException {
        if (options.avroSchema() == null) {
            return EventCodec.json();
        }
        Schema schema = new Schema.Parser().parse(Files.readString(options.avroSchema()));
        Map<String, Object> serde = new LinkedHashMap<>();
        serde.put("apicurio.registry.url", options.registryUrl());
        serde.put("apicurio.registry.auto-register", "true");
        serde.putAll(options.registryProperties());
        return EventCodec.avro(schema, serde);
    }

    private void checkReady(String url) throws Exception {
        HttpResponse<String> response = enricherGet(url, "/ready");
        if (response.statusCode() != 200 || !response.body().replace(" ", "").contains("\"ready\":true")) {
            throw new IllegalArgumentException("--enricher-url: the enricher is not ready (" + url + "/ready answered "
                    + response.statusCode() + " " + response.body().strip() + ")");
        }
        progress.accept("the enricher at " + url + " is ready");
    }

    /** GET of one of the enricher's endpoints; an enricher that does not answer is a usage error naming the URL. */
    private static HttpResponse<String> enricherGet(String url, String path) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalArgumentException("--enricher-url: " + url + path + " does not answer: " + e.getMessage());
        }
    }

    /** The table topics the enricher at {@code url} names in {@code /status.json}. */
    private static Set<String> tableTopicsAt(String url) throws Exception {
        HttpResponse<String> response = enricherGet(url, "/status.json");
        if (response.statusCode() != 200) {
            throw new IllegalArgumentException("--enricher-url: " + url + "/status.json answered "
                    + response.statusCode() + ": cannot tell which topics it reads as tables");
        }
        return TopicGuard.tableTopicsOf(response.body());
    }

    private static Properties producerProperties(ClientConfig client) {
        Properties props = client.copy();
        // acks=all and idempotence are the clients' defaults; set them only where the file says nothing.
        props.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "cdc-enricher-load-sender");
        return props;
    }

    private static List<String> notes(List<StepResult> steps, String deadLetterTopic, long foreign, long unreadable,
                                      int partitions) {
        List<String> notes = new ArrayList<>();
        for (StepResult s : steps) {
            if (s.maxSenderLag() > Math.max(10, s.offeredRate() * 0.1)) {
                notes.add(String.format(Locale.ROOT, "step %d: the sender fell up to %,d events behind its schedule (the load "
                        + "generator's limit on its machine); those events' latency still counts from their due time",
                        s.step(), s.maxSenderLag()));
            }
            if (s.duplicates() > 0) {
                notes.add(String.format(Locale.ROOT, "step %d: %,d events came out twice", s.step(), s.duplicates()));
            }
        }
        if (deadLetterTopic == null) {
            notes.add("the dead-letter topic was not read: dead-lettered events count as not out");
        }
        if (foreign > 0) {
            notes.add(String.format(Locale.ROOT, "%,d records of other traffic or other runs were on the topics and ignored", foreign));
        }
        if (unreadable > 0) {
            notes.add(String.format(Locale.ROOT, "%,d output records had no readable enrichment object", unreadable));
        }
        if (partitions == 1) {
            notes.add("the events topic has 1 partition: one enricher stream thread does all the work, whatever the deployment's size");
        }
        return notes;
    }

    private static String machine() {
        return Runtime.getRuntime().availableProcessors() + " cores, Java " + System.getProperty("java.version")
                + LoadAverage.read().map(l -> ", load average " + l).orElse("");
    }

    private static String ms(double value) {
        return Double.isNaN(value) ? "n/a" : Format.ms(value);
    }
}
