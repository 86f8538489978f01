package io.cdcenricher.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The enricher jar run as its own process, the way a user runs it: {@code java -jar enricher.jar --config FILE}. */
public final class EnricherProcess {

    private final StackLayout layout;
    private final ManagedProcess process;

    public EnricherProcess(StackLayout layout, Path runDir) {
        this.layout = layout;
        this.process = new ManagedProcess("enricher", runDir);
    }

    public ManagedProcess process() {
        return process;
    }

    public Path jar() {
        Path target = layout.repoRoot().resolve("enricher/target");
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(f -> f.getFileName().toString().matches("enricher-[0-9][^/]*\\.jar"))
                    .filter(f -> !f.getFileName().toString().contains("original"))
                    .findFirst()
                    .orElseThrow(() -> new StackException("no enricher jar in " + target + ": run 'mvn -q install -DskipTests'"));
        } catch (IOException e) {
            throw new StackException("no enricher jar in " + target + ": run 'mvn -q install -DskipTests'", e);
        }
    }

    /**
     * A layout whose {@code enricher/target} holds a copy of this checkout's enricher jar, made in {@code dir}: a
     * long run (perf, faults) starts its processes from the copy, so that a rebuild of enricher/target during the run
     * cannot change or break the jar under it.
     */
    public static StackLayout withCopiedJar(StackLayout layout, Path dir) {
        Path jar = new EnricherProcess(layout, dir).jar();
        Path shadow = dir.resolve("enricher-dist");
        try {
            Files.createDirectories(shadow.resolve("enricher/target"));
            Files.copy(jar, shadow.resolve("enricher/target").resolve(jar.getFileName()),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new StackLayout(shadow);
    }

    /** Starts it with its operations endpoints on any free port (see its log for which). */
    public void start(Path config) {
        start(config, List.of("--http-port", "0"));
    }

    /** Starts {@code java -jar enricher.jar run --config FILE ARGS...}. */
    public void start(Path config, List<String> extraArgs) {
        if (process.isRunning()) {
            process.stop(Duration.ofSeconds(20));
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-jar", jar().toString(), "run", "--config", config.toString()));
        command.addAll(extraArgs);
        try {
            Files.createDirectories(config.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        process.start(command, Map.of(), layout.repoRoot());
    }

    public boolean stop() {
        return process.stop(Duration.ofSeconds(30));
    }
}
