package io.cdcenricher.ops;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Apicurio Registry 3, the optional schema registry ({@code ops/stack up --with-registry}), run as its distribution
 * runs it: {@code java -jar quarkus-run.jar} in the unpacked folder, on Java 21+. Both of its HTTP listeners are bound
 * to loopback: the REST API and Quarkus' management interface (health, metrics), which otherwise listens on
 * 0.0.0.0:9000. Storage is the distribution's default, an in-memory H2 database: schemas live as long as the process.
 */
public final class ApicurioRegistry extends StackPart {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public ApicurioRegistry(StackSettings settings, StackLayout layout) {
        super("registry", settings, layout);
    }

    @Override
    public String address() {
        return settings.registryUrl();
    }

    /** The v2 REST API, which Apicurio's 2.x serdes and Connect converter speak. */
    public String v2ApiUrl() {
        return address() + "/apis/registry/v2";
    }

    @Override
    public void up(Duration timeout) {
        if (!process().isRunning()) {
            ManagedProcess.requireFreePort(name(), settings.host(), settings.registryPort(), "REGISTRY_PORT");
            ManagedProcess.requireFreePort(name() + " management", settings.host(), settings.registryManagementPort(),
                    "REGISTRY_MANAGEMENT_PORT");
            Path distribution = layout.apicurioRegistry();
            process().start(command(requireJava(), distribution), Map.of(), distribution);
        }
        Readiness.await(process(), timeout, "REST API answers at " + address() + "/apis/registry/v3/system/info",
                this::isHealthy);
    }

    /** The Java 21+ it runs on; fails with how to provide one. {@link Stack#upWithRegistry} asks before starting anything. */
    public Path requireJava() {
        layout.apicurioRegistry();
        return Java21.locate(System.getenv());
    }

    List<String> command(Path java, Path distribution) {
        return List.of(java.toString(),
                "-Xmx512m",
                "-Dquarkus.http.host=" + settings.host(),
                "-Dquarkus.http.port=" + settings.registryPort(),
                "-Dquarkus.management.host=" + settings.host(),
                "-Dquarkus.management.port=" + settings.registryManagementPort(),
                // The defaults, spelled out: an in-memory H2 database, nothing written to disk.
                "-Dapicurio.storage.kind=sql",
                "-Dapicurio.storage.sql.kind=h2",
                "-jar", distribution.resolve("quarkus-run.jar").toString());
    }

    @Override
    public boolean isHealthy() {
        if (!ManagedProcess.isListening(settings.host(), settings.registryPort())) {
            return false;
        }
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(address() + "/apis/registry/v3/system/info"))
                    .timeout(Duration.ofSeconds(3)).GET().build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    protected String notRunningState() {
        return "not started (optional: ops/stack up --with-registry)";
    }
}
