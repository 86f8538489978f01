package io.cdcenricher.ops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs Prometheus's {@code promtool} (Debian package {@code prometheus}, installed by {@code .ci/run}) from the
 * repository root. A machine without it fails the test that asks, naming the package: the rules are never left
 * unchecked.
 */
final class PromtoolRunner {

    static final Path PROMTOOL = Path.of("/usr/bin/promtool");

    /** The exit code and everything promtool printed. */
    record Result(int exitCode, String output) {
    }

    private PromtoolRunner() {
    }

    /** The promtool binary: /usr/bin/promtool, else the first on PATH; fails the test when there is none. */
    static Path promtool() {
        if (Files.isExecutable(PROMTOOL)) {
            return PROMTOOL;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "promtool");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("promtool is not installed (needed to check ops/prometheus): "
                + "sudo apt-get install -y prometheus (.ci/run installs it in CI)");
    }

    static Result run(Path workingDir, String... args) {
        List<String> command = new ArrayList<>();
        command.add(promtool().toString());
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).directory(workingDir.toFile()).redirectErrorStream(true).start();
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish within 120 s");
            }
            return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("cannot run " + String.join(" ", command) + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + String.join(" ", command), e);
        }
    }
}
