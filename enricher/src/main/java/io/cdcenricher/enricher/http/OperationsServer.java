package io.cdcenricher.enricher.http;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The enricher's operations endpoints on the JDK's HTTP server: {@code /health} (liveness, and whether each
 * join's capture is current: {@link Health}), {@code /ready}
 * (serving: RUNNING and every table loaded), {@code /metrics} (Prometheus text), {@code /tables/{join}/{key}}
 * (the reference row, fetched from the instance that holds it when a partitioned table lives elsewhere), and the
 * status page for people: {@code /} ({@link StatusPage}) and the {@code /status.json} it refreshes from
 * ({@link StatusSnapshot}).
 * It runs on its own small thread pool, never on a stream thread.
 */
public final class OperationsServer implements AutoCloseable {

    private static final String JSON = "application/json";
    private static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";
    private static final ObjectMapper JSON_WRITER = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
        Thread thread = new Thread(r, "enricher-http");
        thread.setDaemon(true);
        return thread;
    });
    private final HttpClient forwarder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /**
     * @param health  DOWN once the application has failed or stopped; DEGRADED while a join's capture lags
     * @param ready   true while the application serves: RUNNING and its tables loaded
     * @param metrics the Prometheus exposition text
     * @param tables  reference row lookups
     * @param status  the status page's numbers, gathered on each request
     */
    public OperationsServer(InetSocketAddress address, Supplier<Health> health, Supplier<String> readiness,
                            BooleanSupplier ready, Supplier<String> metrics, TableQueries tables,
                            Supplier<StatusSnapshot> status) {
        StatusPage page = StatusPage.load();
        try {
            server = HttpServer.create(address, 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + address + " for the operations endpoints", e);
        }
        server.setExecutor(executor);
        server.createContext("/health", exchange -> {
            Health verdict = health.get();
            respond(exchange, verdict.status() == Health.Status.DOWN ? 503 : 200, verdict);
        });
        server.createContext("/ready", exchange -> {
            boolean up = ready.getAsBoolean();
            respond(exchange, up ? 200 : 503, object().put("ready", up).put("state", readiness.get()));
        });
        server.createContext("/metrics", exchange -> respond(exchange, 200, PROMETHEUS, metrics.get()));
        server.createContext("/tables/", exchange -> tables(exchange, tables));
        server.createContext("/status.json", exchange -> {
            // Each answer is of one moment: a cached copy would show old numbers as current.
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            StatusSnapshot snapshot;
            try {
                snapshot = status.get();
            } catch (RuntimeException e) {
                // A client closing under the collector must not leave the page without an answer.
                respond(exchange, 503, unavailable(e.getClass().getSimpleName()));
                return;
            }
            respond(exchange, 200, snapshot);
        });
        // "/" is the context of every path no other context claims: only "/" itself is the page.
        server.createContext("/", exchange -> {
            if (!exchange.getRequestURI().getRawPath().equals("/")) {
                respond(exchange, 404, object().put("error", "no such endpoint: use / /status.json /health /ready "
                        + "/metrics /tables/{join}/{key}"));
                return;
            }
            exchange.getResponseHeaders().set("Content-Security-Policy", StatusPage.CONTENT_SECURITY_POLICY);
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            respond(exchange, 200, StatusPage.CONTENT_TYPE, page.html());
        });
    }

    public OperationsServer start() {
        server.start();
        return this;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void tables(HttpExchange exchange, TableQueries tables) throws IOException {
        String[] parts = exchange.getRequestURI().getRawPath().substring("/tables/".length()).split("/", -1);
        if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
            respond(exchange, 400, object().put("error", "use /tables/{join}/{key}"));
            return;
        }
        String join = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
        String key = URLDecoder.decode(parts[1], StandardCharsets.UTF_8);
        TableAnswer row;
        try {
            row = tables.lookup(join, key);
        } catch (RuntimeException e) {
            row = new TableAnswer.Unavailable(e.getClass().getSimpleName());
        }
        ObjectNode answer = object().put("join", join).put("key", key);
        if (row instanceof TableAnswer.Found found) {
            // The stored row as it is: parsing it again could change how its numbers are written.
            answer.put("status", "found").putRawValue("row", new RawValue(new String(found.json(), StandardCharsets.UTF_8)));
            respond(exchange, 200, answer);
        } else if (row instanceof TableAnswer.Deleted) {
            respond(exchange, 404, answer.put("status", "deleted"));
        } else if (row instanceof TableAnswer.Missing) {
            respond(exchange, 404, answer.put("status", "missing"));
        } else if (row instanceof TableAnswer.UnknownJoin unknown) {
            respond(exchange, 404, object().put("error", "no join named '" + unknown.join() + "'"));
        } else if (row instanceof TableAnswer.Elsewhere elsewhere) {
            forward(exchange, elsewhere.hostAndPort());
        } else {
            String reason = row instanceof TableAnswer.Unavailable unavailable ? unavailable.reason() : "unknown";
            respond(exchange, 503, answer.put("status", "unavailable").put("reason", reason));
        }
    }

    /** Answers with what the instance that holds the key says; a request forwarded once is not forwarded again. */
    private void forward(HttpExchange exchange, String hostAndPort) throws IOException {
        if (exchange.getRequestHeaders().containsKey("X-Enricher-Forwarded")) {
            respond(exchange, 503, unavailable("metadata in flux"));
            return;
        }
        URI target = URI.create("http://" + hostAndPort + exchange.getRequestURI().getRawPath());
        try {
            HttpResponse<String> response = forwarder.send(HttpRequest.newBuilder(target)
                    .header("X-Enricher-Forwarded", "1").timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            respond(exchange, response.statusCode(), JSON, response.body());
        } catch (IOException e) {
            respond(exchange, 502, unavailable("instance " + hostAndPort + " did not answer"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            respond(exchange, 503, unavailable("interrupted"));
        }
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        respond(exchange, status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void respond(HttpExchange exchange, int status, String contentType, byte[] bytes)
            throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static ObjectNode object() {
        return JSON_WRITER.createObjectNode();
    }

    private static ObjectNode unavailable(String reason) {
        return object().put("status", "unavailable").put("reason", reason);
    }

    private static void respond(HttpExchange exchange, int status, Object body) throws IOException {
        String text;
        try {
            text = JSON_WRITER.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IOException("cannot write the answer as JSON", e);
        }
        respond(exchange, status, JSON, text);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
