package io.cdcenricher.ops;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The few Kafka Connect REST calls the stack needs: plugins, idempotent config PUT, configs, status, committed
 * offsets, active topics, restart, pause/resume, delete.
 */
public final class ConnectRestClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public ConnectRestClient(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    public boolean hasPlugin(String simpleClassName) {
        try {
            HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/connector-plugins")).GET());
            return response.statusCode() == 200 && response.body().contains(simpleClassName);
        } catch (StackException e) {
            return false;
        }
    }

    /** Whether the worker loaded this converter class ({@code GET /connector-plugins?connectorsOnly=false}). */
    public boolean hasConverter(String className) {
        try {
            HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/connector-plugins?connectorsOnly=false")).GET());
            if (response.statusCode() != 200) {
                return false;
            }
            for (JsonNode plugin : readTree(response.body())) {
                if (className.equals(plugin.path("class").asText()) && "converter".equals(plugin.path("type").asText())) {
                    return true;
                }
            }
            return false;
        } catch (StackException e) {
            return false;
        }
    }

    /** Creates or updates the connector: {@code PUT /connectors/{name}/config} is idempotent, POST is not. */
    public void putConfig(String name, Map<String, String> config) {
        String body;
        try {
            body = JSON.writeValueAsString(config);
        } catch (IOException e) {
            throw new StackException("cannot serialize the config of " + name, e);
        }
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/connectors/" + name + "/config"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)));
        if (response.statusCode() != 200 && response.statusCode() != 201) {
            throw new StackException("Connect rejected the config of " + name + " (HTTP " + response.statusCode()
                    + "): " + errorMessage(response.body()));
        }
    }

    /** The status document, or empty when the connector does not exist. */
    public java.util.Optional<ConnectorStatus> status(String name) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/connectors/" + name + "/status")).GET());
        if (response.statusCode() == 404) {
            return java.util.Optional.empty();
        }
        if (response.statusCode() != 200) {
            throw new StackException("status of " + name + ": HTTP " + response.statusCode() + " "
                    + errorMessage(response.body()));
        }
        return java.util.Optional.of(ConnectorStatus.parse(readTree(response.body())));
    }

    /**
     * Restarts the connector's failed instances and tasks ({@code POST /connectors/{name}/restart?includeTasks=true
     * &onlyFailed=true}, KIP-745): what an operator does after a failure that the connector does not retry itself.
     */
    public void restartFailed(String name) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(
                uri("/connectors/" + name + "/restart?includeTasks=true&onlyFailed=true"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        if (response.statusCode() >= 300) {
            throw new StackException("restarting " + name + ": HTTP " + response.statusCode() + " "
                    + errorMessage(response.body()));
        }
    }

    /**
     * Restarts the connector and all its tasks, running or not ({@code POST /connectors/{name}/restart?includeTasks=true}):
     * for a task that is RUNNING but stuck, which {@link #restartFailed} leaves alone.
     */
    public void restart(String name) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(
                uri("/connectors/" + name + "/restart?includeTasks=true&onlyFailed=false"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        if (response.statusCode() >= 300) {
            throw new StackException("restarting " + name + ": HTTP " + response.statusCode() + " "
                    + errorMessage(response.body()));
        }
    }

    /** Deletes the connector; deleting one that does not exist is not an error. */
    public boolean delete(String name) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/connectors/" + name)).DELETE());
        if (response.statusCode() == 404) {
            return false;
        }
        if (response.statusCode() >= 300) {
            throw new StackException("deleting " + name + ": HTTP " + response.statusCode() + " "
                    + errorMessage(response.body()));
        }
        return true;
    }

    /**
     * The config of every registered connector, by name, in one call ({@code GET /connectors?expand=info}). Values are
     * as stored: config-provider references such as {@code ${env:...}} are not resolved.
     */
    public Map<String, Map<String, String>> connectorConfigs() {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/connectors?expand=info")).GET());
        if (response.statusCode() != 200) {
            throw new StackException("listing connectors: HTTP " + response.statusCode() + " " + errorMessage(response.body()));
        }
        Map<String, Map<String, String>> configs = new java.util.TreeMap<>();
        readTree(response.body()).fields().forEachRemaining(e ->
                configs.put(e.getKey(), stringMap(e.getValue().path("info").path("config"))));
        return configs;
    }

    /** The stored config of one connector, or empty when it is not registered. */
    public java.util.Optional<Map<String, String>> config(String name) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/connectors/" + name + "/config")).GET());
        if (response.statusCode() == 404) {
            return java.util.Optional.empty();
        }
        if (response.statusCode() != 200) {
            throw new StackException("config of " + name + ": HTTP " + response.statusCode() + " "
                    + errorMessage(response.body()));
        }
        return java.util.Optional.of(stringMap(readTree(response.body())));
    }

    /**
     * The source offsets Connect has committed for the connector ({@code GET /connectors/{name}/offsets}, KIP-875,
     * Connect 3.5+): the {@code offsets} array, one {@code {partition, offset}} entry per source partition, empty
     * when the connector never committed one; empty Optional when it is not registered.
     */
    public java.util.Optional<JsonNode> offsets(String name) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/connectors/" + name + "/offsets")).GET());
        if (response.statusCode() == 404) {
            return java.util.Optional.empty();
        }
        if (response.statusCode() != 200) {
            throw new StackException("offsets of " + name + ": HTTP " + response.statusCode() + " "
                    + errorMessage(response.body()));
        }
        return java.util.Optional.of(readTree(response.body()).path("offsets"));
    }

    /** The topics the connector has written to since it was created ({@code GET /connectors/{name}/topics}, KIP-558). */
    public java.util.List<String> topics(String name) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/connectors/" + name + "/topics")).GET());
        if (response.statusCode() == 404) {
            return java.util.List.of();
        }
        if (response.statusCode() != 200) {
            throw new StackException("topics of " + name + ": HTTP " + response.statusCode() + " "
                    + errorMessage(response.body()));
        }
        java.util.List<String> topics = new java.util.ArrayList<>();
        readTree(response.body()).path(name).path("topics").forEach(t -> topics.add(t.asText()));
        return topics;
    }

    /** Pauses the connector and its tasks ({@code PUT /connectors/{name}/pause}); they keep their offsets. */
    public void pause(String name) {
        stateChange(name, "pause");
    }

    /** Resumes a paused connector ({@code PUT /connectors/{name}/resume}). */
    public void resume(String name) {
        stateChange(name, "resume");
    }

    private void stateChange(String name, String action) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/connectors/" + name + "/" + action))
                .PUT(HttpRequest.BodyPublishers.noBody()));
        if (response.statusCode() >= 300) {
            throw new StackException(action + " " + name + ": HTTP " + response.statusCode() + " "
                    + errorMessage(response.body()));
        }
    }

    public java.util.List<String> connectors() {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/connectors")).GET());
        JsonNode names = readTree(response.body());
        java.util.List<String> result = new java.util.ArrayList<>();
        names.forEach(n -> result.add(n.asText()));
        return result;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new StackException("Kafka Connect is not reachable at " + baseUrl + " (" + e.getClass().getSimpleName()
                    + "); is the stack up? (ops/stack status)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while calling Kafka Connect", e);
        }
    }

    private URI uri(String path) {
        return URI.create(baseUrl + path);
    }

    private static JsonNode readTree(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new StackException("Kafka Connect answered with something that is not JSON: " + body, e);
        }
    }

    private static Map<String, String> stringMap(JsonNode object) {
        Map<String, String> map = new java.util.LinkedHashMap<>();
        object.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
        return map;
    }

    private static String errorMessage(String body) {
        try {
            JsonNode node = JSON.readTree(body);
            return node.has("message") ? node.get("message").asText() : body;
        } catch (IOException e) {
            return body;
        }
    }
}
