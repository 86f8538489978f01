package io.cdcenricher.perf.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.cdcenricher.ops.EnricherProcess;
import io.cdcenricher.ops.StackException;
import io.cdcenricher.ops.StackLayout;

/**
 * The enricher instances under test: the released jar, each its own process with its own run folder and state
 * directory, all with the same application id, so they share the events topic's partitions as users scale out.
 */
final class EnricherFleet implements AutoCloseable {

    private final List<Instance> instances = new ArrayList<>();

    /** One instance: its process, its config, and whether the harness took it down on purpose. */
    static final class Instance {
        final String name;
        final EnricherProcess process;
        final Path config;
        volatile boolean expectedDown;
        int unexpectedExits;

        Instance(String name, EnricherProcess process, Path config) {
            this.name = name;
            this.process = process;
            this.config = config;
        }

        Path log() {
            return process.process().logFile();
        }

        boolean isRunning() {
            return process.process().isRunning();
        }

        long pid() {
            return process.process().handle().map(ProcessHandle::pid).orElse(-1L);
        }
    }

    EnricherFleet(StackLayout layout, Path dir, int count, java.util.function.Function<Path, String> yamlForStateDir) {
        for (int i = 0; i < count; i++) {
            String name = "enricher-" + (char) ('a' + i);
            Path instanceDir = dir.resolve(name);
            Path config = instanceDir.resolve("enricher.yaml");
            try {
                Files.createDirectories(instanceDir);
                Files.writeString(config, yamlForStateDir.apply(instanceDir.resolve("state")));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            instances.add(new Instance(name, new EnricherProcess(layout, instanceDir), config));
        }
    }

    List<Instance> instances() {
        return instances;
    }

    /** Starts every instance and waits until each one's {@code /ready} says it serves. */
    void startAll(Duration timeout) {
        instances.forEach(i -> i.process.start(i.config));
        instances.forEach(i -> awaitReady(i, timeout));
    }

    /** kill -9; returns the pid killed. */
    long kill(Instance instance) {
        instance.expectedDown = true;
        return instance.process.process().kill()
                .orElseThrow(() -> new IllegalStateException(instance.name + " was not running when it was to be killed"));
    }

    /**
     * A graceful stop, as an operator's rolling restart does it: SIGTERM, and wait until the process has exited (it
     * closes Kafka Streams and leaves the group); after 30 s it is killed after all. Returns the pid stopped.
     */
    long stop(Instance instance) {
        instance.expectedDown = true;
        long pid = instance.pid();
        if (pid < 0) {
            throw new IllegalStateException(instance.name + " was not running when it was to be stopped");
        }
        instance.process.stop();
        return pid;
    }

    /**
     * Starts a killed or stopped instance again and waits until its new process is ready ({@code /ready}; the new
     * process listens on a port of its own, so an answer cannot come from the old one); returns the millis it took.
     */
    long restart(Instance instance, Duration timeout) {
        long start = System.currentTimeMillis();
        instance.process.start(instance.config);
        awaitReady(instance, timeout);
        instance.expectedDown = false;
        return System.currentTimeMillis() - start;
    }

    private static void awaitReady(Instance instance, Duration timeout) {
        try {
            instance.process.awaitReady(timeout);
        } catch (StackException e) {
            throw new IllegalStateException(instance.name + ": " + e.getMessage(), e);
        }
    }

    /**
     * An instance that exited without being killed by the harness (a fatal error, an exit on a lost broker) is
     * counted and started again, as a supervisor (systemd, Kubernetes) would; the report shows the count.
     */
    List<String> restartUnexpectedlyDead(Duration timeout) {
        List<String> notes = new ArrayList<>();
        for (Instance instance : instances) {
            if (!instance.expectedDown && !instance.isRunning()) {
                instance.unexpectedExits++;
                notes.add(instance.name + " exited on its own (log " + instance.log() + "): "
                        + lastLine(instance.process.process().logTail(5)));
                restart(instance, timeout);
            }
        }
        return notes;
    }

    /**
     * Each instance's state for an error message: running (with its pid) or exited, and the last warnings and
     * errors of its log, so that a stall can be told apart from a crash after the run's folder is gone.
     */
    String describe() {
        List<String> parts = new ArrayList<>();
        for (Instance instance : instances) {
            List<String> warnings = instance.process.process().logTail(400).lines()
                    .filter(line -> line.contains(" WARN ") || line.contains(" ERROR "))
                    .map(line -> line.length() > 400 ? line.substring(0, 400) + " ..." : line)
                    .toList();
            parts.add(instance.name + " " + (instance.isRunning() ? "running (pid " + instance.pid() + ")" : "exited")
                    + (instance.expectedDown ? ", down on purpose" : "") + ", " + instance.unexpectedExits
                    + " exit(s) on its own; its last warnings: "
                    + String.join(" | ", warnings.subList(Math.max(0, warnings.size() - 3), warnings.size())));
        }
        return String.join("; ", parts);
    }

    private static String lastLine(String tail) {
        String[] lines = tail.split("\n");
        return lines[lines.length - 1];
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    @Override
    public void close() {
        instances.forEach(i -> i.process.stop());
    }
}
