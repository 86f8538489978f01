package io.cdcenricher.perf.load;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import io.cdcenricher.enricher.config.SecretMasker;

import static io.cdcenricher.perf.OptionValues.number;
import static io.cdcenricher.perf.OptionValues.positiveDouble;
import static io.cdcenricher.perf.OptionValues.positiveInt;
import static io.cdcenricher.perf.OptionValues.value;

/**
 * The command line of {@code perf/load}.
 *
 * @param clientConfig       Kafka client properties file (bootstrap, SASL/SSL, config providers)
 * @param eventsTopic        where events are sent; null = the enricher config's
 * @param outputTopic        the enriched output; null = the enricher config's
 * @param deadLetterTopic    the dead letters; null = the enricher config's, or none without it
 * @param enricherConfig     the enricher's YAML: its topics, to refuse writing into a table; may be null
 * @param enricherUrl        the enricher's HTTP address, whose {@code /ready} must answer before the load; may be null
 * @param template           the event template (JSON with placeholders)
 * @param avroSchema         with Avro: the events' schema; null for JSON
 * @param registryUrl        with Avro: Apicurio's v2 API
 * @param registryProperties with Avro: further Apicurio serde settings
 * @param schedule           the rates and the step length
 * @param backlogBoundSeconds how long the backlog may grow before a step counts as not sustained
 * @param drainSeconds       how long to wait for outstanding events after the last step (or Ctrl-C)
 * @param warmUp             the first seconds of the first step whose latencies are not recorded
 * @param entities           distinct entity ids to cycle through; 0 = a new entity per event
 * @param createTopics       create missing events/output/dead-letter topics
 * @param partitions         partitions of topics created with --create-topics
 * @param runId              tags every event ({@link LoadTag})
 * @param seed               random seed of the template's placeholders
 * @param out                the results folder
 * @param commandLine        as given, for the report
 */
