package io.cdcenricher.ops;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code ops/connectors apply|status|watch|delete}: registers the files of {@code connectors/} with Kafka Connect,
 * tells whether they really capture, and restarts failed tasks.
 */
public final class ConnectorsCommand {

    static final String USAGE = """
            Usage: ops/connectors <command> [OPTIONS] [FILE...]    (ops/connectors <command> --help: one command)

              apply  [FILE...]  create or update each connector (PUT /connectors/{name}/config, idempotent) and
                                wait until the connector and all its tasks are RUNNING; prints the trace if one
                                FAILED; refuses a database.server.id that another connector uses on the same database
              status [--window SECONDS] [FILE...]
                                whether each connector really captures: two reads SECONDS apart (default 5) of its
                                state, its committed offset and the database's binlog; one line per FAILED task;
                                the age of the last record of each topic. Exit 0 CAPTURING, 3 FAILED, STALLED, PAUSED
                                or not registered, 4 UNCONFIRMED (just restarted, snapshot running, no binlog access)
              watch  [--interval SECONDS] [--backoff SECONDS] [--max-backoff SECONDS] [FILE...]
                                restart FAILED connectors and tasks, waiting longer after each restart, and log why,
                                until Ctrl-C
              delete [FILE...]  delete the connectors (deleting a missing one is fine)

            FILE defaults to connectors/debezium-mariadb.json. Placeholders {{CDC_...}} in the files are filled from
            environment variables of the same name, or the local stack's values: CDC_DATABASE_HOST, CDC_DATABASE_PORT,
            CDC_DATABASE_NAME (shop), CDC_TOPIC_PREFIX (demo), CDC_KAFKA_BOOTSTRAP, CDC_REGISTRY_HOST_PORT (the
            registry of ops/stack up --with-registry, for debezium-mariadb-avro.json), and CDC_DATABASE_SERVER_ID:
            unset, it is derived from the connector's name (5400000-5999999), so connectors with different names get
            different replica ids. CONNECT_URL overrides the Connect REST address. Passwords are never placeholders:
            the worker resolves ${env:CDC_DATABASE_PASSWORD} itself.
            """;

    static final String APPLY_USAGE = """
            Usage: ops/connectors apply [FILE...]

            Creates or updates each connector (PUT /connectors/{name}/config, idempotent) and waits up to 120 s until
            the connector and all its tasks are RUNNING; prints the failed task's trace if one FAILED.

            database.server.id: MariaDB and MySQL keep one replica connection per server id, so two connectors with
            the same id on one database throw each other out. Unless the file or CDC_DATABASE_SERVER_ID sets one, the
            id is derived from the connector's name (5400000-5999999; stable across applies). A connector whose id
            another registered connector already uses on the same database host and port is refused, naming both.
            """;

    static final String STATUS_USAGE = """
            Usage: ops/connectors status [--window SECONDS] [FILE...]

            Whether each connector really captures. A status of RUNNING alone proves little: a worker restarted after
            a crash reports the state it stored before until its task has started again, and a Debezium task that
            keeps retrying a lost database connection stays RUNNING. So status reads twice, SECONDS apart (default 5):
            the connector's and its tasks' states, the source offset Connect committed for it
            (GET /connectors/{name}/offsets), and the database's binlog position (SHOW MASTER STATUS, as the
            connector's user: CDC_DATABASE_USER / CDC_DATABASE_PASSWORD, else the local stack's secrets). It counts the
            committed changes to captured tables between the committed offset and the first read's binlog position
            (SHOW BINLOG EVENTS), and prints the age of the last record of each topic the connector wrote.

              CAPTURING    exit 0  RUNNING at both reads, and every captured change the binlog held at the first
                                   read is delivered, or the committed offset moved between the reads
              FAILED       exit 3  a connector or task FAILED: one line per failed part with its root cause
              STALLED      exit 3  captured changes wait in the binlog and the committed offset did not move
              PAUSED       exit 3  paused or stopped on purpose
              not registered exit 3
              UNCONFIRMED  exit 4  not RUNNING at both reads (just restarted), no committed offset yet, initial
                                   snapshot running, or the database's binlog could not be read

            Exit 1: Connect could not be reached or answered an error; 2: bad usage.
            With several files the exit code is 3 if any connector gave 3, else 4 if any gave 4, else 0. SECONDS must
            exceed the worker's offset.flush.interval.ms (1 s on the local stack, Connect's default is 60 s), or a
            healthy connector whose offsets were not flushed yet looks STALLED.
            """;

    static final String WATCH_USAGE = """
            Usage: ops/connectors watch [--interval SECONDS] [--backoff SECONDS] [--max-backoff SECONDS] [FILE...]

            Checks the connectors every SECONDS (--interval, default 5) and restarts FAILED connectors and tasks
            (POST /connectors/{name}/restart?includeTasks=true&onlyFailed=true), logging each restart with the
            failure's root cause and each change of state, until Ctrl-C. After a restart it waits --backoff seconds
            (default 10) before the next one, doubling each time up to --max-backoff (default 300); a connector that
            then runs for --max-backoff seconds without failing starts from --backoff again.

            This is a supervisor for the local stack and for a terminal. Debezium already retries what it considers
            retriable (lost connections: errors.max.retries in the connector files); what ends FAILED needs a person or
            a supervisor. In production that is the deployment's own: alerts on a FAILED task from Connect's metrics
            or from 'ops/connectors status' in a health check, and a restart by its orchestrator (a Kubernetes
            operator such as Strimzi's auto-restart) rather than a watch loop on someone's terminal.
            """;

