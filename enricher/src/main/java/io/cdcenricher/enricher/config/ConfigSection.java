package io.cdcenricher.enricher.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The keys of one mapping of the configuration (the root, {@code topics}, each item of {@code joins}, ...), in
 * the order they are declared. Keys add themselves when declared ({@link ConfigKey.Builder#define()}), so a key
 * is listed in exactly one place.
 */
public final class ConfigSection {

    private final String path;
    private final ConfigKey<?> parent;
    private final boolean passesOtherKeys;
    private final List<ConfigKey<?>> keys = new ArrayList<>();

    private ConfigSection(String path, ConfigKey<?> parent, boolean passesOtherKeys) {
        this.path = path;
        this.parent = parent;
        this.passesOtherKeys = passesOtherKeys;
    }

    /** The top-level mapping. */
    static ConfigSection root() {
        return new ConfigSection("", null, false);
    }

    /** The mapping that is the value of {@code parent}, e.g. {@code topics}. */
    static ConfigSection of(ConfigKey<?> parent) {
        return new ConfigSection(parent.path(), parent, false);
    }

    /** Each mapping of the list that is the value of {@code parent}, e.g. {@code joins[]}. */
    static ConfigSection itemsOf(ConfigKey<?> parent) {
        return new ConfigSection(parent.path() + "[]", parent, false);
    }

    /**
     * A pass-through mapping such as {@code kafka}: its declared keys are documented (they have a default of the
     * enricher's), any other key is allowed.
     */
    static ConfigSection passThrough(ConfigKey<?> parent) {
        return new ConfigSection(parent.path(), parent, true);
    }

    /** Starts the declaration of a key of this section. */
    <T> ConfigKey.Builder<T> key(String name, ValueType<T> type) {
        return new ConfigKey.Builder<>(this, name, type);
    }

    void add(ConfigKey<?> key) {
        if (keys.stream().anyMatch(known -> known.name().equals(key.name()))) {
            throw new IllegalStateException("configuration key " + key.path() + " is declared twice");
        }
        keys.add(key);
    }

    /** The path of the section as the reference writes it: {@code ""} for the root, {@code joins[]}. */
    public String path() {
        return path;
    }

    /** The key whose value this section is; {@code null} for the root. */
    public ConfigKey<?> parent() {
        return parent;
    }

    /** The declared keys, in declaration order. */
    public List<ConfigKey<?>> keys() {
        return List.copyOf(keys);
    }

    /** Whether keys not declared here are allowed (and passed through). */
    public boolean passesOtherKeys() {
        return passesOtherKeys;
    }

    String pathOf(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    /** The path of item {@code index} of a list section: {@code joins[2]} for {@code joins[]}. */
    String itemPath(int index) {
        if (!path.endsWith("[]")) {
            throw new IllegalStateException(path + " is not a list of mappings");
        }
        return path.substring(0, path.length() - 2) + "[" + index + "]";
    }

    /**
     * Reports every key of {@code map} (found at {@code mappingPath}) that this section does not declare, unless
     * the section passes other keys through.
     */
    void rejectUnknownKeys(ObjectNode map, String mappingPath, Problems problems) {
        if (passesOtherKeys) {
            return;
        }
        Set<String> known = new TreeSet<>();
        keys.forEach(key -> known.add(key.name()));
        for (Iterator<String> it = map.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!known.contains(name)) {
                problems.add(mappingPath.isEmpty() ? name : mappingPath + "." + name,
                        "unknown key (known keys: " + String.join(", ", known) + ")");
            }
        }
    }
}
