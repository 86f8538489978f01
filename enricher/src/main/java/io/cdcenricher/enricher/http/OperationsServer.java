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

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The enricher's operations endpoints on the JDK's HTTP server: {@code /health} (liveness), {@code /ready}
 * (serving: RUNNING and every table loaded), {@code /metrics} (Prometheus text) and {@code /tables/{join}/{key}}
 * (the reference row, fetched from the instance that holds it when a partitioned table lives elsewhere).
 * It runs on its own small thread pool, never on a stream thread.
 */
public final class OperationsServer implements AutoCloseable {

    private static final String JSON = "application/json";
    private static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
        Thread thread = new Thread(r, "enricher-http");
        thread.setDaemon(true);
        return thread;
    });
    private final HttpClient forwarder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /**
     * @param alive   false once the application has failed or stopped
     * @param ready   true while the application serves: RUNNING and its tables loaded
     * @param metrics the Prometheus exposition text
     * @param tables  reference row lookups
     */
    public OperationsServer(InetSocketAddress address, BooleanSupplier alive, Supplier<String> readiness,
                            BooleanSupplier ready, Supplier<String> metrics, TableLookup tables) {
        try {
            server = HttpServer.create(address, 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + address + " for the operations endpoints", e);
        }
        server.setExecutor(executor);
        server.createContext("/health", exchange -> {
            boolean up = alive.getAsBoolean();
            respond(exchange, up ? 200 : 503, JSON, up ? "{\"status\":\"UP\"}" : "{\"status\":\"DOWN\"}");
        });
        server.createContext("/ready", exchange -> {
            boolean up = ready.getAsBoolean();
            respond(exchange, up ? 200 : 503, JSON, "{\"ready\":" + up + ",\"state\":\"" + escape(readiness.get()) + "\"}");
        });
        server.createContext("/metrics", exchange -> respond(exchange, 200, PROMETHEUS, metrics.get()));
        server.createContext("/tables/", exchange -> tables(exchange, tables));
    }

    public OperationsServer start() {
        server.start();
        return this;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void tables(HttpExchange exchange, TableLookup tables) throws IOException {
        String[] parts = exchange.getRequestURI().getRawPath().substring("/tables/".length()).split("/", -1);
        if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
            respond(exchange, 400, JSON, "{\"error\":\"use /tables/{join}/{key}\"}");
            return;
        }
        String join = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
        String key = URLDecoder.decode(parts[1], StandardCharsets.UTF_8);
        TableRow row;
        try {
            row = tables.lookup(join, key);
        } catch (RuntimeException e) {
            row = new TableRow.Unavailable(e.getClass().getSimpleName());
        }
        String prefix = "{\"join\":\"" + escape(join) + "\",\"key\":\"" + escape(key) + "\",";
        if (row instanceof TableRow.Found found) {
            respond(exchange, 200, JSON, prefix + "\"status\":\"found\",\"row\":"
                    + new String(found.json(), StandardCharsets.UTF_8) + "}");
        } else if (row instanceof TableRow.Deleted) {
            respond(exchange, 404, JSON, prefix + "\"status\":\"deleted\"}");
        } else if (row instanceof TableRow.Missing) {
            respond(exchange, 404, JSON, prefix + "\"status\":\"missing\"}");
        } else if (row instanceof TableRow.UnknownJoin unknown) {
            respond(exchange, 404, JSON, "{\"error\":\"no join named '" + escape(unknown.join()) + "'\"}");
        } else if (row instanceof TableRow.Elsewhere elsewhere) {
            forward(exchange, elsewhere.hostAndPort());
        } else {
            String reason = row instanceof TableRow.Unavailable unavailable ? unavailable.reason() : "unknown";
            respond(exchange, 503, JSON, prefix + "\"status\":\"unavailable\",\"reason\":\"" + escape(reason) + "\"}");
        }
    }

    /** Answers with what the instance that holds the key says; a request forwarded once is not forwarded again. */
    private void forward(HttpExchange exchange, String hostAndPort) throws IOException {
        if (exchange.getRequestHeaders().containsKey("X-Enricher-Forwarded")) {
            respond(exchange, 503, JSON, "{\"status\":\"unavailable\",\"reason\":\"metadata in flux\"}");
            return;
        }
        URI target = URI.create("http://" + hostAndPort + exchange.getRequestURI().getRawPath());
        try {
            HttpResponse<String> response = forwarder.send(HttpRequest.newBuilder(target)
                    .header("X-Enricher-Forwarded", "1").timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            respond(exchange, response.statusCode(), JSON, response.body());
        } catch (IOException e) {
            respond(exchange, 502, JSON, "{\"status\":\"unavailable\",\"reason\":\"instance " + escape(hostAndPort)
                    + " did not answer\"}");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            respond(exchange, 503, JSON, "{\"status\":\"unavailable\",\"reason\":\"interrupted\"}");
        }
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
