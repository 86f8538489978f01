package io.cdcenricher.ops;

import java.util.List;

/** {@code ops/stack up|down|status|logs}: the command-line face of {@link Stack}. */
public final class StackCommand {

    static final String USAGE = """
            Usage: ops/stack <command>

              up [--with-registry]
                       start MariaDB, the Kafka broker and the Connect worker (skips what already runs);
                       --with-registry also starts Apicurio Registry (Java 21+: JAVA21_HOME or /usr/lib/jvm) and
                       runs Connect with Apicurio's Avro converter (plugin.discovery=hybrid_warn: a worker running
                       without it is restarted)
              down     stop all of them, the registry too (SIGTERM, then SIGKILL after 20 s); leaves no process behind
              status   show each part, its address and whether it really runs
              logs [PART] [LINES]
                       print the last LINES (default 40) of each part's log (kafka, connect, mariadb, registry)

            Environment: KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093), KAFKA_SASL_PORT (9094: SASL_PLAINTEXT,
                         SCRAM-SHA-512, user enricher, password in STACK_RUN_DIR/secrets/kafka.properties),
                         CONNECT_PORT (8083), MARIADB_PORT (3307), REGISTRY_PORT (8081),
                         REGISTRY_MANAGEMENT_PORT (9001), STACK_RUN_DIR (<repo>/.run).
                         Everything binds to 127.0.0.1.
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
        Stack stack = new Stack(StackSettings.fromEnvironment(layout), layout);
        switch (args[0]) {
            case "up" -> {
                boolean withRegistry = upOptions(args);
                if (withRegistry) {
                    stack.upWithRegistry(System.out::println);
                } else {
                    stack.up(System.out::println);
                }
                System.out.println("stack is up; run dir " + stack.settings().runDir());
            }
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

    /** Whether {@code up} was given {@code --with-registry}; anything else is a usage error. */
    private static boolean upOptions(String[] args) {
        boolean withRegistry = false;
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--with-registry")) {
                withRegistry = true;
            } else {
                throw new StackException("unknown option for up: '" + args[i] + "' (only --with-registry)");
            }
        }
        return withRegistry;
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
            throw new StackException("no part named '" + only + "' (kafka, connect, mariadb, registry)");
        }
        for (StackPart part : stack.allParts()) {
            if (only == null || only.equals(part.name())) {
                System.out.println("==> " + part.process().logFile() + " <==");
                System.out.println(part.process().logTail(lines));
            }
        }
    }
}
