package io.cdcenricher.enricher.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Reads the YAML configuration and validates it in one go. Every problem names its key by path
 * ({@code joins[1].foreignKey: required}); all problems are reported together in one
 * {@link InvalidConfigException}.
 *
 * <p>The YAML is walked by hand rather than bound by Jackson so that unknown keys, wrong types and
 * missing keys all produce the same kind of message, with the path the user wrote.
 */
public final class EnricherConfigLoader {

    /** The name of the enrichment status field written into every enriched event. */
    public static final String STATUS_FIELD = "enrichment";

    private static final Set<String> ROOT_KEYS = Set.of(
            "applicationId", "bootstrapServers", "kafka", "topics", "event", "maxRecordBytes", "joins", "filter",
            "waitBuffer", "format", "registry", "outputSchema");
    private static final Set<String> REGISTRY_KEYS = Set.of("url", "properties");
    /** Prefix of an {@code outputSchema} read from the classpath (the schemas module packages /schemas/). */
    public static final String CLASSPATH_PREFIX = "classpath:";
    private static final Set<String> TOPICS_KEYS = Set.of("events", "output", "deadLetter");
    private static final Set<String> EVENT_KEYS = Set.of("typeField", "types", "timestampField");
    private static final Set<String> JOIN_KEYS = Set.of("name", "topic", "foreignKey", "tableKeyField", "fields",
            "materialization", "store", "appliesTo", "onMiss", "as", "partitions", "deletedRetention", "maxWait",
            "onTimeout", "versioned", "heartbeatTopic", "maxCaptureLag");
    private static final Set<String> VERSIONED_KEYS = Set.of("historyRetention", "grace");
    private static final Set<String> WAIT_BUFFER_KEYS = Set.of("maxRecords", "maxBytes", "onOverflow", "onTimeout",
            "checkInterval");
    /** A byte size: a whole number and an optional unit, e.g. {@code 64MB}, {@code 512KB}, {@code 1GB}. */
    private static final Pattern BYTE_SIZE = Pattern.compile("([0-9]{1,12})\\s*(B|KB|MB|GB)?");
    private static final Set<String> FILTER_KEYS = Set.of("appliesTo", "field", "op", "value");
    /** A short duration: a whole number and a unit, e.g. {@code 24h}, {@code 30m}, {@code 90s}, {@code 7d}. */
    private static final Pattern SHORT_DURATION = Pattern.compile("([0-9]{1,12})(ms|s|m|h|d)");
    /** Names used in store names and status entries: keep them to characters safe everywhere. */
    private static final Pattern JOIN_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
    /** A legal Kafka topic name. */
    private static final Pattern TOPIC_NAME = Pattern.compile("[A-Za-z0-9._-]{1,249}");

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final List<InvalidConfigException.Problem> problems = new ArrayList<>();

    private EnricherConfigLoader() {
    }

    /**
     * Loads and validates the file, and fills in the instance's state directory and group instance id where the
     * {@code kafka:} map has none ({@link InstanceIdentity}: they depend on which file the instance runs from).
     */
    public static EnricherConfig load(Path file) throws IOException {
        EnricherConfig config = parse(Files.readString(file, StandardCharsets.UTF_8));
        return config.withKafka(InstanceIdentity.withDefaults(config.kafka(), file));
    }

