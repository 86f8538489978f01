package io.cdcenricher.perf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.stream.Stream;

import io.cdcenricher.ops.Stack;
import io.cdcenricher.ops.StackLayout;
import io.cdcenricher.ops.StackSettings;

/**
 * The stack a perf run uses: by default its own run directory ({@code perf/target/stack}) on free ports, remembered
 * in {@code perf-ports.properties} so that {@code --keep-stack} can find it again; with {@code STACK_RUN_DIR} in the
 * environment, the stack of that directory on the environment's ports. A stack this run did not find running is
 * stopped at the end unless {@code --keep-stack} is given.
 */
final class PerfStack implements AutoCloseable {

    private static final String PORTS_FILE = "perf-ports.properties";

    private final Stack stack;
    private final boolean reused;
    private final boolean stopAtEnd;
    private final Consumer<String> progress;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private PerfStack(Stack stack, boolean reused, boolean stopAtEnd, Consumer<String> progress) {
        this.stack = stack;
        this.reused = reused;
        this.stopAtEnd = stopAtEnd;
        this.progress = progress;
    }

    static PerfStack open(PerfOptions options, StackLayout layout, Consumer<String> progress) {
        String envRunDir = System.getenv("STACK_RUN_DIR");
        if (envRunDir != null && !envRunDir.isBlank()) {
            Stack stack = new Stack(StackSettings.fromEnvironment(layout), layout);
            boolean running = anyRunning(stack);
            progress.accept("using the stack of STACK_RUN_DIR=" + envRunDir + (running ? " (running)" : ""));
            stack.up(progress);
            return new PerfStack(stack, running, !options.keepStack() && !running, progress);
        }
        Path dir = options.stackDir();
        Path portsFile = dir.resolve(PORTS_FILE);
        if (Files.exists(portsFile)) {
            Stack previous = new Stack(readPorts(portsFile, dir), layout);
            if (anyRunning(previous)) {
                progress.accept("reusing the perf stack in " + dir);
                previous.up(progress);
                return new PerfStack(previous, true, !options.keepStack(), progress);
            }
        }
        wipe(dir);
        StackSettings settings = StackSettings.onFreePorts(dir);
        writePorts(portsFile, settings);
        Stack stack = new Stack(settings, layout);
        progress.accept("starting a fresh stack in " + dir + " on free ports");
        try {
            stack.up(progress);
        } catch (RuntimeException | Error e) {
            stack.down(progress);
            throw e;
        }
        return new PerfStack(stack, false, !options.keepStack(), progress);
    }

    Stack stack() {
        return stack;
    }

    boolean reused() {
        return reused;
    }

    /** Stops the stack and starts a fresh one in the same directory (reference data that does not match). */
    PerfStack restartFresh(PerfOptions options, StackLayout layout) {
        progress.accept("the kept stack holds other reference data: starting it afresh");
        stack.down(progress);
        wipe(options.stackDir());
        return open(options, layout, progress);
    }

    /** Stops the stack (once) unless it is to be kept; safe to call from a shutdown hook. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (stopAtEnd) {
            progress.accept("stopping the stack");
            stack.down(progress);
        } else {
            progress.accept("leaving the stack running (" + stack.settings().runDir() + "); stop it with: "
                    + "STACK_RUN_DIR=" + stack.settings().runDir() + " KAFKA_PORT=" + stack.settings().kafkaPort()
                    + " KAFKA_CONTROLLER_PORT=" + stack.settings().controllerPort()
                    + " KAFKA_SASL_PORT=" + stack.settings().kafkaSaslPort()
                    + " CONNECT_PORT=" + stack.settings().connectPort()
                    + " MARIADB_PORT=" + stack.settings().mariadbPort() + " ops/stack down");
        }
    }

    private static boolean anyRunning(Stack stack) {
        return stack.parts().stream().anyMatch(p -> p.process().isRunning());
    }

    private static StackSettings readPorts(Path file, Path dir) {
        Properties p = new Properties();
        try (var in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // A ports file written before the SASL listener existed has no "sasl": that stack's broker used the default.
        return new StackSettings(StackSettings.HOST, Integer.parseInt(p.getProperty("kafka")),
                Integer.parseInt(p.getProperty("controller")),
                Integer.parseInt(p.getProperty("sasl", Integer.toString(StackSettings.DEFAULT_KAFKA_SASL_PORT))),
                Integer.parseInt(p.getProperty("connect")), Integer.parseInt(p.getProperty("mariadb")),
                StackSettings.DEFAULT_REGISTRY_PORT, StackSettings.DEFAULT_REGISTRY_MANAGEMENT_PORT, dir);
    }

    private static void writePorts(Path file, StackSettings s) {
        Properties p = new Properties();
        p.setProperty("kafka", Integer.toString(s.kafkaPort()));
        p.setProperty("controller", Integer.toString(s.controllerPort()));
        p.setProperty("sasl", Integer.toString(s.kafkaSaslPort()));
        p.setProperty("connect", Integer.toString(s.connectPort()));
        p.setProperty("mariadb", Integer.toString(s.mariadbPort()));
        try {
            Files.createDirectories(file.getParent());
            try (var out = Files.newOutputStream(file)) {
                p.store(out, "ports of the perf stack in this folder");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void wipe(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The bytes of the regular files under {@code dir}; 0 when it does not exist. */
    static long bytesUnder(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
