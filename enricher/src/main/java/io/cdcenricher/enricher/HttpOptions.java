package io.cdcenricher.enricher;

/**
 * Where the operations endpoints ({@code /health}, {@code /ready}, {@code /metrics}, {@code /tables}) listen; a
 * negative port turns them off, port 0 takes any free port.
 */
record HttpOptions(String host, int port) {

    /** The default host, as text for picocli's {@code defaultValue}. */
    static final String DEFAULT_HOST = "127.0.0.1";
    /** The default port, as text for picocli's {@code defaultValue}. */
    static final String DEFAULT_PORT = "8080";

    boolean enabled() {
        return port >= 0;
    }
}
