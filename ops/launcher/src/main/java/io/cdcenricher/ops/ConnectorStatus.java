package io.cdcenricher.ops;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/** What {@code GET /connectors/{name}/status} says: a connector is up only when it and every task are RUNNING. */
public record ConnectorStatus(String name, String connectorState, String connectorTrace, List<Task> tasks) {

    /**
     * One task's state, when it FAILED its stack trace, and the worker that runs it ({@code host:port}, empty when
     * Connect did not say).
     */
    public record Task(int id, String state, String trace, String workerId) {

        public Task(int id, String state, String trace) {
            this(id, state, trace, "");
        }
    }

    static ConnectorStatus parse(JsonNode node) {
        List<Task> tasks = new ArrayList<>();
        node.path("tasks").forEach(t -> tasks.add(new Task(t.path("id").asInt(), t.path("state").asText(),
                t.path("trace").asText(""), t.path("worker_id").asText(""))));
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

    /** Whether the connector was paused or stopped on purpose ({@code PUT .../pause} or {@code .../stop}). */
    public boolean isPausedOrStopped() {
        return "PAUSED".equals(connectorState) || "STOPPED".equals(connectorState);
    }

    /**
     * One line per FAILED part ({@code task 0 FAILED: <cause>}): the deepest {@code Caused by:} of its trace, which
     * names what really went wrong (the top of a Debezium trace is a generic wrapper), else the trace's first line.
     */
    public List<String> failureCauses() {
        List<String> lines = new ArrayList<>();
        if ("FAILED".equals(connectorState)) {
            lines.add("connector FAILED: " + cause(connectorTrace));
        }
        tasks.stream().filter(t -> "FAILED".equals(t.state()))
                .forEach(t -> lines.add("task " + t.id() + " FAILED: " + cause(t.trace())));
        return lines;
    }

    /** The root cause of a Java stack trace as one line of at most 300 characters. */
    static String cause(String trace) {
        if (trace == null || trace.isBlank()) {
            return "(Connect gave no trace)";
        }
        String cause = trace.lines().findFirst().orElse("").trim();
        for (String line : trace.lines().toList()) {
            if (line.startsWith("Caused by: ")) {
                cause = line.substring("Caused by: ".length()).trim();
            }
        }
        return cause.length() <= 300 ? cause : cause.substring(0, 297) + "...";
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
