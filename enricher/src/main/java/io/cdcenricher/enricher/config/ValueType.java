package io.cdcenricher.enricher.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The type of a configuration key: how its YAML value is read, how the type is described in the key reference,
 * and how a default value is written there. A value that cannot be read is reported under its path (or the path of
 * the element or entry at fault) and read as {@code null}.
 *
 * @param <T> the Java type of the value
 */
public final class ValueType<T> {

    /** Text; a number is read as its text, so {@code topic: 42} names topic "42". */
    public static final ValueType<String> TEXT = new ValueType<>("text", ValueType::readText, text -> text);
    /** A list of texts, e.g. {@code [create, update]}. */
    public static final ValueType<List<String>> TEXT_LIST = new ValueType<>("list of text", ValueType::readTextList,
            list -> "[" + String.join(", ", list) + "]");
    /** A positive duration, short ({@code 24h}) or ISO-8601 ({@code PT24H}). */
    public static final ValueType<Duration> DURATION = new ValueType<>("duration (`500ms`, `30s`, `24h`, `7d`, "
            + "`PT24H`)", ValueType::readDuration, ValueType::shortDuration);
    /** {@code 0} or a positive duration. */
    public static final ValueType<Duration> DURATION_OR_ZERO = new ValueType<>("`0` or a duration",
            ValueType::readDurationOrZero, ValueType::shortDuration);
    /** A byte count: a number, or a number with the unit KB, MB or GB (powers of 1024). */
    public static final ValueType<Long> BYTE_SIZE = new ValueType<>("byte size (`67108864`, `512KB`, `64MB`, `1GB`)",
            ValueType::readByteSize, ValueType::shortByteSize);
    /** A nested mapping of keys, read key by key by the loader. */
    public static final ValueType<ObjectNode> MAPPING = new ValueType<>("mapping", ValueType::readMapping,
            node -> "");
    /** A number or a text, compared by the loader according to other keys. */
    public static final ValueType<JsonNode> NUMBER_OR_TEXT = new ValueType<>("number or text",
            (node, path, problems) -> node, JsonNode::asText);

    /** A short duration: a whole number and a unit, e.g. {@code 24h}, {@code 30m}, {@code 90s}, {@code 7d}. */
    private static final Pattern SHORT_DURATION = Pattern.compile("([0-9]{1,12})(ms|s|m|h|d)");
    /** A byte size: a whole number and an optional unit, e.g. {@code 64MB}, {@code 512KB}, {@code 1GB}. */
    private static final Pattern BYTE_SIZE_TEXT = Pattern.compile("([0-9]{1,12})\\s*(B|KB|MB|GB)?");
    private static final long KB = 1024L;
    private static final long MB = 1024L * KB;
    private static final long GB = 1024L * MB;

    /** Reads one YAML value; reports what is wrong under {@code path} and returns {@code null} when it cannot. */
    @FunctionalInterface
    interface Reader<T> {
        T read(JsonNode node, String path, Problems problems);
    }

    private final String description;
    private final Reader<T> reader;
    private final Function<T, String> writer;

    private ValueType(String description, Reader<T> reader, Function<T, String> writer) {
        this.description = description;
        this.reader = reader;
        this.writer = writer;
    }

