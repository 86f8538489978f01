package io.cdcenricher.enricher.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The problems found while reading one configuration. Readers add to it and go on, so that one start-up attempt
 * reports every problem, not just the first.
 */
final class Problems {

    private final List<InvalidConfigException.Problem> found = new ArrayList<>();

    void add(String path, String message) {
        found.add(new InvalidConfigException.Problem(path, message));
    }

    boolean isEmpty() {
        return found.isEmpty();
    }

    /** Throws every problem found, if there is one. */
    void throwIfAny() {
        if (!found.isEmpty()) {
            throw new InvalidConfigException(found);
        }
    }
}
