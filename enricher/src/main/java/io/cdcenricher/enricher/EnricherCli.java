package io.cdcenricher.enricher;

import io.cdcenricher.enricher.config.ConfigReference;
import io.cdcenricher.enricher.config.EnricherConfig;
import io.cdcenricher.enricher.config.EnricherConfigLoader;
import io.cdcenricher.enricher.config.InvalidConfigException;
import io.cdcenricher.enricher.config.JoinConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The jar's command line: {@code run} (the default: {@code java -jar enricher.jar --config FILE} still works),
 * {@code validate} (the configuration and the topics it names, on the broker) and {@code reset} (reprocess from the
 * beginning). Exit codes: 0 ok, 1 failure, 2 bad arguments or configuration ({@link ExitCode}). picocli parses every
 * form, so options may come in any order.
 */
@Command(name = "enricher", mixinStandardHelpOptions = true, version = "cdc-enricher 0.1.0",
        description = "Enriches an events topic with reference tables captured by CDC.",
        subcommands = {EnricherCli.Run.class, EnricherCli.Validate.class, EnricherCli.Reset.class,
                CommandLine.HelpCommand.class})
public final class EnricherCli implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(EnricherCli.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    // The original form, `java -jar enricher.jar --config FILE [--http-host H] [--http-port P]`, is `run` without its
    // name (the Docker image's CMD uses it). Hidden: the top-level help lists the sub-commands, `run --help` documents
    // these options.
    @Option(names = "--config", hidden = true, paramLabel = "FILE")
    Path config;

    @Option(names = "--http-host", hidden = true, defaultValue = HttpOptions.DEFAULT_HOST)
    String httpHost;

    @Option(names = "--http-port", hidden = true, defaultValue = HttpOptions.DEFAULT_PORT)
    int httpPort;

    public static void main(String[] args) {
        System.exit(execute(args, System.out, System.err));
    }

    /** Runs the command line and returns the exit code (tests call this). */
    static int execute(String[] args, PrintStream out, PrintStream err) {
        CommandLine commandLine = new CommandLine(new EnricherCli())
                .setOut(new PrintWriter(out, true, StandardCharsets.UTF_8))
                .setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        commandLine.getSubcommands().values().forEach(sub -> sub.setOut(commandLine.getOut()).setErr(commandLine.getErr()));
        Validate.listConfigKeys(commandLine.getSubcommands().get("validate"));
        return commandLine.execute(args);
    }

    @Override
    public Integer call() {
        // Errors in the original form show run's usage: it documents the options the form takes.
        CommandLine.Model.CommandSpec run = spec.subcommands().get("run").getCommandSpec();
        if (config != null) {
            return runEnricher(run, config, new HttpOptions(httpHost, httpPort));
        }
        if (!spec.commandLine().getParseResult().matchedOptions().isEmpty()) {
            throw new CommandLine.ParameterException(run.commandLine(), "--config FILE is required");
        }
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.USAGE;
    }

    /** Shared option: the configuration file. */
    static final class ConfigOption {
        @Option(names = "--config", required = true, paramLabel = "FILE", description = "the enricher configuration (YAML)")
        Path config;
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Run the enricher until it is stopped (SIGTERM closes it cleanly).")
    static final class Run implements Callable<Integer> {
        @CommandLine.Mixin
        ConfigOption config;

        @Option(names = "--http-host", defaultValue = HttpOptions.DEFAULT_HOST,
                description = "address of /health, /ready, /metrics, /tables/{join}/{key} (default: ${DEFAULT-VALUE})")
        String httpHost;

        @Option(names = "--http-port", defaultValue = HttpOptions.DEFAULT_PORT,
                description = "port of those endpoints; 0 = any free port, -1 = off (default: ${DEFAULT-VALUE})")
        int httpPort;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            return runEnricher(spec, config.config, new HttpOptions(httpHost, httpPort));
        }
    }

    /** Loads the configuration and runs the application until it stops; returns the exit code. */
    private static int runEnricher(CommandLine.Model.CommandSpec spec, Path configFile, HttpOptions http) {
        if (!Files.isRegularFile(configFile)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "no such file: " + configFile);
        }
        PrintStream err = errStream(spec);
        EnricherConfig loaded = loadOrExplain(configFile, err);
        if (loaded == null) {
            return ExitCode.USAGE;
        }
        try {
            return new EnricherApplication(loaded, http).run();
        } catch (BrokerCheckException e) {
            log.error("{}", e.getMessage());
            err.println("Error: " + e.getMessage());
            return ExitCode.FAILED;
        }
    }

    /** The validated configuration, or null after printing every problem with its key. */
    private static EnricherConfig loadOrExplain(Path configFile, PrintStream err) {
        try {
            return EnricherConfigLoader.load(configFile);
        } catch (IOException e) {
            err.println("Error: cannot read the configuration file " + configFile + ": " + e);
            return null;
        } catch (InvalidConfigException e) {
            err.println("Error: invalid configuration in " + configFile + ":");
            e.problems().forEach(problem -> err.println("  " + problem));
            return null;
        }
    }

    /** The command's error writer for code that prints to a PrintStream. */
    private static PrintStream errStream(CommandLine.Model.CommandSpec spec) {
        return new PrintStream(new WriterStream(spec.commandLine().getErr()), true, StandardCharsets.UTF_8);
    }

    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = "Check the configuration, that its topics exist and that partitioned joins are co-partitioned.")
    static final class Validate implements Callable<Integer> {
        @CommandLine.Mixin
        ConfigOption config;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        /** Lists every configuration key, from its declaration, below the options of {@code validate --help}. */
        static void listConfigKeys(CommandLine validate) {
            CommandLine.Model.UsageMessageSpec usage = validate.getCommandSpec().usageMessage();
            // picocli formats footer lines (%n), so a literal percent sign must be doubled.
            usage.footerHeading("%nConfiguration keys:%n").footer(ConfigReference.helpLines(usage.width()).stream()
                    .map(line -> line.replace("%", "%%")).toArray(String[]::new));
        }

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintStream err = errStream(spec);
            EnricherConfig loaded = loadOrExplain(config.config, err);
            if (loaded == null) {
                return ExitCode.USAGE;
            }
            out.println("configuration " + config.config + ": valid (" + loaded.joins().size() + " join(s))");
            try {
                Properties props = loaded.streamsProperties();
                EnricherConfig resolved = BrokerChecks.requireTopics(props, loaded);
                out.println("topics on " + loaded.bootstrapServers() + ": " + loaded.topics().events() + " and every "
                        + "table topic exist");
                for (JoinConfig join : resolved.joins()) {
                    out.println("  join " + join.name() + ": " + join.topic() + ", " + join.materialization()
                            .toString().toLowerCase(java.util.Locale.ROOT)
                            + (join.isPartitioned() ? ", " + join.partitions() + " partition(s), co-partitioned" : ""));
                }
                return ExitCode.OK;
            } catch (BrokerCheckException e) {
                err.println("Error: " + e.getMessage());
                return ExitCode.FAILED;
            }
        }
    }

    @Command(name = "reset", mixinStandardHelpOptions = true,
            description = {"Reset the application so that it reprocesses its input from the beginning: deletes its "
                    + "consumer group, its internal (changelog, repartition) topics and the local state.",
                    "All instances must be stopped. Asks for the application id as confirmation unless --yes."})
    static final class Reset implements Callable<Integer> {
        @CommandLine.Mixin
        ConfigOption config;

        @Option(names = "--yes", description = "do not ask for confirmation")
        boolean yes;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintStream err = errStream(spec);
            EnricherConfig loaded = loadOrExplain(config.config, err);
            if (loaded == null) {
                return ExitCode.USAGE;
            }
            if (!yes) {
                out.print("This deletes the offsets, internal topics and local state of application '"
                        + loaded.applicationId() + "' on " + loaded.bootstrapServers()
                        + ". Type the application id to confirm: ");
                out.flush();
                String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                if (!loaded.applicationId().equals(answer == null ? null : answer.trim())) {
                    err.println("Not confirmed; nothing was changed.");
                    return ExitCode.FAILED;
                }
            }
            try {
                ApplicationReset.Result result = ApplicationReset.reset(loaded);
                out.println("reset '" + loaded.applicationId() + "': consumer group "
                        + (result.groupDeleted() ? "deleted" : "did not exist") + "; internal topics deleted: "
                        + result.deletedTopics() + "; local state removed");
                return ExitCode.OK;
            } catch (BrokerCheckException e) {
                err.println("Error: " + e.getMessage());
                return ExitCode.FAILED;
            }
        }
    }

    /** Lets the code that prints to a PrintStream write to picocli's writers. */
    private static final class WriterStream extends java.io.OutputStream {
        private final PrintWriter writer;

        WriterStream(PrintWriter writer) {
            this.writer = writer;
        }

        @Override
        public void write(int b) {
            writer.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            writer.write(new String(b, off, len, StandardCharsets.UTF_8));
        }

        @Override
        public void flush() {
            writer.flush();
        }
    }
}
