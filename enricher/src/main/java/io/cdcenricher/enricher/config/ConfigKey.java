package io.cdcenricher.enricher.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * One key of the YAML configuration, declared once: its name and section (hence its path, e.g.
 * {@code joins[].maxCaptureLag}), its type, its default, whether it is required, the checks on its value and a
 * one-line description. The loader reads values through it, the unknown-key check lists it, and the key
 * reference ({@link ConfigReference}: the README table, {@code validate --help}) is generated from it.
 *
 * <p>Declared in the manner of Kafka's {@code ConfigDef} and Debezium's {@code Field}, one class per section:
 * <pre>{@code
 * public static final ConfigKey<Duration> MAX_WAIT = SECTION.key("maxWait", ValueType.DURATION)
 *         .defaultValue(Duration.ofSeconds(30))
 *         .doc("with `onMiss: wait`: how long an event waits, wall-clock from its arrival")
 *         .define();
 * }</pre>
 *
 * <p>Rules between keys (a bound that needs another key, a default taken from another key) stay in
 * {@link EnricherConfigLoader}, which names the keys through these declarations.
 *
 * @param <T> the type of the value read
 */
public final class ConfigKey<T> {

    private final ConfigSection section;
    private final String name;
    private final ValueType<T> type;
    private final T defaultValue;
    private final String defaultDescription;
    private final boolean required;
    private final String requiredHint;
    private final List<Check<T>> checks;
    private final String doc;

    private ConfigKey(Builder<T> builder) {
        this.section = builder.section;
        this.name = builder.name;
        this.type = builder.type;
        this.defaultValue = builder.defaultValue;
        this.defaultDescription = builder.defaultDescription;
        this.required = builder.required;
        this.requiredHint = builder.requiredHint;
        this.checks = List.copyOf(builder.checks);
        this.doc = builder.doc;
    }

    /** The key as written in its mapping, e.g. {@code maxCaptureLag}. */
    public String name() {
        return name;
    }

    /** The key's path in the reference, e.g. {@code joins[].maxCaptureLag}. */
    public String path() {
        return section.pathOf(name);
    }

    public ConfigSection section() {
        return section;
    }

    public ValueType<T> type() {
        return type;
    }

    /** The value when the key is absent; {@code null} for no value (or one that depends on other keys). */
    public T defaultValue() {
        return defaultValue;
    }

    public boolean isRequired() {
        return required;
    }

    /** What the key means, in one line (Markdown). */
    public String doc() {
        return doc;
    }

    /** How the reference shows the default: {@code required}, the default as YAML, or what the default is. */
    public String defaultDescription() {
        if (required) {
            return "required";
        }
        if (defaultDescription != null) {
            return defaultDescription;
        }
        return defaultValue == null ? "none" : "`" + type.write(defaultValue) + "`";
    }

    /** This key's path in the mapping found at {@code mappingPath}, e.g. {@code joins[1].maxWait}. */
    public String pathIn(String mappingPath) {
        return mappingPath.isEmpty() ? name : mappingPath + "." + name;
    }

    /** This key's path in item {@code index} of a list section, e.g. {@code joins[1].topic}. */
    public String pathAt(int index) {
        return pathIn(section.itemPath(index));
    }

    /** The raw YAML value of this key in {@code map}; {@code null} when absent. */
    JsonNode nodeIn(ObjectNode map) {
        return map.get(name);
    }

    /** Whether {@code map} gives this key a value ({@code key: ~} gives none). */
    boolean isSetIn(ObjectNode map) {
        JsonNode node = map.get(name);
        return node != null && !node.isNull();
    }

    /**
     * This key's value in the mapping {@code map} found at {@code mappingPath}: the default when absent, or when
     * its value cannot be read (that is reported); {@code null} when a required key is absent or unreadable (also
     * reported). Failed checks are reported and the value is kept.
     */
    T read(ObjectNode map, String mappingPath, Problems problems) {
        return readOr(map, mappingPath, problems, defaultValue);
    }

    /** {@link #read}, with a default that depends on other keys (e.g. {@code appliesTo}: the event types). */
    T readOr(ObjectNode map, String mappingPath, Problems problems, T fallback) {
        String path = pathIn(mappingPath);
        if (!isSetIn(map)) {
            if (required) {
                problems.add(path, requiredHint == null ? "required" : "required (" + requiredHint + ")");
                return null;
            }
            return fallback;
        }
        T value = type.read(map.get(name), path, problems);
        if (value == null) {
            return required ? null : fallback;
        }
        for (Check<T> check : checks) {
            check.problemsWith(value).forEach(message -> problems.add(path, message));
        }
        return value;
    }

    @Override
    public String toString() {
        return path();
    }

    /** Declares a key step by step; {@link #define()} adds it to its section. */
    public static final class Builder<T> {
        private final ConfigSection section;
        private final String name;
        private final ValueType<T> type;
        private T defaultValue;
        private String defaultDescription;
        private boolean required;
        private String requiredHint;
        private final List<Check<T>> checks = new ArrayList<>();
        private String doc;

        Builder(ConfigSection section, String name, ValueType<T> type) {
            this.section = section;
            this.name = name;
            this.type = type;
        }

        /** The key must be present: reported as {@code required}. */
        public Builder<T> required() {
            required = true;
            return this;
        }

        /** The key must be present: reported as {@code required (hint)}. */
        public Builder<T> required(String hint) {
            requiredHint = hint;
            return required();
        }

        public Builder<T> defaultValue(T value) {
            defaultValue = value;
            return this;
        }

        /** What the reference shows as the default when it is not a plain value (e.g. "the join's `name`"). */
        public Builder<T> defaultDescription(String description) {
            defaultDescription = description;
            return this;
        }

        public Builder<T> check(Check<T> check) {
            checks.add(check);
            return this;
        }

        public Builder<T> doc(String text) {
            doc = text;
            return this;
        }

        /** The declared key, added to its section. */
        public ConfigKey<T> define() {
            if (doc == null || doc.isBlank()) {
                throw new IllegalStateException("configuration key " + section.pathOf(name) + " has no doc");
            }
            ConfigKey<T> key = new ConfigKey<>(this);
            section.add(key);
            return key;
        }
    }
}