    private static final Map<String, String> USAGES = Map.of("apply", APPLY_USAGE, "status", STATUS_USAGE,
            "watch", WATCH_USAGE, "delete", """
                    Usage: ops/connectors delete [FILE...]

                    Deletes each connector (DELETE /connectors/{name}); deleting one that is not registered is fine.
                    Its committed offsets stay in Connect's offsets topic and its topics stay in Kafka.
                    """);

    private static final Map<String, Set<String>> OPTIONS = Map.of("apply", Set.of(), "delete", Set.of(),
            "status", Set.of("--window"), "watch", Set.of("--interval", "--backoff", "--max-backoff"));

    private ConnectorsCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        return CommandLine.run(USAGE, args, ConnectorsCommand::execute);
    }

    private static int execute(String[] args) {
        if (!USAGES.containsKey(args[0])) {
            throw new CommandLine.UnknownCommand(args[0]);
        }
        Arguments arguments = Arguments.parse(args);
        if (arguments.help()) {
            System.out.print(USAGES.get(args[0]));
            return 0;
        }
        StackLayout layout = StackLayout.locate();
        StackSettings settings = StackSettings.fromEnvironment(layout);
        String url = System.getenv().getOrDefault("CONNECT_URL", settings.connectUrl());
        ConnectRestClient rest = new ConnectRestClient(url);
        Map<String, String> values = ConnectorDeployer.placeholderValues(settings, System.getenv());
        ConnectorDeployer deployer = new ConnectorDeployer(rest, values);
        List<Path> files = files(layout, arguments.files());
        switch (args[0]) {
            case "apply" -> {
                for (Path file : files) {
                    System.out.println("applying " + file + " to " + url + " ...");
                    System.out.println(deployer.apply(file, Duration.ofSeconds(120)).summary());
                }
            }
            case "status" -> {
                CaptureCheck check = new CaptureCheck(rest, new DatabaseLogin(System.getenv(), settings.runDir()),
                        values.get("CDC_KAFKA_BOOTSTRAP"));
                Duration window = arguments.seconds("--window", 5);
                List<Integer> exits = new ArrayList<>();
                for (Path file : files) {
                    CaptureCheck.Result result = check.check(deployer.load(file).name(), window);
                    result.lines().forEach(System.out::println);
                    exits.add(result.exitCode());
                }
                return exits.contains(3) ? 3 : exits.contains(4) ? 4 : 0;
            }
            case "watch" -> {
                Duration interval = arguments.seconds("--interval", 5);
                Duration backoff = arguments.seconds("--backoff", 10);
                Duration maxBackoff = arguments.seconds("--max-backoff", 300);
                if (maxBackoff.compareTo(backoff) < 0) {
                    throw new StackException("--max-backoff " + maxBackoff.toSeconds() + " is less than --backoff "
                            + backoff.toSeconds());
                }
                List<String> names = files.stream().map(f -> deployer.load(f).name()).toList();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("watch stopped")));
                new ConnectorWatch(rest, names, backoff, maxBackoff, System.out::println, Clock.systemUTC())
                        .run(interval);
            }
            case "delete" -> {
                for (Path file : files) {
                    String name = deployer.load(file).name();
                    System.out.println(name + (rest.delete(name) ? ": deleted" : ": was not registered"));
                }
            }
            default -> throw new CommandLine.UnknownCommand(args[0]);
        }
        return 0;
    }

    /** A sub-command's arguments: its --options with their values, --help, and the files. */
    record Arguments(String command, Map<String, String> options, boolean help, List<String> files) {

        static Arguments parse(String[] args) {
            Map<String, String> options = new HashMap<>();
            List<String> files = new ArrayList<>();
            boolean help = false;
            for (int i = 1; i < args.length; i++) {
                String arg = args[i];
                if (arg.equals("--help") || arg.equals("-h")) {
                    help = true;
                } else if (arg.startsWith("-")) {
                    if (!OPTIONS.get(args[0]).contains(arg)) {
                        throw new StackException("unknown option for " + args[0] + ": '" + arg + "' ("
                                + (OPTIONS.get(args[0]).isEmpty() ? "it takes none" : "it takes "
                                + String.join(", ", new java.util.TreeSet<>(OPTIONS.get(args[0])))) + ")");
                    }
                    if (i + 1 >= args.length) {
                        throw new StackException(arg + " needs a value");
                    }
                    options.put(arg, args[++i]);
                } else {
                    files.add(arg);
                }
            }
            return new Arguments(args[0], options, help, files);
        }

        /** A whole number of seconds, at least 1; the default when the option is absent. */
        Duration seconds(String option, int fallback) {
            String value = options.get(option);
            if (value == null) {
                return Duration.ofSeconds(fallback);
            }
            try {
                int seconds = Integer.parseInt(value.trim());
                if (seconds < 1) {
                    throw new NumberFormatException();
                }
                return Duration.ofSeconds(seconds);
            } catch (NumberFormatException e) {
                throw new StackException(option + " " + value + " is not a whole number of seconds (1 or more)");
            }
        }
    }

    private static List<Path> files(StackLayout layout, List<String> names) {
        List<Path> files = new ArrayList<>();
        for (String name : names) {
            Path file = Path.of(name);
            if (!Files.isRegularFile(file)) {
                throw new StackException("no such connector file: " + file);
            }
            files.add(file);
        }
        if (files.isEmpty()) {
            files.add(layout.connectorsDir().resolve("debezium-mariadb.json"));
        }
        return files;
    }

}
