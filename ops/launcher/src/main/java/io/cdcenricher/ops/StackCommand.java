package io.cdcenricher.ops;

import java.util.List;

/** {@code ops/stack up|down|status|logs}: the command-line face of {@link Stack}. */
public final class StackCommand {

    static final String USAGE = """
            Usage: ops/stack <command>

              up [--with-registry] [--brokers N] [--connect-workers M]
                       start MariaDB, the Kafka broker and the Connect worker (skips what already runs);
                       --with-registry also starts Apicurio Registry (Java 21+: JAVA21_HOME or /usr/lib/jvm) and
                       runs Connect with Apicurio's Avro converter (plugin.discovery=hybrid_warn: a worker running
                       without it is restarted);
                       --brokers 3 (or 5) runs that many KRaft nodes (each broker and controller), every topic
                       with 3 replicas and min.insync.replicas=2; --connect-workers M runs M workers in one group.
                       Defaults: 1 and 1, or what the last 'up' in this run dir chose (the node count of a run dir
                       that holds Kafka data cannot change)
              down     stop all of them, the registry too (SIGTERM, then SIGKILL after 20 s); leaves no process behind
              status   show each part (each node: id, role, active controller; each worker), its address and
                       whether it really runs
              logs [PART] [LINES]
                       print the last LINES (default 40) of each part's log (kafka, kafka-2.., connect,
                       connect-2.., mariadb, registry)

            Environment: KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093), KAFKA_SASL_PORT (9094: SASL_PLAINTEXT,
                         SCRAM-SHA-512, user enricher, password in STACK_RUN_DIR/secrets/kafka.properties),
                         CONNECT_PORT (8083), MARIADB_PORT (3307), REGISTRY_PORT (8081),
                         REGISTRY_MANAGEMENT_PORT (9001), STACK_RUN_DIR (<repo>/.run).
                         Everything binds to 127.0.0.1. In a cluster, node N and worker N take the first one's
                         ports plus 100 x (N-1): KAFKA_PORT 9092 gives node 2 9192 and node 3 9292.
            """;

    private StackCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        return CommandLine.run(USAGE, args, StackCommand::execute);
    }

    private static int execute(String[] args) {
        StackLayout layout = StackLayout.locate();
        switch (args[0]) {
            case "up" -> {
                UpOptions options = UpOptions.parse(args);
                StackSettings recorded = StackSettings.fromEnvironment(layout);
                StackShape shape = StackShape.choose(options.shape(), recorded.runDir());
                Stack stack = new Stack(StackSettings.fromEnvironment(layout, System.getenv(), shape), layout);
                shape.record(stack.settings().runDir());
                if (options.withRegistry()) {
                    stack.upWithRegistry(System.out::println);
                } else {
                    stack.up(System.out::println);
                }
                System.out.println("stack is up (" + shape + "); run dir " + stack.settings().runDir());
                return 0;
            }
            default -> {
                // every other command sees the shape the last 'up' recorded
            }
        }
        Stack stack = new Stack(StackSettings.fromEnvironment(layout), layout);
        switch (args[0]) {
            case "down" -> stack.down(System.out::println);
            case "status" -> {
                stack.status().forEach(System.out::println);
                return stack.isUp() ? 0 : 3;
            }
            case "logs" -> printLogs(stack, args);
            default -> throw new CommandLine.UnknownCommand(args[0]);
        }
        return 0;
    }

    /** What {@code up} was asked for: the registry, and a shape when {@code --brokers} or {@code --connect-workers}. */
    record UpOptions(boolean withRegistry, java.util.Optional<StackShape> shape) {

        static UpOptions parse(String[] args) {
            boolean withRegistry = false;
            Integer brokers = null;
            Integer workers = null;
            for (int i = 1; i < args.length; i++) {
                switch (args[i]) {
                    case "--with-registry" -> withRegistry = true;
                    case "--brokers" -> brokers = count(args, ++i, "--brokers");
                    case "--connect-workers" -> workers = count(args, ++i, "--connect-workers");
                    default -> throw new StackException("unknown option for up: '" + args[i]
                            + "' (--with-registry, --brokers N, --connect-workers M)");
                }
            }
            if (brokers == null && workers == null) {
                return new UpOptions(withRegistry, java.util.Optional.empty());
            }
            // One flag alone keeps the default of the other: an explicit shape is never half a recorded one.
            return new UpOptions(withRegistry, java.util.Optional.of(new StackShape(brokers == null ? 1 : brokers,
                    workers == null ? 1 : workers)));
        }

        private static int count(String[] args, int index, String option) {
            if (index >= args.length) {
                throw new StackException(option + " needs a number");
            }
            try {
                return Integer.parseInt(args[index]);
            } catch (NumberFormatException e) {
                throw new StackException(option + " needs a number, not '" + args[index] + "'");
            }
        }
    }

    private static void printLogs(Stack stack, String[] args) {
        String only = args.length > 1 ? args[1] : null;
        int lines;
        try {
            lines = args.length > 2 ? Integer.parseInt(args[2]) : 40;
        } catch (NumberFormatException e) {
            throw new StackException("LINES must be a number, not '" + args[2] + "'");
        }
        if (only != null && stack.allParts().stream().noneMatch(p -> p.name().equals(only))) {
            throw new StackException("no part named '" + only + "' ("
                    + String.join(", ", stack.allParts().stream().map(StackPart::name).toList()) + ")");
        }
        for (StackPart part : stack.allParts()) {
            if (only == null || only.equals(part.name())) {
                System.out.println("==> " + part.process().logFile() + " <==");
                System.out.println(part.process().logTail(lines));
            }
        }
    }
}
