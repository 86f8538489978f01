package io.cdcenricher.enricher.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The reference of every configuration key, generated from the declarations: the key table of the README
 * ({@link #markdownTable()}, kept current by {@code ConfigReferenceTest}) and the key list of
 * {@code validate --help} ({@link #helpLines(int)}).
 */
public final class ConfigReference {

    /** Every section of the configuration; the reference lists a section's keys right after the key it is under. */
    private static final List<ConfigSection> SECTIONS = List.of(RootKeys.SECTION, KafkaKeys.SECTION,
            TopicsKeys.SECTION, EventKeys.SECTION, JoinKeys.SECTION, VersionedKeys.SECTION, FilterKeys.SECTION,
            WaitBufferKeys.SECTION, RegistryKeys.SECTION);

    private ConfigReference() {
    }

    /** Every section, the root first. */
    public static List<ConfigSection> sections() {
        return SECTIONS;
    }

    /** Every key in reading order: each key followed by the keys of the mapping it holds, if any. */
    public static List<ConfigKey<?>> keys() {
        List<ConfigKey<?>> keys = new ArrayList<>();
        addKeys(RootKeys.SECTION, keys);
        return keys;
    }

    private static void addKeys(ConfigSection section, List<ConfigKey<?>> keys) {
        for (ConfigKey<?> key : section.keys()) {
            keys.add(key);
            SECTIONS.stream().filter(child -> child.parent() == key).forEach(child -> addKeys(child, keys));
        }
    }

    /** The Markdown table of every key: key, type, default, what. */
    public static String markdownTable() {
        StringBuilder table = new StringBuilder("| key | type | default | what |\n|---|---|---|---|\n");
        for (ConfigKey<?> key : keys()) {
            table.append("| `").append(key.path()).append("` | ").append(cell(key.type().description()))
                    .append(" | ").append(cell(key.defaultDescription())).append(" | ").append(cell(key.doc()))
                    .append(" |\n");
        }
        return table.toString();
    }

    /**
     * The keys for a terminal {@code width} columns wide: per key, its path with type and default, then what it
     * means, indented below it; Markdown quotes removed.
     */
    public static List<String> helpLines(int width) {
        List<String> lines = new ArrayList<>();
        for (ConfigKey<?> key : keys()) {
            lines.addAll(wrap(plain(key.path() + " (" + key.type().description() + "; " + defaultOrRequired(key)
                    + ")"), "  ", "      ", width));
            lines.addAll(wrap(plain(key.doc()), "      ", "      ", width));
        }
        return lines;
    }

    private static String defaultOrRequired(ConfigKey<?> key) {
        String description = key.defaultDescription();
        return description.startsWith("required") ? description : "default: " + description;
    }

    /** Fills lines word by word up to {@code width}; a word longer than a line gets a line of its own. */
    static List<String> wrap(String text, String firstIndent, String indent, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder(firstIndent);
        boolean empty = true;
        for (String word : text.split(" ")) {
            if (!empty && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line = new StringBuilder(indent);
                empty = true;
            }
            line.append(empty ? "" : " ").append(word);
            empty = false;
        }
        lines.add(line.toString());
        return lines;
    }

    /** A table cell: a pipe would end the cell. */
    private static String cell(String text) {
        return text.replace("|", "\\|");
    }

    private static String plain(String markdown) {
        return markdown.replace("`", "");
    }
}
