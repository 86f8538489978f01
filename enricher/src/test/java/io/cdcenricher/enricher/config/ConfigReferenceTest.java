package io.cdcenricher.enricher.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The README's key table is the one generated from the declarations. When a key changes, regenerate the table
 * with {@value #REGENERATE}: the test then rewrites the section between the markers instead of failing.
 */
class ConfigReferenceTest {

    static final String BEGIN = "<!-- config-keys:begin -->";
    static final String END = "<!-- config-keys:end -->";
    static final String UPDATE_PROPERTY = "config.reference.update";
    static final String REGENERATE = "mvn -pl enricher -am test -Dtest=ConfigReferenceTest "
            + "-Dsurefire.failIfNoSpecifiedTests=false -D" + UPDATE_PROPERTY + "=true";
    /** Travels with the section, so that whoever edits the README sees where the table comes from. */
    static final String NOTE = "<!-- generated from the *Keys declarations in enricher/src/main/java/io/cdcenricher/"
            + "enricher/config by ConfigReferenceTest; regenerate with: " + REGENERATE + " -->";

    @Test
    void readmeKeyTableIsTheGeneratedOne() throws IOException {
        Path readme = readmeWithKeyTable();
        String text = Files.readString(readme, StandardCharsets.UTF_8);
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END, begin) + END.length();
        String generated = BEGIN + "\n" + NOTE + "\n\n" + ConfigReference.markdownTable() + "\n" + END;

        if (Boolean.getBoolean(UPDATE_PROPERTY)) {
            Files.writeString(readme, text.substring(0, begin) + generated + text.substring(end),
                    StandardCharsets.UTF_8);
            return;
        }
        assertThat(text.substring(begin, end))
                .as("The key table in %s differs from the key declarations (%s). Regenerate it with:%n  %s",
                        readme, "io.cdcenricher.enricher.config.*Keys", REGENERATE)
                .isEqualTo(generated);
    }

    @Test
    void listsEveryDeclaredKeyOnceUnderItsSection() {
        List<ConfigKey<?>> keys = ConfigReference.keys();
        Set<String> paths = new HashSet<>();
        keys.forEach(key -> assertThat(paths.add(key.path())).as("%s listed twice", key).isTrue());

        for (ConfigSection section : ConfigReference.sections()) {
            assertThat(keys).as("keys of section '%s'", section.path()).containsAll(section.keys());
        }
        assertThat(keys).extracting(ConfigKey::path)
                .contains("applicationId", "kafka.session.timeout.ms", "joins[].maxCaptureLag",
                        "joins[].versioned.grace", "waitBuffer.checkInterval", "registry.url", "outputSchema");
        assertThat(ConfigReference.helpLines(80)).allSatisfy(line -> assertThat(line).hasSizeLessThanOrEqualTo(80))
                .filteredOn(line -> line.startsWith("  ") && !line.startsWith("      ")).hasSize(keys.size())
                .anySatisfy(line -> assertThat(line).startsWith("  joins[].maxWait (duration")
                        .contains("default: 30s"));
    }

    @Test
    void wrapsHelpTextBelowItsKey() {
        assertThat(ConfigReference.wrap("one two three four", "  ", "    ", 12))
                .containsExactly("  one two", "    three", "    four");
    }

    /**
     * enricher/README.md when it holds the section (the README is being split per module), else the top-level
     * README.md.
     */
    private static Path readmeWithKeyTable() {
        Path root = repositoryRoot();
        for (Path candidate : List.of(root.resolve("enricher/README.md"), root.resolve("README.md"))) {
            if (Files.isRegularFile(candidate) && read(candidate).contains(BEGIN) && read(candidate).contains(END)) {
                return candidate;
            }
        }
        throw new AssertionError("no section between '" + BEGIN + "' and '" + END + "' in enricher/README.md or "
                + "README.md under " + root);
    }

    /** The first directory up from the working directory that holds pom.xml and enricher/. */
    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("enricher"))) {
                return dir;
            }
        }
        throw new AssertionError("no directory with pom.xml and enricher/ above " + Path.of("").toAbsolutePath());
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
