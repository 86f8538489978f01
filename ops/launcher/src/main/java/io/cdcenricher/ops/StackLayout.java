package io.cdcenricher.ops;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the stack's binaries live inside a checkout: the Kafka libs assembled by {@code ops/kafka-dist}, the
 * Connect plugin folders assembled by {@code ops/debezium-plugin} and {@code ops/apicurio-converter}, and the Apicurio
 * Registry unpacked by {@code ops/apicurio}. Both are built by Maven; nothing is downloaded
 * at run time.
 */
public record StackLayout(Path repoRoot) {

    /** System property the build sets for tests; the scripts set it too. */
    public static final String REPO_PROPERTY = "cdcenricher.repo";

    /** Finds the checkout from {@value #REPO_PROPERTY}, else by walking up from the working directory. */
    public static StackLayout locate() {
        String configured = System.getProperty(REPO_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return new StackLayout(Path.of(configured).toAbsolutePath().normalize());
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("ops/kafka-dist"))) {
                return new StackLayout(dir);
            }
        }
        throw new StackException("cannot find the cdc-enricher checkout: set -D" + REPO_PROPERTY + "=<path>");
    }

    public Path kafkaLibs() {
        return requireBuilt(repoRoot.resolve("ops/kafka-dist/target/libs"), "ops/kafka-dist");
    }

    public Path connectPluginPath() {
        return requireBuilt(repoRoot.resolve("ops/debezium-plugin/target/plugins"), "ops/debezium-plugin");
    }

    /** The plugin folder with Apicurio's Connect converters (a worker needs plugin.discovery=hybrid_warn for it). */
    public Path apicurioConverterPluginPath() {
        return requireBuilt(repoRoot.resolve("ops/apicurio-converter/target/plugins"), "ops/apicurio-converter");
    }

    /** The unpacked Apicurio Registry distribution (quarkus-run.jar and its lib/ folder). */
    public Path apicurioRegistry() {
        return requireBuilt(repoRoot.resolve("ops/apicurio/target/apicurio"), "ops/apicurio");
    }

    public Path connectorsDir() {
        return repoRoot.resolve("connectors");
    }

    /** The default run directory (data, logs, pid files); git ignores it. */
    public Path defaultRunDir() {
        return repoRoot.resolve(".run");
    }

    private static Path requireBuilt(Path dir, String module) {
        if (!Files.isDirectory(dir)) {
            throw new StackException(dir + " is missing: build it first with "
                    + "'mvn -q -pl " + module + " package' (ops/stack does this for you)");
        }
        return dir;
    }
}
