package io.cdcenricher.enricher.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A configuration that cannot be run. Carries every problem found, each naming the key by its path
 * ({@code joins[1].foreignKey: required}), so one start-up attempt shows all of them.
 */
public final class InvalidConfigException extends RuntimeException {

    /** One problem: the key path as written in YAML and what is wrong with it. */
    public record Problem(String path, String message) {
        @Override
        public String toString() {
            return path.isEmpty() ? message : path + ": " + message;
        }
    }

    private final List<Problem> problems;

    public InvalidConfigException(List<Problem> problems) {
        super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public InvalidConfigException(String path, String message) {
        this(List.of(new Problem(path, message)));
    }

    public List<Problem> problems() {
        return problems;
    }
}
