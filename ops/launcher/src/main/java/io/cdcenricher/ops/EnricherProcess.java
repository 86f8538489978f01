package io.cdcenricher.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The enricher jar run as its own process, the way a user runs it: {@code java -jar enricher.jar --config FILE}.
 * Whether it serves is asked of its {@code /ready} endpoint, never read from its log: {@code /ready} also waits for
 * the start-up gates of partitioned tables, which no single log line covers.
 */
public final class EnricherProcess {

    /** Its name in the run directory: {@code enricher.pid}, {@code enricher.log}. */
    static final String NAME = "enricher";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HTTP_PORT = "--http-port";
    /** Fine enough for the perf harness, which times the start with {@link #awaitReady}. */
    private static final Duration READY_INTERVAL = Duration.ofMillis(20);

    private final StackLayout layout;
    private final ManagedProcess process;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** The loopback port of the operations endpoints of the last start; -1 when unknown. */
    private volatile int httpPort = -1;

    public EnricherProcess(StackLayout layout, Path runDir) {
        this.layout = layout;
        this.process = new ManagedProcess(NAME, runDir);
    }

    public ManagedProcess process() {
        return process;
    }

    /** The loopback port of the operations endpoints ({@code /metrics}, {@code /ready}) of the last start; -1 when unknown. */
    public int httpPort() {
        return httpPort;
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

    /** Starts it with its operations endpoints on a free loopback port, which {@link #awaitReady} asks. */
    public void start(Path config) {
        start(config, List.of(HTTP_PORT, Integer.toString(StackSettings.freePorts(1)[0])));
    }

    /**
     * Starts {@code java -jar enricher.jar run --config FILE ARGS...}; {@link #awaitReady} works when {@code ARGS}
     * name a {@code --http-port} other than 0 (the endpoints listen on 127.0.0.1 unless {@code --http-host} moves
     * them).
     */
    public void start(Path config, List<String> extraArgs) {
        if (process.isRunning()) {
            process.stop(Duration.ofSeconds(20));
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-jar", jar().toString(), "run", "--config", config.toString()));
        command.addAll(extraArgs);
        httpPort = httpPortOf(extraArgs);
        try {
            Files.createDirectories(config.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        process.start(command, Map.of(), layout.repoRoot());
    }

    /**
     * Waits until {@code GET /ready} answers 200 with {@code "ready":true}; fails at once, with the end of its log,
     * when the process exits first.
     */
    public void awaitReady(Duration timeout) {
        if (httpPort <= 0) {
            throw new IllegalStateException("the enricher was started without a known " + HTTP_PORT
                    + ", so /ready cannot be asked");
        }
        Readiness.await(process, timeout, READY_INTERVAL, "GET /ready answers {\"ready\":true}", this::isReady);
    }

    /** Whether {@code /ready} answers 200 with {@code "ready":true}; false while nothing answers yet. */
    public boolean isReady() {
        if (httpPort <= 0) {
            return false;
        }
        try {
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + httpPort + "/ready")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            return response.statusCode() == 200 && readyIn(response.body());
        } catch (IOException e) {
            return false; // not listening yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while asking the enricher's /ready");
        }
    }

    static boolean readyIn(byte[] body) {
        try {
            JsonNode answer = JSON.readTree(body);
            return answer != null && answer.path("ready").asBoolean(false);
        } catch (IOException e) {
            return false;
        }
    }

    static int httpPortOf(List<String> args) {
        int at = args.lastIndexOf(HTTP_PORT);
        if (at < 0 || at + 1 >= args.size()) {
            return -1;
        }
        try {
            return Integer.parseInt(args.get(at + 1).trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public boolean stop() {
        return process.stop(Duration.ofSeconds(30));
    }
}
