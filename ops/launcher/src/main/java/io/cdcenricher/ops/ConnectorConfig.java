package io.cdcenricher.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A connector file from {@code connectors/}: {@code {"name": ..., "config": {...}}} whose values may hold
 * placeholders {@code {{NAME}}} for what differs per installation (host, port, database, topic prefix). Placeholders
 * are filled before the config is sent; secrets are not placeholders but Connect config-provider references
 * ({@code ${env:...}}), resolved by the worker, so they never travel through the REST API or this tool.
 *
 * <p>One placeholder has a value even when none is given: {@code {{CDC_DATABASE_SERVER_ID}}} is derived from the
 * connector's (filled) name by {@link ServerIds#derive}, so that two connectors made from one file for two databases
 * never share a replica id by accident. A non-blank value in {@code values} (an environment variable or an override) wins.
 */
public record ConnectorConfig(String name, Map<String, String> config) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([A-Z0-9_]+)}}");

    public static ConnectorConfig load(Path file, Map<String, String> values) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new StackException(file + " is not readable JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.path("name").isTextual() || !root.path("config").isObject()) {
            throw new StackException(file + " must be {\"name\": \"...\", \"config\": {...}}");
        }
        String name = fill(root.get("name").asText(), values, file);
        Map<String, String> withServerId = new java.util.HashMap<>(values);
        if (values.getOrDefault(ServerIds.PLACEHOLDER, "").isBlank()) { // an empty variable is an unset one
            withServerId.put(ServerIds.PLACEHOLDER, Long.toString(ServerIds.derive(name)));
        }
        Map<String, String> config = new LinkedHashMap<>();
        root.get("config").fields().forEachRemaining(e -> {
            if (!e.getValue().isValueNode()) {
                throw new StackException(file + ": config." + e.getKey() + " must be a string, number or boolean");
            }
            config.put(e.getKey(), fill(e.getValue().asText(), withServerId, file));
        });
        return new ConnectorConfig(name, Map.copyOf(config));
    }

    private static String fill(String text, Map<String, String> values, Path file) {
        Matcher matcher = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        TreeSet<String> missing = new TreeSet<>();
        while (matcher.find()) {
            String value = values.get(matcher.group(1));
            if (value == null) {
                missing.add(matcher.group(1));
                value = "";
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        if (!missing.isEmpty()) {
            throw new StackException(file + ": no value for " + missing + "; set the environment variable(s)");
        }
        matcher.appendTail(out);
        return out.toString();
    }
}
