package io.cdcenricher.enricher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * The operations endpoints of an enricher jar that an integration test starts: a free loopback port chosen before
 * the start (passed as {@code --http-port}), and GETs against it.
 */
record OperationsEndpoint(int port, HttpClient http) {

    static OperationsEndpoint onFreePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return new OperationsEndpoint(socket.getLocalPort(), HttpClient.newHttpClient());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The jar's arguments that put its endpoints on this port. */
    List<String> args() {
        return List.of("--http-port", Integer.toString(port));
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** The status code, or -1 while nothing answers (the jar is still starting): for polling. */
    int status(String path) {
        try {
            return get(path).statusCode();
        } catch (IOException | InterruptedException e) {
            return -1;
        }
    }
}
