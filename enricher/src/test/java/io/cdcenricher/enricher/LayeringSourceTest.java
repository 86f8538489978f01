package io.cdcenricher.enricher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What {@link LayeringTest} cannot see: javac inlines compile-time constants, so {@code internals} reading
 * {@code EnricherConfigLoader.STATUS_FIELD} leaves no trace in its class files. The sources still name the class
 * (an import or a qualified name), so the same rules are checked on them for the references a constant can hide.
 */
class LayeringSourceTest {

    private static final Path SOURCES = Path.of("src/main/java/io/cdcenricher/enricher");

    @Test
    void internalsNameNeitherTheConfigLoaderNorTheApplication() {
        assertThat(references(SOURCES.resolve("internals"), Pattern.compile(
                "io\\.cdcenricher\\.enricher\\.(config\\.EnricherConfigLoader|EnricherApplication|EnricherCli"
                        + "|ExitCode|HttpOptions)\\b"))).isEmpty();
    }

    @Test
    void configAndHttpNameNoOtherLayer() {
        Pattern below = Pattern.compile("io\\.cdcenricher\\.enricher\\.(internals|http|avro)\\.");
        assertThat(references(SOURCES.resolve("config"), below)).isEmpty();
        assertThat(references(SOURCES.resolve("http"), Pattern.compile("io\\.cdcenricher\\.enricher\\.internals\\.")))
                .isEmpty();
    }

    /** {@code file: line} for every line under {@code dir} that matches {@code forbidden}. */
    private static List<String> references(Path dir, Pattern forbidden) {
        assertThat(dir).isDirectory();
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(file -> file.toString().endsWith(".java"))
                    .flatMap(file -> lines(file).filter(line -> forbidden.matcher(line).find())
                            .map(line -> dir.relativize(file) + ": " + line.strip()))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Stream<String> lines(Path file) {
        try {
            return Files.readAllLines(file).stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
