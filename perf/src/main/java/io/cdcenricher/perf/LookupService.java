package io.cdcenricher.perf;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The RPC baseline's lookup service: {@code GET /customers/{id}} answers the customer row as JSON, read from MariaDB
 * through JDBC with a small connection pool, after an optional injected latency (a stand-in for the network and the
 * service's own work). The JDK's HttpServer on loopback, in the harness JVM.
 */
final class LookupService implements AutoCloseable {

    static final int THREADS = 4;

    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        // Without TCP_NODELAY the JDK server's separate header and body writes meet delayed ACKs: 40 ms per request.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final BlockingQueue<Connection> pool;
    private final List<Connection> connections = new ArrayList<>();
    private final long latencyNanos;

    interface ConnectionFactory {
        Connection open() throws SQLException;
    }

    LookupService(ConnectionFactory connections, int latencyMillis) {
        this.latencyNanos = TimeUnit.MILLISECONDS.toNanos(latencyMillis);
        this.pool = new ArrayBlockingQueue<>(THREADS);
        try {
            for (int i = 0; i < THREADS; i++) {
                Connection connection = connections.open();
                this.connections.add(connection);
                pool.add(connection);
            }
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
        } catch (SQLException e) {
            close();
            throw new IllegalStateException("lookup service: cannot connect to MariaDB: " + e.getMessage(), e);
        } catch (IOException e) {
            close();
            throw new UncheckedIOException(e);
        }
        executor = Executors.newFixedThreadPool(THREADS);
        server.setExecutor(executor);
        server.createContext("/customers/", this::handle);
        server.start();
    }

    URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (latencyNanos > 0) {
                long until = System.nanoTime() + latencyNanos;
                while (System.nanoTime() < until) {
                    LockSupport.parkNanos(until - System.nanoTime());
                }
            }
            String id = exchange.getRequestURI().getPath().substring("/customers/".length());
            byte[] body = lookup(id);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private byte[] lookup(String id) throws IOException {
        int key;
        try {
            key = Integer.parseInt(id);
        } catch (NumberFormatException e) {
            return null;
        }
        Connection connection;
        try {
            connection = pool.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        try (PreparedStatement st = connection.prepareStatement(
                "SELECT name, tier, email, city, rev FROM " + ReferenceData.DATABASE + ".customers WHERE id = ?")) {
            st.setInt(1, key);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                ObjectNode row = JSON.createObjectNode();
                for (String field : ReferenceData.FIELDS) {
                    row.put(field, rs.getString(field));
                }
                return JSON.writeValueAsBytes(row);
            }
        } catch (SQLException e) {
            throw new IOException(e);
        } finally {
            pool.add(connection);
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
        }
        if (executor != null) {
            executor.shutdownNow();
        }
        for (Connection connection : connections) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
    }
}