    /** A whole number above zero; {@code message} is the problem otherwise, e.g. "must be a positive whole number". */
    public static ValueType<Integer> positiveInt(String message) {
        return new ValueType<>("whole number > 0", (node, path, problems) -> {
            if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() <= 0) {
                problems.add(path, message);
                return null;
            }
            return node.intValue();
        }, String::valueOf);
    }

    /** A whole number of zero or more; {@code message} is the problem otherwise, e.g. "must be 0 or more". */
    public static ValueType<Integer> nonNegativeInt(String message) {
        return new ValueType<>("whole number >= 0", (node, path, problems) -> {
            if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < 0) {
                problems.add(path, message);
                return null;
            }
            return node.intValue();
        }, String::valueOf);
    }

    /** A whole number above zero that may exceed an int; {@code message} is the problem otherwise. */
    public static ValueType<Long> positiveLong(String message) {
        return new ValueType<>("whole number > 0", (node, path, problems) -> {
            if (!node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() <= 0) {
                problems.add(path, message);
                return null;
            }
            return node.longValue();
        }, String::valueOf);
    }

    /** One of an enum's constants, written by its YAML name. */
    public static <E extends Enum<E>> ValueType<E> oneOf(Class<E> type, Function<E, String> yamlName) {
        List<String> names = Arrays.stream(type.getEnumConstants()).map(yamlName).toList();
        return new ValueType<>("one of " + names.stream().map(name -> "`" + name + "`")
                .collect(Collectors.joining(", ")), (node, path, problems) -> {
            for (E candidate : type.getEnumConstants()) {
                if (node.isTextual() && yamlName.apply(candidate).equals(node.asText())) {
                    return candidate;
                }
            }
            problems.add(path, "must be one of: " + String.join(", ", names) + " (was '" + node.asText() + "')");
            return null;
        }, yamlName);
    }

    /** A list of mappings, each read by the loader; {@code what} names the items, e.g. {@code joins}. */
    public static ValueType<ArrayNode> listOf(String what) {
        return new ValueType<>("list of " + what, (node, path, problems) -> {
            if (!node.isArray()) {
                problems.add(path, "must be a list of " + what);
                return null;
            }
            return (ArrayNode) node;
        }, node -> "");
    }

    /**
     * A mapping of property names to single values, passed through to a client unchanged. Properties that other
     * keys set are refused with the hint in {@code refused} (property name to hint).
     */
    public static ValueType<Map<String, String>> properties(Map<String, String> refused) {
        return new ValueType<>("mapping of properties", (node, path, problems) -> {
            ObjectNode map = readMapping(node, path, problems);
            if (map == null) {
                return null;
            }
            Map<String, String> properties = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                String entryPath = path + "." + entry.getKey();
                if (refused.containsKey(entry.getKey())) {
                    problems.add(entryPath, refused.get(entry.getKey()));
                } else if (!entry.getValue().isValueNode() || entry.getValue().isNull()) {
                    problems.add(entryPath, "must be a single value (write dotted Kafka property names as one key)");
                } else {
                    properties.put(entry.getKey(), entry.getValue().asText());
                }
            }
            return properties;
        }, map -> map.isEmpty() ? "{}" : map.toString());
    }

    /** How the key reference describes this type, e.g. {@code duration (...)}. */
    public String description() {
        return description;
    }

    /** The value as it would be written in YAML, e.g. {@code 24h} for a day. */
    public String write(T value) {
        return writer.apply(value);
    }

    T read(JsonNode node, String path, Problems problems) {
        return reader.read(node, path, problems);
    }

    // ---- readers ------------------------------------------------------------------------------------------

    private static String readText(JsonNode node, String path, Problems problems) {
        if (!node.isTextual() && !node.isNumber()) {
            problems.add(path, "must be a text value");
            return null;
        }
        String text = node.asText();
        if (text.isBlank()) {
            problems.add(path, "must not be empty");
            return null;
        }
        return text;
    }

    private static List<String> readTextList(JsonNode node, String path, Problems problems) {
        if (!node.isArray()) {
            problems.add(path, "must be a list, e.g. [a, b]");
            return null;
        }
        List<String> values = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            String value = readText(node.get(i), path + "[" + i + "]", problems);
            if (value != null) {
                values.add(value);
            }
        }
        return values;
    }

    static ObjectNode readMapping(JsonNode node, String path, Problems problems) {
        if (!node.isObject()) {
            problems.add(path, "must be a mapping of keys to values");
            return null;
        }
        return (ObjectNode) node;
    }

    private static Duration readDuration(JsonNode node, String path, Problems problems) {
        Duration duration = parseDuration(node.isTextual() ? node.asText().strip() : "");
        if (duration == null || duration.isNegative() || duration.isZero()) {
            problems.add(path, "must be a positive duration like 24h, 30m, 7d or ISO-8601 PT24H (was '"
                    + node.asText() + "')");
            return null;
        }
        return duration;
    }

    private static Duration readDurationOrZero(JsonNode node, String path, Problems problems) {
        String text = node.isTextual() ? node.asText().strip() : node.isIntegralNumber() ? node.asText() : "";
        Duration duration = text.equals("0") ? Duration.ZERO : parseDuration(text);
        if (duration == null || duration.isNegative()) {
            problems.add(path, "must be 0 or a positive duration like 5s, 500ms or ISO-8601 PT5S (was '"
                    + node.asText() + "')");
            return null;
        }
        return duration;
    }

    /** A short ({@code 24h}) or ISO-8601 ({@code PT24H}) duration, or null when the text is neither. */
    private static Duration parseDuration(String text) {
        Matcher shortForm = SHORT_DURATION.matcher(text);
        if (shortForm.matches()) {
            long amount = Long.parseLong(shortForm.group(1));
            return switch (shortForm.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        }
        if (text.startsWith("P") || text.startsWith("p")) {
            try {
                return Duration.parse(text);
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        return null;
    }

    private static Long readByteSize(JsonNode node, String path, Problems problems) {
        if (node.isIntegralNumber() && node.canConvertToLong() && node.longValue() > 0) {
            return node.longValue();
        }
        Matcher matcher = BYTE_SIZE_TEXT.matcher(node.isTextual() ? node.asText().strip() : "");
        if (matcher.matches() && Long.parseLong(matcher.group(1)) > 0) {
            long unit = matcher.group(2) == null ? 1 : switch (matcher.group(2)) {
                case "KB" -> KB;
                case "MB" -> MB;
                case "GB" -> GB;
                default -> 1L;
            };
            return Long.parseLong(matcher.group(1)) * unit;
        }
        problems.add(path, "must be a positive size like 67108864, 512KB, 64MB or 1GB (was '" + node.asText() + "')");
        return null;
    }

    // ---- writers ------------------------------------------------------------------------------------------

    /** The largest whole unit, except that one day reads better as {@code 24h}. */
    private static String shortDuration(Duration duration) {
        long millis = duration.toMillis();
        if (millis == 0) {
            return "0";
        }
        long day = Duration.ofDays(1).toMillis();
        if (millis % day == 0 && millis > day) {
            return millis / day + "d";
        }
        for (Map.Entry<Long, String> unit : List.of(Map.entry(3_600_000L, "h"), Map.entry(60_000L, "m"),
                Map.entry(1_000L, "s"))) {
            if (millis % unit.getKey() == 0) {
                return millis / unit.getKey() + unit.getValue();
            }
        }
        return millis + "ms";
    }

    private static String shortByteSize(long bytes) {
        for (Map.Entry<Long, String> unit : List.of(Map.entry(GB, "GB"), Map.entry(MB, "MB"), Map.entry(KB, "KB"))) {
            if (bytes % unit.getKey() == 0) {
                return bytes / unit.getKey() + unit.getValue();
            }
        }
        return Long.toString(bytes);
    }
}
