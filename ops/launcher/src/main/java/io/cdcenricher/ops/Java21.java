package io.cdcenricher.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds a Java 21 or newer for the parts that need one (Apicurio Registry 3.x is built for Java 21) while the rest
 * of the stack runs on the Java 17 that runs the launcher. Looks at {@code JAVA21_HOME}, then the running JVM, then
 * the usual Debian/Temurin install folders; reads each candidate's {@code release} file rather than trusting names.
 */
final class Java21 {

    static final String ENV = "JAVA21_HOME";
    private static final int MINIMUM = 21;
    private static final Pattern VERSION = Pattern.compile("^JAVA_VERSION=\"(\\d+)", Pattern.MULTILINE);

    private Java21() {
    }

    /** The {@code java} executable of a Java 21+ installation, or a clear error saying how to provide one. */
    static Path locate(Map<String, String> env) {
        String configured = env.get(ENV);
        if (configured != null && !configured.isBlank()) {
            Path home = Path.of(configured.trim());
            return javaOf(home).filter(java -> featureVersion(home).orElse(0) >= MINIMUM)
                    .orElseThrow(() -> new StackException(ENV + "=" + configured + " is not a Java " + MINIMUM
                            + "+ installation (no bin/java, or its release file names an older version)"));
        }
        List<Path> candidates = new ArrayList<>();
        candidates.add(Path.of(System.getProperty("java.home")));
        candidates.addAll(installedJdks());
        for (Path home : candidates) {
            if (featureVersion(home).orElse(0) >= MINIMUM) {
                Optional<Path> java = javaOf(home);
                if (java.isPresent()) {
                    return java.get();
                }
            }
        }
        throw new StackException("the schema registry (Apicurio Registry 3) needs Java " + MINIMUM + " or newer, and none"
                + " was found in the running JVM or /usr/lib/jvm: install one (e.g. apt-get install temurin-25-jdk)"
                + " or point " + ENV + " at it");
    }

    private static List<Path> installedJdks() {
        Path jvms = Path.of("/usr/lib/jvm");
        List<Path> homes = new ArrayList<>();
        homes.add(jvms.resolve("temurin-25-jdk-amd64"));
        if (Files.isDirectory(jvms)) {
            try (var dirs = Files.list(jvms)) {
                dirs.filter(Files::isDirectory).sorted().forEach(homes::add);
            } catch (IOException e) {
                // fall through with what we have
            }
        }
        return homes;
    }

    private static Optional<Path> javaOf(Path home) {
        Path java = home.resolve("bin/java");
        return Files.isExecutable(java) ? Optional.of(java) : Optional.empty();
    }

    static Optional<Integer> featureVersion(Path home) {
        try {
            Matcher matcher = VERSION.matcher(Files.readString(home.resolve("release")));
            return matcher.find() ? Optional.of(Integer.parseInt(matcher.group(1))) : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }
}