    /** Parses and validates YAML text (without the file-dependent defaults of {@link #load}). */
    public static EnricherConfig parse(String yaml) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            // The first line of Jackson's message says what and where; the rest can echo file content.
            throw new InvalidConfigException("", "not valid YAML: " + e.getOriginalMessage().lines().findFirst()
                    .orElse("") + locationOf(e));
        }
        return new EnricherConfigLoader().read(root);
    }

    private static String locationOf(JsonProcessingException e) {
        return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr()
                + ", column " + e.getLocation().getColumnNr() + ")";
    }

    private EnricherConfig read(JsonNode rootNode) {
        if (rootNode == null || rootNode.isMissingNode() || rootNode.isNull()) {
            throw new InvalidConfigException("", "the configuration is empty");
        }
        ObjectNode root = mapping(rootNode, "");
        if (root == null) {
            throw new InvalidConfigException(problems);
        }
        rejectUnknownKeys(root, "", ROOT_KEYS);

        String applicationId = requiredString(root, "applicationId", "");
        String bootstrapServers = requiredString(root, "bootstrapServers", "");
        Map<String, String> kafka = readKafka(root.get("kafka"), "kafka");
        TopicsConfig topics = readTopics(root.get("topics"), "topics");
        EventConfig event = readEvent(root.get("event"), "event");
        int maxRecordBytes = readMaxRecordBytes(root.get("maxRecordBytes"), "maxRecordBytes");
        WaitBufferConfig waitBuffer = readWaitBuffer(root.get("waitBuffer"), "waitBuffer");
        List<JoinConfig> joins = readJoins(root.get("joins"), "joins", event, waitBuffer);
        FilterConfig filter = readFilter(root.get("filter"), "filter", event);
        WireFormat format = enumValue(root, "format", "", WireFormat.class, WireFormat::yamlName, WireFormat.JSON);
        AvroConfig avro = readAvro(root, format);

        if (problems.isEmpty()) {
            validateDistinctTopics(topics, joins);
            validateUniqueJoinNames(joins);
            validateUniqueOutputNames(joins);
            validateOutputNamesDoNotShadowInputs(joins, event);
            validateFilterDoesNotReadOutputs(filter, joins);
            validateAvroJoins(format, joins);
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
        return new EnricherConfig(applicationId, bootstrapServers, kafka, topics, event, maxRecordBytes, joins,
                filter, waitBuffer, format, avro);
    }

    // ---- sections -------------------------------------------------------------------------------------

    private Map<String, String> readKafka(JsonNode node, String path) {
        Map<String, String> kafka = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return kafka;
        }
        ObjectNode map = mapping(node, path);
        if (map == null) {
            return kafka;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String keyPath = path + "." + entry.getKey();
            if (entry.getKey().equals(StreamsConfig.APPLICATION_ID_CONFIG)) {
                problem(keyPath, "set it with the top-level key applicationId");
            } else if (entry.getKey().equals(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG)) {
                problem(keyPath, "set it with the top-level key bootstrapServers");
            } else if (!entry.getValue().isValueNode() || entry.getValue().isNull()) {
                problem(keyPath, "must be a single value (write dotted Kafka property names as one key)");
            } else {
                kafka.put(entry.getKey(), entry.getValue().asText());
            }
        }
        return kafka;
    }

    private TopicsConfig readTopics(JsonNode node, String path) {
        ObjectNode map = requiredMapping(node, path);
        if (map == null) {
            return null;
        }
        rejectUnknownKeys(map, path, TOPICS_KEYS);
        return new TopicsConfig(
                requiredString(map, "events", path),
                requiredString(map, "output", path),
                requiredString(map, "deadLetter", path));
    }

    private EventConfig readEvent(JsonNode node, String path) {
        if (node == null || node.isNull()) {
            return new EventConfig(EventConfig.DEFAULT_TYPE_FIELD, EventConfig.DEFAULT_TYPES);
        }
        ObjectNode map = mapping(node, path);
        if (map == null) {
            return new EventConfig(EventConfig.DEFAULT_TYPE_FIELD, EventConfig.DEFAULT_TYPES);
        }
        rejectUnknownKeys(map, path, EVENT_KEYS);
        String typeField = optionalString(map, "typeField", path, EventConfig.DEFAULT_TYPE_FIELD);
        validateFieldPath(typeField, join(path, "typeField"));
        List<String> types = stringList(map, "types", path, EventConfig.DEFAULT_TYPES);
        if (map.has("types") && types.isEmpty()) {
            problem(join(path, "types"), "must list at least one event type");
        }
        validateNoDuplicates(types, join(path, "types"));
        String timestampField = optionalString(map, "timestampField", path, null);
        validateFieldPath(timestampField, join(path, "timestampField"));
        return new EventConfig(typeField, types, timestampField);
    }

    private int readMaxRecordBytes(JsonNode node, String path) {
        if (node == null || node.isNull()) {
            return EnricherConfig.DEFAULT_MAX_RECORD_BYTES;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() <= 0) {
            problem(path, "must be a positive whole number of bytes");
            return EnricherConfig.DEFAULT_MAX_RECORD_BYTES;
        }
        return node.intValue();
    }

    private WaitBufferConfig readWaitBuffer(JsonNode node, String path) {
        WaitBufferConfig defaults = WaitBufferConfig.DEFAULTS;
        if (node == null || node.isNull()) {
            return defaults;
        }
        ObjectNode map = mapping(node, path);
        if (map == null) {
            return defaults;
        }
        rejectUnknownKeys(map, path, WAIT_BUFFER_KEYS);
        long maxRecords = defaults.maxRecords();
        JsonNode records = map.get("maxRecords");
        if (records != null && !records.isNull()) {
            if (!records.isIntegralNumber() || !records.canConvertToLong() || records.longValue() <= 0) {
                problem(join(path, "maxRecords"), "must be a positive whole number of events");
            } else {
                maxRecords = records.longValue();
            }
        }
        long maxBytes = readByteSize(map.get("maxBytes"), join(path, "maxBytes"), defaults.maxBytes());
        OnOverflow onOverflow = enumValue(map, "onOverflow", path, OnOverflow.class, OnOverflow::yamlName,
                defaults.onOverflow());
        OnTimeout onTimeout = enumValue(map, "onTimeout", path, OnTimeout.class, OnTimeout::yamlName,
                defaults.onTimeout());
        Duration checkInterval = readDuration(map.get("checkInterval"), join(path, "checkInterval"),
                defaults.checkInterval());
        return new WaitBufferConfig(maxRecords, maxBytes, onOverflow, onTimeout, checkInterval);
    }

    /** A positive byte count: a number, or text with a unit ({@code 64MB}; KB, MB, GB are powers of 1024). */
    private long readByteSize(JsonNode node, String path, long defaultValue) {
        if (node == null || node.isNull()) {
            return defaultValue;
        }
        if (node.isIntegralNumber() && node.canConvertToLong() && node.longValue() > 0) {
            return node.longValue();
        }
        Matcher matcher = BYTE_SIZE.matcher(node.isTextual() ? node.asText().strip() : "");
        if (matcher.matches() && Long.parseLong(matcher.group(1)) > 0) {
            long unit = matcher.group(2) == null ? 1 : switch (matcher.group(2)) {
                case "KB" -> 1024L;
                case "MB" -> 1024L * 1024;
                case "GB" -> 1024L * 1024 * 1024;
                default -> 1L;
            };
            return Long.parseLong(matcher.group(1)) * unit;
        }
        problem(path, "must be a positive size like 67108864, 512KB, 64MB or 1GB (was '" + node.asText() + "')");
        return defaultValue;
    }

    private List<JoinConfig> readJoins(JsonNode node, String path, EventConfig event, WaitBufferConfig waitBuffer) {
        if (node == null || node.isNull()) {
            problem(path, "required (at least one join)");
            return List.of();
        }
        if (!node.isArray()) {
            problem(path, "must be a list of joins");
            return List.of();
        }
        if (node.isEmpty()) {
            problem(path, "must list at least one join");
        }
        List<JoinConfig> joins = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JoinConfig join = readJoin(node.get(i), path + "[" + i + "]", event, waitBuffer);
            if (join != null) {
                joins.add(join);
            }
        }
        return joins;
    }

    private JoinConfig readJoin(JsonNode node, String path, EventConfig event, WaitBufferConfig waitBuffer) {
        ObjectNode map = mapping(node, path);
        if (map == null) {
            return null;
        }
        rejectUnknownKeys(map, path, JOIN_KEYS);
        String name = requiredString(map, "name", path);
        if (name != null && !JOIN_NAME.matcher(name).matches()) {
            problem(join(path, "name"), "must start with a letter or digit and use only letters, digits, '_', '-', '.'");
        }
        String topic = requiredString(map, "topic", path);
        String foreignKey = requiredString(map, "foreignKey", path);
        if (foreignKey != null) {
            validateFieldPath(foreignKey, join(path, "foreignKey"));
        }
        String tableKeyField = optionalString(map, "tableKeyField", path, JoinConfig.DEFAULT_TABLE_KEY_FIELD);
        List<String> fields = stringList(map, "fields", path, List.of());
        validateNoDuplicates(fields, join(path, "fields"));
        Materialization materialization = enumValue(map, "materialization", path, Materialization.class,
                Materialization::yamlName, Materialization.GLOBAL);
        int partitions = readPartitions(map.get("partitions"), join(path, "partitions"), materialization);
        Duration deletedRetention = readDuration(map.get("deletedRetention"), join(path, "deletedRetention"),
                JoinConfig.DEFAULT_DELETED_RETENTION);
        StoreType store = enumValue(map, "store", path, StoreType.class, StoreType::yamlName, StoreType.ROCKSDB);
        OnMiss onMiss = enumValue(map, "onMiss", path, OnMiss.class, OnMiss::yamlName, OnMiss.EMIT);
        WaitConfig waiting = WaitConfig.NONE;
        if (onMiss == OnMiss.WAIT) {
            if (materialization == Materialization.PARTITIONED) {
                problem(join(path, "onMiss"), "'wait' is supported for materialization: global only (a partitioned "
                        + "join looks its row up in another task, after a re-key by the foreign key, where the "
                        + "entity's later events cannot queue behind the held one); use 'emit' or 'dead-letter'");
            }
            Duration maxWait = readDuration(map.get("maxWait"), join(path, "maxWait"), JoinConfig.DEFAULT_MAX_WAIT);
            OnTimeout onTimeout = enumValue(map, "onTimeout", path, OnTimeout.class, OnTimeout::yamlName,
                    waitBuffer.onTimeout());
            waiting = new WaitConfig(maxWait, onTimeout);
        } else {
            for (String key : List.of("maxWait", "onTimeout")) {
                if (map.has(key)) {
                    problem(join(path, key), "only with onMiss: wait");
                }
            }
        }
        VersionedConfig versioned = readVersioned(map.get("versioned"), join(path, "versioned"), materialization, store);
        List<String> appliesTo = stringList(map, "appliesTo", path, event.types());
        validateAppliesTo(appliesTo, event, join(path, "appliesTo"));
        String as = optionalString(map, "as", path, name);
        if (as != null && as.equals(STATUS_FIELD)) {
            problem(join(path, "as"), "'" + STATUS_FIELD + "' is reserved for the enrichment status");
        }
        CaptureConfig capture = readCapture(map, path);
        if (name == null || topic == null || foreignKey == null || as == null) {
            return null;
        }
        return new JoinConfig(name, topic, foreignKey, tableKeyField, fields, materialization, store,
                new LinkedHashSet<>(appliesTo), onMiss, as, partitions, deletedRetention, waiting, versioned, capture);
    }

    /** {@code heartbeatTopic} and {@code maxCaptureLag} of a join. */
    private CaptureConfig readCapture(ObjectNode map, String path) {
        String heartbeatTopic = optionalString(map, "heartbeatTopic", path, null);
        if (heartbeatTopic != null && !TOPIC_NAME.matcher(heartbeatTopic).matches()) {
            problem(join(path, "heartbeatTopic"), "must be a Kafka topic name (letters, digits, '.', '_', '-'), "
                    + "e.g. __debezium-heartbeat.demo");
        }
        Duration maxCaptureLag = readDuration(map.get("maxCaptureLag"), join(path, "maxCaptureLag"), null);
        if (maxCaptureLag != null && heartbeatTopic == null) {
            problem(join(path, "maxCaptureLag"), "needs heartbeatTopic: without the connector's heartbeats a quiet "
                    + "table would look stale (set heartbeat.interval.ms in the connector and name its topic "
                    + "__debezium-heartbeat.<topic.prefix> here)");
        }
        return new CaptureConfig(heartbeatTopic, maxCaptureLag);
    }

    /**
     * {@code versioned: {historyRetention: 7d, grace: 5s}}: the history retention of a versioned table and the
     * grace period of its lookup (optional, default 0: join at once). Like the DSL's stream-table join (KIP-923),
     * the grace may not exceed the history retention: a held event is looked up as of its own time, which must
     * still be within the history when it is released.
     */
    private VersionedConfig readVersioned(JsonNode node, String path, Materialization materialization, StoreType store) {
        if (node == null || node.isNull()) {
            return VersionedConfig.NONE;
        }
        ObjectNode map = mapping(node, path);
        if (map == null) {
            return VersionedConfig.NONE;
        }
        rejectUnknownKeys(map, path, VERSIONED_KEYS);
        if (materialization != Materialization.PARTITIONED) {
            problem(path, "only for materialization: partitioned (a global store holds the latest row only)");
        }
        if (store == StoreType.IN_MEMORY) {
            problem(path, "a versioned table is held in RocksDB; remove store: in-memory");
        }
        Duration grace = readGrace(map.get("grace"), join(path, "grace"));
        JsonNode retention = map.get("historyRetention");
        if (retention == null || retention.isNull()) {
            problem(join(path, "historyRetention"), "required (how far back lookups as of the event time reach, "
                    + "e.g. 7d)");
            return VersionedConfig.NONE;
        }
        Duration historyRetention = readDuration(retention, join(path, "historyRetention"), null);
        if (historyRetention != null && grace.compareTo(historyRetention) > 0) {
            problem(join(path, "grace"), "must not exceed historyRetention (" + map.get("historyRetention").asText()
                    + "): a held event is looked up as of its own time, which must still be within the history");
        }
        return new VersionedConfig(historyRetention, grace);
    }

    /** A versioned lookup's grace period: zero (the default: join at once) or a positive duration. */
    private Duration readGrace(JsonNode node, String path) {
        if (node == null || node.isNull()) {
            return Duration.ZERO;
        }
        String text = node.isTextual() ? node.asText().strip() : node.isIntegralNumber() ? node.asText() : "";
        Duration grace = text.equals("0") ? Duration.ZERO : parseDuration(text);
        if (grace == null || grace.isNegative()) {
            problem(path, "must be 0 or a positive duration like 5s, 500ms or ISO-8601 PT5S (was '" + node.asText()
                    + "')");
            return Duration.ZERO;
        }
        return grace;
    }

    /**
     * The partition count a partitioned join's topology is built for. Optional: when omitted the application
     * reads it from the broker at start-up; when given, start-up fails if the table topic has another count.
     */
    private int readPartitions(JsonNode node, String path, Materialization materialization) {
        if (node == null || node.isNull()) {
            return JoinConfig.PARTITIONS_FROM_BROKER;
        }
        if (materialization != Materialization.PARTITIONED) {
            problem(path, "only for materialization: partitioned (a global store needs no partition count)");
            return JoinConfig.PARTITIONS_FROM_BROKER;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() <= 0) {
            problem(path, "must be a positive whole number (the partition count of the join's table topic)");
            return JoinConfig.PARTITIONS_FROM_BROKER;
        }
        return node.intValue();
    }

    /** An ISO-8601 duration ({@code PT24H}) or a short one ({@code 24h}); must be positive. */
    private Duration readDuration(JsonNode node, String path, Duration defaultValue) {
        if (node == null || node.isNull()) {
            return defaultValue;
        }
        Duration duration = parseDuration(node.isTextual() ? node.asText().strip() : "");
        if (duration == null || duration.isNegative() || duration.isZero()) {
            problem(path, "must be a positive duration like 24h, 30m, 7d or ISO-8601 PT24H (was '"
                    + node.asText() + "')");
            return defaultValue;
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

    private FilterConfig readFilter(JsonNode node, String path, EventConfig event) {
        if (node == null || node.isNull()) {
            return null;
        }
        ObjectNode map = mapping(node, path);
        if (map == null) {
            return null;
        }
        rejectUnknownKeys(map, path, FILTER_KEYS);
        List<String> appliesTo = stringList(map, "appliesTo", path, event.types());
        validateAppliesTo(appliesTo, event, join(path, "appliesTo"));
        String field = requiredString(map, "field", path);
        validateFieldPath(field, join(path, "field"));
        FilterOp op = enumValue(map, "op", path, FilterOp.class, FilterOp::yamlName, null);
        if (op == null && (map.get("op") == null || map.get("op").isNull())) {
            problem(join(path, "op"), "required (one of: " + String.join(", ",
                    Arrays.stream(FilterOp.values()).map(FilterOp::yamlName).toList()) + ")");
        }
        JsonNode value = map.get("value");
        String valuePath = join(path, "value");
        BigDecimal number = null;
        String text = null;
        if (op == FilterOp.EXISTS) {
            if (value != null) {
                problem(valuePath, "not allowed with op: exists");
            }
        } else if (value == null || value.isNull()) {
            problem(valuePath, "required with op: " + (op == null ? "..." : op.yamlName()));
        } else if (value.isNumber()) {
            number = value.decimalValue();
        } else if (value.isTextual() && (op == null || !op.isOrdering())) {
            text = value.asText();
        } else {
            problem(valuePath, op != null && op.isOrdering() ? "must be a number with op: " + op.yamlName()
                    : "must be a number or a string");
        }
        if (field == null || op == null) {
            return null;
        }
        return new FilterConfig(new LinkedHashSet<>(appliesTo), field, op, number, text);
    }

    /**
     * {@code registry} and {@code outputSchema}: required with {@code format: avro}, refused with JSON. The output
     * schema is read and parsed now, so a broken file stops the start, not the first event.
     */
    private AvroConfig readAvro(ObjectNode root, WireFormat format) {
        if (format != WireFormat.AVRO) {
            for (String key : List.of("registry", "outputSchema")) {
                if (root.has(key)) {
                    problem(key, "only with format: avro");
                }
            }
            return null;
        }
        ObjectNode registry = requiredMapping(root.get("registry"), "registry");
        String url = null;
        Map<String, String> properties = new LinkedHashMap<>();
        if (registry != null) {
            rejectUnknownKeys(registry, "registry", REGISTRY_KEYS);
            url = requiredString(registry, "url", "registry");
            if (url != null && !url.startsWith("http://") && !url.startsWith("https://")) {
                problem("registry.url", "must be an http(s) URL such as http://127.0.0.1:8081/apis/registry/v2");
            }
            properties = readKafka(registry.get("properties"), "registry.properties");
            if (properties.containsKey(AvroConfig.REGISTRY_URL_PROPERTY)) {
                problem("registry.properties." + AvroConfig.REGISTRY_URL_PROPERTY, "set it with registry.url");
            }
        }
        String location = requiredString(root, "outputSchema", "");
        org.apache.avro.Schema schema = location == null ? null : readOutputSchema(location);
        if (url == null || schema == null) {
            return null;
        }
        return new AvroConfig(url, properties, location, schema);
    }

    private org.apache.avro.Schema readOutputSchema(String location) {
        String text;
        try {
            if (location.startsWith(CLASSPATH_PREFIX)) {
                String resource = location.substring(CLASSPATH_PREFIX.length());
                try (java.io.InputStream in = EnricherConfigLoader.class.getResourceAsStream(
                        resource.startsWith("/") ? resource : "/" + resource)) {
                    if (in == null) {
                        problem("outputSchema", "no resource '" + resource + "' on the classpath");
                        return null;
                    }
                    text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            } else {
                text = Files.readString(Path.of(location), StandardCharsets.UTF_8);
            }
        } catch (IOException | java.nio.file.InvalidPathException e) {
            problem("outputSchema", "cannot read '" + location + "': " + e.getClass().getSimpleName() + " "
                    + e.getMessage());
            return null;
        }
        org.apache.avro.Schema schema;
        try {
            schema = new org.apache.avro.Schema.Parser().parse(text);
        } catch (RuntimeException e) {
            problem("outputSchema", "'" + location + "' is not a valid Avro schema: " + e.getMessage());
            return null;
        }
        if (schema.getType() != org.apache.avro.Schema.Type.RECORD) {
            problem("outputSchema", "'" + location + "' must be an Avro record schema (is " + schema.getType()
                    .getName() + ")");
            return null;
        }
        return schema;
    }

    // ---- cross-field rules ----------------------------------------------------------------------------

    /** The same topic in two roles would loop records or feed one global store twice. */
    private void validateDistinctTopics(TopicsConfig topics, List<JoinConfig> joins) {
        Map<String, String> roleByTopic = new HashMap<>();
        claimTopic(roleByTopic, topics.events(), "topics.events");
        claimTopic(roleByTopic, topics.output(), "topics.output");
        claimTopic(roleByTopic, topics.deadLetter(), "topics.deadLetter");
        for (int i = 0; i < joins.size(); i++) {
            claimTopic(roleByTopic, joins.get(i).topic(), "joins[" + i + "].topic");
        }
    }

    private void claimTopic(Map<String, String> roleByTopic, String topic, String path) {
        String previous = roleByTopic.putIfAbsent(topic, path);
        if (previous != null) {
            problem(path, "topic '" + topic + "' is already used as " + previous);
        }
    }

    private void validateUniqueJoinNames(List<JoinConfig> joins) {
        validateUnique(joins, JoinConfig::name, "name", "join name");
    }

    private void validateUniqueOutputNames(List<JoinConfig> joins) {
        validateUnique(joins, JoinConfig::as, "as", "output field");
    }

    private void validateUnique(List<JoinConfig> joins, Function<JoinConfig, String> attribute, String key,
                                String what) {
        Map<String, Integer> firstIndex = new HashMap<>();
        for (int i = 0; i < joins.size(); i++) {
            String value = attribute.apply(joins.get(i));
            Integer previous = firstIndex.putIfAbsent(value, i);
            if (previous != null) {
                problem("joins[" + i + "]." + key,
                        "duplicate " + what + " '" + value + "' (also joins[" + previous + "])");
            }
        }
    }

    /**
     * An output field named like the top-level field holding the type or a foreign key would be present in
     * every event, so every event would be dead-lettered as a conflict: refuse it at start-up instead.
     */
    private void validateOutputNamesDoNotShadowInputs(List<JoinConfig> joins, EventConfig event) {
        Map<String, String> inputFields = new HashMap<>();
        inputFields.put(firstSegment(event.typeField()), "event.typeField");
        for (int i = 0; i < joins.size(); i++) {
            inputFields.putIfAbsent(firstSegment(joins.get(i).foreignKey()), "joins[" + i + "].foreignKey");
        }
        for (int i = 0; i < joins.size(); i++) {
            String as = joins.get(i).as();
            String usedBy = inputFields.get(as);
            if (usedBy != null) {
                problem("joins[" + i + "].as", "output field '" + as + "' would overwrite the event field read by "
                        + usedBy + "; choose another name with 'as'");
            }
        }
    }

    /**
     * A partitioned store is restored from its table topic's raw values, which a lookup then reads as JSON; Avro
     * rows there would be unreadable after a restore, so Avro runs with global joins only.
     */
    private void validateAvroJoins(WireFormat format, List<JoinConfig> joins) {
        if (format != WireFormat.AVRO) {
            return;
        }
        for (int i = 0; i < joins.size(); i++) {
            if (joins.get(i).isPartitioned()) {
                problem("joins[" + i + "].materialization", "format: avro supports materialization: global only "
                        + "(a partitioned store is restored from the raw table topic)");
            }
        }
    }

    /** The filter runs before the enrichment, so it can only see event fields, never what a join writes. */
    private void validateFilterDoesNotReadOutputs(FilterConfig filter, List<JoinConfig> joins) {
        if (filter == null) {
            return;
        }
        String first = firstSegment(filter.field());
        if (first.equals(STATUS_FIELD) || joins.stream().anyMatch(j -> j.as().equals(first))) {
            problem("filter.field", "'" + filter.field() + "' is written by the enrichment; the filter runs "
                    + "before it and sees only the event's own fields");
        }
    }

    private void validateAppliesTo(List<String> appliesTo, EventConfig event, String path) {
        if (appliesTo.isEmpty()) {
            problem(path, "must list at least one event type (omit it to apply to all types)");
        }
        for (String type : appliesTo) {
            if (!event.types().contains(type)) {
                problem(path, "unknown event type '" + type + "' (event.types is " + event.types() + ")");
            }
        }
        validateNoDuplicates(appliesTo, path);
    }

    private void validateNoDuplicates(List<String> values, String path) {
        Set<String> seen = new LinkedHashSet<>();
        for (String value : values) {
            if (!seen.add(value)) {
                problem(path, "'" + value + "' is listed twice");
            }
        }
    }

    private void validateFieldPath(String fieldPath, String path) {
        if (fieldPath == null) {
            return;
        }
        if (Arrays.stream(fieldPath.split("\\.", -1)).anyMatch(String::isEmpty)) {
            problem(path, "'" + fieldPath + "' is not a dotted field path like 'order.customer.id'");
        }
    }

    private static String firstSegment(String fieldPath) {
        int dot = fieldPath.indexOf('.');
        return dot < 0 ? fieldPath : fieldPath.substring(0, dot);
    }

    // ---- typed access with paths ----------------------------------------------------------------------

    private ObjectNode requiredMapping(JsonNode node, String path) {
        if (node == null || node.isNull()) {
            problem(path, "required");
            return null;
        }
        return mapping(node, path);
    }

    private ObjectNode mapping(JsonNode node, String path) {
        if (!node.isObject()) {
            problem(path, "must be a mapping of keys to values");
            return null;
        }
        return (ObjectNode) node;
    }

    private void rejectUnknownKeys(ObjectNode map, String path, Set<String> known) {
        for (Iterator<String> it = map.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!known.contains(key)) {
                problem(join(path, key), "unknown key (known keys: " + String.join(", ", known.stream().sorted()
                        .toList()) + ")");
            }
        }
    }

    private String requiredString(ObjectNode map, String key, String path) {
        JsonNode node = map.get(key);
        if (node == null || node.isNull()) {
            problem(join(path, key), "required");
            return null;
        }
        return string(node, join(path, key));
    }

    private String optionalString(ObjectNode map, String key, String path, String defaultValue) {
        JsonNode node = map.get(key);
        return node == null || node.isNull() ? defaultValue : string(node, join(path, key));
    }

    private String string(JsonNode node, String path) {
        if (!node.isTextual() && !node.isNumber()) {
            problem(path, "must be a text value");
            return null;
        }
        String text = node.asText();
        if (text.isBlank()) {
            problem(path, "must not be empty");
            return null;
        }
        return text;
    }

    private List<String> stringList(ObjectNode map, String key, String path, List<String> defaultValue) {
        JsonNode node = map.get(key);
        if (node == null || node.isNull()) {
            return defaultValue;
        }
        String listPath = join(path, key);
        if (!node.isArray()) {
            problem(listPath, "must be a list, e.g. [a, b]");
            return defaultValue;
        }
        List<String> values = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            String value = string(node.get(i), listPath + "[" + i + "]");
            if (value != null) {
                values.add(value);
            }
        }
        return values;
    }

    private <E extends Enum<E>> E enumValue(ObjectNode map, String key, String path, Class<E> type,
                                            Function<E, String> yamlName, E defaultValue) {
        JsonNode node = map.get(key);
        if (node == null || node.isNull()) {
            return defaultValue;
        }
        for (E candidate : type.getEnumConstants()) {
            if (yamlName.apply(candidate).equals(node.asText()) && node.isTextual()) {
                return candidate;
            }
        }
        problem(join(path, key), "must be one of: " + String.join(", ",
                Arrays.stream(type.getEnumConstants()).map(yamlName).toList()) + " (was '" + node.asText() + "')");
        return defaultValue;
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private void problem(String path, String message) {
        problems.add(new InvalidConfigException.Problem(path, message));
    }
}
