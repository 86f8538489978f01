package io.cdcenricher.enricher.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A rule on one key's value, checked after the value has been read. A failed check is reported under the key's
 * path, but the value is still used: one bad name must not hide the problems of the keys that follow it.
 *
 * @param <T> the value's type
 */
@FunctionalInterface
public interface Check<T> {

    /** What is wrong with the value, one message per problem; empty when it is fine. */
    List<String> problemsWith(T value);

    /** Fails with {@code message} unless the value satisfies {@code rule}. */
    static <T> Check<T> that(Predicate<T> rule, String message) {
        return value -> rule.test(value) ? List.of() : List.of(message);
    }

    /** Fails with {@code message} unless the whole text matches {@code pattern}. */
    static Check<String> matching(Pattern pattern, String message) {
        return that(text -> pattern.matcher(text).matches(), message);
    }

    /** A dotted path into the event such as {@code order.customer.id}: no empty segment. */
    static Check<String> fieldPath() {
        return path -> Arrays.stream(path.split("\\.", -1)).anyMatch(String::isEmpty)
                ? List.of("'" + path + "' is not a dotted field path like 'order.customer.id'") : List.of();
    }

    /** Fails with {@code message} for an empty list. */
    static Check<List<String>> notEmpty(String message) {
        return that(list -> !list.isEmpty(), message);
    }

    /** One problem per repetition of a value ({@code 'a' is listed twice}). */
    static Check<List<String>> noDuplicates() {
        return values -> {
            Set<String> seen = new HashSet<>();
            List<String> problems = new ArrayList<>();
            for (String value : values) {
                if (!seen.add(value)) {
                    problems.add("'" + value + "' is listed twice");
                }
            }
            return problems;
        };
    }
}
