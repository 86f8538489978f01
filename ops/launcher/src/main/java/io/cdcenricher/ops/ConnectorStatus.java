package io.cdcenricher.ops;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/** What {@code GET /connectors/{name}/status} says: a connector is up only when it and every task are RUNNING. */
public record ConnectorStatus(String name, String connectorState, String connectorTrace, List<Task> tasks) {

    /** One task's state and, when it FAILED, its stack trace. */
    public record Task(int id, String state, String trace) {
    }

    static ConnectorStatus parse(JsonNode node) {
        List<Task> tasks = new ArrayList<>();
        node.path("tasks").forEach(t -> tasks.add(new Task(t.path("id").asInt(), t.path("state").asText(),
                t.path("trace").asText(""))));
        JsonNode connector = node.path("connector");
        return new ConnectorStatus(node.path("name").asText(), connector.path("state").asText(),
                connector.path("trace").asText(""), List.copyOf(tasks));
    }

    public boolean isRunning() {
        return "RUNNING".equals(connectorState) && !tasks.isEmpty()
                && tasks.stream().allMatch(t -> "RUNNING".equals(t.state()));
    }

    public boolean hasFailed() {
        return "FAILED".equals(connectorState) || tasks.stream().anyMatch(t -> "FAILED".equals(t.state()));
    }

    /** The traces of whatever FAILED, for the person who has to fix it. */
    public String failureTraces() {
        StringBuilder out = new StringBuilder();
        if ("FAILED".equals(connectorState)) {
            out.append("connector FAILED:\n").append(connectorTrace).append('\n');
        }
        tasks.stream().filter(t -> "FAILED".equals(t.state()))
                .forEach(t -> out.append("task ").append(t.id()).append(" FAILED:\n").append(t.trace()).append('\n'));
        return out.toString();
    }

    public String summary() {
        StringBuilder out = new StringBuilder(name + ": connector " + connectorState);
        tasks.forEach(t -> out.append(", task ").append(t.id()).append(' ').append(t.state()));
        if (tasks.isEmpty()) {
            out.append(", no tasks yet");
        }
        return out.toString();
    }
}
