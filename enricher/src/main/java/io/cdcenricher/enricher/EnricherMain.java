package io.cdcenricher.enricher;

import io.cdcenricher.enricher.config.EnricherConfig;
import io.cdcenricher.enricher.config.EnricherConfigLoader;
import io.cdcenricher.enricher.config.InvalidConfigException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the enricher: {@code java -jar enricher.jar --config FILE}.
 *
 * <p>Exit codes: 0 after a normal shutdown, 1 when the application fails (broker unreachable, missing topics,
 * a fatal stream error), 2 for bad arguments or an invalid configuration.
 */
public final class EnricherMain {

    static final int EXIT_OK = 0;
    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;

    static final String USAGE = String.join("\n",
            "Usage: java -jar enricher.jar --config FILE",
            "",
            "Enriches the events topic with reference tables, as configured in FILE (YAML).",
            "",
            "Options:",
            "  --config FILE        the enricher configuration (required)",
            "  --http-host HOST     address of /health, /ready, /metrics, /tables (default 127.0.0.1)",
            "  --http-port PORT     port of those endpoints (default 8080; 0 = any free port; -1 = off)",
            "  --help               show this help",
            "",
            "Also: java -jar enricher.jar run|validate|reset --help");

    private static final Logger log = LoggerFactory.getLogger(EnricherMain.class);

    private EnricherMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Everything {@link #main} does, returning the exit code instead of exiting. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Arguments arguments;
        try {
            arguments = parseArgs(args);
        } catch (IllegalArgumentException e) {
            err.println("Error: " + e.getMessage());
            err.println(USAGE);
            return EXIT_USAGE;
        }
        if (arguments == null) {
            out.println(USAGE);
            return EXIT_OK;
        }
        return start(arguments.config(), arguments.http(), err);
    }

    /** Where the operations endpoints listen; a negative port turns them off. */
    public record HttpOptions(String host, int port) {
        public static final HttpOptions DEFAULT = new HttpOptions("127.0.0.1", 8080);

        boolean enabled() {
            return port >= 0;
        }
    }

    /** The parsed command line of the run form. */
    record Arguments(Path config, HttpOptions http) {
    }

    /** Loads and validates the configuration, then runs the application until it stops. */
    static int start(Path configFile, HttpOptions http, PrintStream err) {
        EnricherConfig config = loadOrExplain(configFile, err);
        if (config == null) {
            return EXIT_USAGE;
        }
        try {
            return new EnricherApplication(config, http).run();
        } catch (BrokerCheckException e) {
            log.error("{}", e.getMessage());
            err.println("Error: " + e.getMessage());
            return EXIT_FAILED;
        }
    }

    /** The validated configuration, or null after printing every problem with its key. */
    static EnricherConfig loadOrExplain(Path configFile, PrintStream err) {
        EnricherConfig config;
        try {
            config = EnricherConfigLoader.load(configFile);
        } catch (IOException e) {
            err.println("Error: cannot read the configuration file " + configFile + ": " + e);
            return null;
        } catch (InvalidConfigException e) {
            err.println("Error: invalid configuration in " + configFile + ":");
            e.problems().forEach(problem -> err.println("  " + problem));
            return null;
        }
        return config;
    }

    /** The arguments, or null when help was asked for. */
    static Arguments parseArgs(String[] args) {
        Path config = null;
        String httpHost = HttpOptions.DEFAULT.host();
        int httpPort = HttpOptions.DEFAULT.port();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            if (arg.equals("--help") || arg.equals("-h")) {
                return null;
            }
            if (!List.of("--config", "--http-host", "--http-port").contains(name)) {
                throw new IllegalArgumentException("unknown argument '" + arg + "'");
            }
            String value;
            if (arg.contains("=")) {
                value = arg.substring(arg.indexOf('=') + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException(name + (name.equals("--config") ? " needs a file name"
                        : " needs a value"));
            }
            switch (name) {
                case "--config" -> config = Path.of(value);
                case "--http-host" -> httpHost = value;
                default -> {
                    try {
                        httpPort = Integer.parseInt(value);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--http-port must be a number, not '" + value + "'");
                    }
                }
            }
        }
        if (config == null) {
            throw new IllegalArgumentException("--config FILE is required");
        }
        if (!Files.isRegularFile(config)) {
            throw new IllegalArgumentException("no such file: " + config);
        }
        return new Arguments(config, new HttpOptions(httpHost, httpPort));
    }
}