public record LoadOptions(Path clientConfig, String eventsTopic, String outputTopic, String deadLetterTopic,
                          Path enricherConfig, String enricherUrl, Path template, Path avroSchema, String registryUrl,
                          Map<String, String> registryProperties, LoadSchedule schedule, int backlogBoundSeconds,
                          int drainSeconds, WarmUp warmUp, long entities, boolean createTopics, int partitions,
                          String runId, long seed, Path out, String commandLine) {

    static final String USAGE = """
            Usage: perf/load --client-config FILE --template FILE (--rate R | --steps LIST | --ramp SPEC) [options]

            Load-tests a deployed enricher: sends events open-loop to its events topic on an existing cluster,
            reads its output and dead-letter topics (read_committed) and reports, per step, the rate offered
            and achieved, end-to-end latency percentiles and the join statuses, and per second of the run
            the rates, backlog, sender lag, latency and the harness's own GC pauses (to locate a stall).
            Starts no broker and no enricher. Writes report.md, results.csv, timeline.csv and chart.png.

            Connection and topics:
              --client-config FILE    Kafka client properties (bootstrap.servers, security.protocol, sasl.*,
                                      ssl.*; secrets through config providers, e.g. ${file:/path:key})
              --enricher-config FILE  the enricher's YAML: events, output and dead-letter topics default to
                                      its own, and a topic it reads as a table is refused (recommended)
              --events-topic T        where events are sent               default: the enricher config's
              --output-topic T        the enriched output                 default: the enricher config's
              --dead-letter-topic T   the dead letters ('none': not read) default: the enricher config's
              --enricher-url URL      e.g. http://host:8080: its /ready must answer {"ready":true} first, and
                                      no topic its /status.json names as a table is written to
              --create-topics         create missing events/output/dead-letter topics (never deletes any)
              --partitions P          partitions of topics it creates                     1

            Events:
              --template FILE         JSON with placeholders: {{entityId}} {{seq}} {{now}} {{now:iso}}
                                      {{runId}} {{fk:1..100000}} {{fk:1..100000:zipf(1.1)}}
                                      {{fk:file:keys.txt}} {{fk:file:keys.txt:zipf(0.9)}} {{oneOf:a,b,c}}
              --entities N            cycle through N entity ids (updates); 0 = a new entity per event   0
              --avro-schema FILE      send Avro: the template rendered into this schema, Apicurio serdes
              --registry-url URL      with --avro-schema: Apicurio's v2 API, e.g. http://host:8081/apis/registry/v2
              --registry-property K=V with --avro-schema: an Apicurio serde setting (repeatable)

            Schedule (one of; every schedule stops at the first step whose backlog keeps growing):
              --rate R                constant rate, events/s, for --duration S           (--duration 60)
              --steps LIST            e.g. 1k,2k,5k,10k: each rate for --step-seconds
              --ramp SPEC             START,+N[,MAX] or START,xF[,MAX], e.g. 1000,+1000 or 500,x2,50000:
                                      raise the rate every --step-seconds until a step is not sustained
              --step-seconds S        length of a step                                    30
              --backlog-bound S       a step is not sustained when the backlog (sent, not yet out) stays
                                      above one second of load and grows for longer than this   10
              --drain-seconds S       wait for outstanding events after the last step or Ctrl-C   30
              --warmup-seconds S      the events due in the first S seconds of the first step are sent,
                                      matched and counted, but their latencies stay out of the step's
                                      percentiles (a cold enricher's first seconds); at most the first
                                      step's length; timeline.csv still shows them             0

            Other:
              --run-id ID             tags every event (header cdc-enricher-load-id: ID/SEQ)   load-<time>-<hex>
              --seed N                random seed of the placeholders                     42
              --out DIR               results folder                        perf/results/load-<timestamp>
              --help                  this text

            Safe on a shared cluster: no topic is created without --create-topics or ever deleted, nothing
            is committed (no consumer group), a compacted, internal or CDC-looking events topic is refused,
            and every event carries the cdc-enricher-load-id header so consumers can drop it. Ctrl-C stops
            sending, drains for at most --drain-seconds and writes the partial report.
            """;

    /** Parses the arguments; {@code repoRoot} anchors the default results folder. Throws IllegalArgumentException. */
    public static LoadOptions parse(List<String> args, Path repoRoot) {
        Path clientConfig = null;
        String eventsTopic = null;
        String outputTopic = null;
        String deadLetterTopic = null;
        Path enricherConfig = null;
        String enricherUrl = null;
        Path template = null;
        Path avroSchema = null;
        String registryUrl = null;
        Map<String, String> registryProperties = new LinkedHashMap<>();
        Double rate = null;
        int duration = 60;
        String steps = null;
        String ramp = null;
        int stepSeconds = 30;
        int backlogBound = 10;
        int drainSeconds = 30;
        String warmupSeconds = null;
        long entities = 0;
        boolean createTopics = false;
        int partitions = 1;
        String runId = null;
        long seed = 42;
        Path out = null;
        List<String> schedules = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--client-config" -> clientConfig = Path.of(value(args, ++i, arg));
                case "--events-topic" -> eventsTopic = value(args, ++i, arg);
                case "--output-topic" -> outputTopic = value(args, ++i, arg);
                case "--dead-letter-topic" -> deadLetterTopic = value(args, ++i, arg);
                case "--enricher-config" -> enricherConfig = Path.of(value(args, ++i, arg));
                case "--enricher-url" -> enricherUrl = value(args, ++i, arg).replaceAll("/+$", "");
                case "--template" -> template = Path.of(value(args, ++i, arg));
                case "--avro-schema" -> avroSchema = Path.of(value(args, ++i, arg));
                case "--registry-url" -> registryUrl = value(args, ++i, arg);
                case "--registry-property" -> {
                    String kv = value(args, ++i, arg);
                    int eq = kv.indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException("--registry-property: KEY=VALUE, not " + kv);
                    }
                    registryProperties.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
                case "--rate" -> {
                    rate = positiveDouble(arg, value(args, ++i, arg).replace("_", ""));
                    schedules.add(arg);
                }
                case "--duration" -> duration = positiveInt(arg, value(args, ++i, arg));
                case "--steps" -> {
                    steps = value(args, ++i, arg);
                    schedules.add(arg);
                }
                case "--ramp" -> {
                    ramp = value(args, ++i, arg);
                    schedules.add(arg);
                }
                case "--step-seconds" -> stepSeconds = positiveInt(arg, value(args, ++i, arg));
                case "--backlog-bound" -> backlogBound = positiveInt(arg, value(args, ++i, arg));
                case "--drain-seconds" -> drainSeconds = positiveInt(arg, value(args, ++i, arg));
                case "--warmup-seconds" -> warmupSeconds = value(args, ++i, arg);
                case "--entities" -> {
                    entities = (long) number(arg, value(args, ++i, arg).replace("_", ""));
                    if (entities < 0) {
                        throw new IllegalArgumentException("--entities: 0 or more");
                    }
                }
                case "--create-topics" -> createTopics = true;
                case "--partitions" -> partitions = positiveInt(arg, value(args, ++i, arg));
                case "--run-id" -> {
                    runId = value(args, ++i, arg);
                    if (!runId.matches("[A-Za-z0-9._-]+")) {
                        throw new IllegalArgumentException("--run-id: letters, digits, '.', '_' and '-' only");
                    }
                }
                case "--seed" -> seed = (long) number(arg, value(args, ++i, arg));
                case "--out" -> out = Path.of(value(args, ++i, arg)).toAbsolutePath();
                default -> throw new IllegalArgumentException("unknown argument: " + arg);
            }
        }
        if (clientConfig == null) {
            throw new IllegalArgumentException("--client-config is required (a Kafka client properties file)");
        }
        if (template == null) {
            throw new IllegalArgumentException("--template is required (a JSON event with placeholders)");
        }
        if (schedules.size() != 1) {
            throw new IllegalArgumentException("give exactly one schedule: --rate, --steps or --ramp"
                    + (schedules.isEmpty() ? "" : " (got " + String.join(", ", schedules) + ")"));
        }
        if ((avroSchema == null) != (registryUrl == null)) {
            throw new IllegalArgumentException("--avro-schema and --registry-url go together");
        }
        if (enricherConfig == null && (eventsTopic == null || outputTopic == null)) {
            throw new IllegalArgumentException("--events-topic and --output-topic are required without --enricher-config");
        }
        LoadSchedule schedule = rate != null ? LoadSchedule.constant(rate, duration)
                : steps != null ? LoadSchedule.steps(steps, stepSeconds) : LoadSchedule.ramp(ramp, stepSeconds);
        WarmUp warmUp = warmUp(warmupSeconds, schedule, rate != null ? "--duration" : "--step-seconds");
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        if (runId == null) {
            byte[] random = new byte[3];
            ThreadLocalRandom.current().nextBytes(random);
            runId = "load-" + stamp + "-" + HexFormat.of().formatHex(random);
        }
        if (out == null) {
            out = repoRoot.resolve("perf/results").resolve("load-" + stamp);
        }
        return new LoadOptions(clientConfig, eventsTopic, outputTopic, deadLetterTopic, enricherConfig, enricherUrl,
                template, avroSchema, registryUrl, Map.copyOf(registryProperties), schedule, backlogBound, drainSeconds,
                warmUp, entities, createTopics, partitions, runId, seed, out, "perf/load " + String.join(" ", masked(args)));
    }

    /**
     * {@code --warmup-seconds}: 0 or more seconds, fractions allowed, and no longer than the first step (whose length
     * {@code lengthOption} sets): the warm-up is the start of that step; the later steps find the enricher warm.
     */
    static WarmUp warmUp(String text, LoadSchedule schedule, String lengthOption) {
        if (text == null) {
            return WarmUp.NONE;
        }
        double seconds = number("--warmup-seconds", text.replace("_", ""));
        if (!(seconds >= 0) || Double.isInfinite(seconds)) {
            throw new IllegalArgumentException("--warmup-seconds: a number of seconds, 0 or more, not " + text);
        }
        if (seconds > schedule.stepSeconds()) {
            throw new IllegalArgumentException("--warmup-seconds " + text + " is longer than the first step ("
                    + schedule.stepSeconds() + " s, " + lengthOption + "): the warm-up is the start of the first step");
        }
        return new WarmUp(seconds);
    }

    /** The arguments with the values of secret-looking {@code --registry-property} keys masked, for the report. */
    static List<String> masked(List<String> args) {
        List<String> out = new ArrayList<>(args);
        for (int i = 1; i < out.size(); i++) {
            String kv = out.get(i);
            int eq = kv.indexOf('=');
            if (out.get(i - 1).equals("--registry-property") && eq > 0
                    && (SecretMasker.isSecretKey(kv.substring(0, eq)) || SecretMasker.holdsSecret(kv))) {
                out.set(i, kv.substring(0, eq + 1) + SecretMasker.MASK);
            }
        }
        return out;
    }
}
