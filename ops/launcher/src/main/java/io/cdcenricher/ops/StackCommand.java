package io.cdcenricher.ops;

import java.util.List;

/** {@code ops/stack up|down|status|logs}: the command-line face of {@link Stack}. */
public final class StackCommand {

    static final String USAGE = """
            Usage: ops/stack <command>

              up       start MariaDB, the Kafka broker and the Connect worker (skips what already runs)
              down     stop all of them (SIGTERM, then SIGKILL after 20 s); leaves no process behind
              status   show each part, its address and whether it really runs
              logs [PART] [LINES]
                       print the last LINES (default 40) of each part's log (kafka, connect, mariadb)

            Environment: KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093), CONNECT_PORT (8083),
                         MARIADB_PORT (3307), STACK_RUN_DIR (<repo>/.run). Everything binds to 127.0.0.1.
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
                stack.up(System.out::println);
                System.out.println("stack is up; run dir " + stack.settings().runDir());
            }
            case "down" -> stack.down(System.out::println);
            case "status" -> {
                stack.status().forEach(System.out::println);
                return stack.parts().stream().allMatch(p -> p.process().isRunning()) ? 0 : 3;
            }
            case "logs" -> printLogs(stack, args);
            default -> throw new CommandLine.UnknownCommand(args[0]);
        }
        return 0;
    }

    private static void printLogs(Stack stack, String[] args) {
        String only = args.length > 1 ? args[1] : null;
        int lines;
        try {
            lines = args.length > 2 ? Integer.parseInt(args[2]) : 40;
        } catch (NumberFormatException e) {
            throw new StackException("LINES must be a number, not '" + args[2] + "'");
        }
        if (only != null && stack.parts().stream().noneMatch(p -> p.name().equals(only))) {
            throw new StackException("no part named '" + only + "' (kafka, connect, mariadb)");
        }
        for (StackPart part : stack.parts()) {
            if (only == null || only.equals(part.name())) {
                System.out.println("==> " + part.process().logFile() + " <==");
                System.out.println(part.process().logTail(lines));
            }
        }
    }
}
