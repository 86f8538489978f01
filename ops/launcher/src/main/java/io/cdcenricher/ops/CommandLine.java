package io.cdcenricher.ops;

import java.util.List;

/** What every ops command does around its work: --help, usage on bad input, and errors as one clear line. */
final class CommandLine {

    /** The command's work; returns the exit code. */
    interface Body {
        int run(String[] args);
    }

    /** An unknown sub-command: prints the usage and exits 2. */
    static final class UnknownCommand extends RuntimeException {
        UnknownCommand(String command) {
            super("unknown command '" + command + "'");
        }
    }

    private CommandLine() {
    }

    static int run(String usage, String[] args, Body body) {
        if (args.length == 0 || List.of("-h", "--help", "help").contains(args[0])) {
            System.out.print(usage);
            return args.length == 0 ? 2 : 0;
        }
        try {
            return body.run(args);
        } catch (UnknownCommand e) {
            System.err.println(e.getMessage() + "\n");
            System.err.print(usage);
            return 2;
        } catch (StackException e) {
            System.err.println("error: " + e.getMessage());
            return 1;
        }
    }
}
