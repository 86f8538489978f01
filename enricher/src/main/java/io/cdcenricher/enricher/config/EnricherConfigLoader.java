package io.cdcenricher.enricher.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Reads the YAML configuration and validates it in one go. Every problem names its key by path
 * ({@code joins[1].foreignKey: required}); all problems are reported together in one
 * {@link InvalidConfigException}.
 *
 * <p>The YAML is walked by hand rather than bound by Jackson so that unknown keys, wrong types and
 * missing keys all produce the same kind of message, with the path the user wrote. Each key is read through its
 * declaration ({@link RootKeys}, {@link JoinKeys}, ...: type, default, checks); what is left here are the rules
 * between keys.
 */
public final class EnricherConfigLoader {

    /** The name of the enrichment status field written into every enriched event. */
    public static final String STATUS_FIELD = "enrichment";

    /** Prefix of an {@code outputSchema} read from the classpath (the schemas module packages /schemas/). */
    public static final String CLASSPATH_PREFIX = "classpath:";

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final Problems problems = new Problems();

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
        ObjectNode root = ValueType.readMapping(rootNode, "", problems);
        if (root == null) {
            problems.throwIfAny();
        }
        RootKeys.SECTION.rejectUnknownKeys(root, "", problems);

        String applicationId = RootKeys.APPLICATION_ID.read(root, "", problems);
        String bootstrapServers = RootKeys.BOOTSTRAP_SERVERS.read(root, "", problems);
        Map<String, String> kafka = RootKeys.KAFKA.read(root, "", problems);
        TopicsConfig topics = readTopics(RootKeys.TOPICS.read(root, "", problems));
        EventConfig event = readEvent(RootKeys.EVENT.read(root, "", problems));
        int maxRecordBytes = RootKeys.MAX_RECORD_BYTES.read(root, "", problems);
        WaitBufferConfig waitBuffer = readWaitBuffer(RootKeys.WAIT_BUFFER.read(root, "", problems));
        List<JoinConfig> joins = readJoins(RootKeys.JOINS.read(root, "", problems), event, waitBuffer);
        FilterConfig filter = readFilter(RootKeys.FILTER.read(root, "", problems), event);
        WireFormat format = RootKeys.FORMAT.read(root, "", problems);
        AvroConfig avro = readAvro(root, format);
        Long rocksdbMemory = RootKeys.ROCKSDB_MEMORY.read(root, "", problems);

        if (problems.isEmpty()) {
            validateDistinctTopics(topics, joins);
            validateUniqueJoinNames(joins);
            validateUniqueOutputNames(joins);
            validateOutputNamesDoNotShadowInputs(joins, event);
            validateFilterDoesNotReadOutputs(filter, joins);
            validateAvroJoins(format, joins);
            validateVersionGuardIsExactlyOnce(event, kafka);
        }
        problems.throwIfAny();
        return new EnricherConfig(applicationId, bootstrapServers, kafka, topics, event, maxRecordBytes, joins,
                filter, waitBuffer, format, avro, rocksdbMemory);
    }

    // ---- sections -------------------------------------------------------------------------------------

    private TopicsConfig readTopics(ObjectNode map) {
        if (map == null) {
            return null;
        }
        String path = RootKeys.TOPICS.path();
        TopicsKeys.SECTION.rejectUnknownKeys(map, path, problems);
        return new TopicsConfig(
                TopicsKeys.EVENTS.read(map, path, problems),
                TopicsKeys.OUTPUT.read(map, path, problems),
                TopicsKeys.DEAD_LETTER.read(map, path, problems));
    }

    private EventConfig readEvent(ObjectNode map) {
        if (map == null) {
            return new EventConfig(EventKeys.TYPE_FIELD.defaultValue(), EventKeys.TYPES.defaultValue());
        }
        String path = RootKeys.EVENT.path();
        EventKeys.SECTION.rejectUnknownKeys(map, path, problems);
        List<String> types = EventKeys.TYPES.read(map, path, problems);
        return new EventConfig(
                EventKeys.TYPE_FIELD.read(map, path, problems),
                types,
                EventKeys.TIMESTAMP_FIELD.read(map, path, problems),
                readVersionGuard(map, path, types));
    }

    /** The version guard's keys live in {@code event}; all but {@code versionField} only make sense with it. */
    private VersionGuardConfig readVersionGuard(ObjectNode map, String path, List<String> types) {
        String versionField = EventKeys.VERSION_FIELD.read(map, path, problems);
        if (versionField == null) {
            for (ConfigKey<?> key : List.of(EventKeys.EXPECTED_VERSION_FIELD, EventKeys.DELETE_TYPE,
                    EventKeys.ON_VERSION_CONFLICT, EventKeys.ON_DUPLICATE, EventKeys.ON_ENTITY_DELETED)) {
                if (key.isSetIn(map)) {
                    problem(key.pathIn(path), "needs " + EventKeys.VERSION_FIELD.path() + " (the version guard is "
                            + "off without it)");
                }
            }
            return null;
        }
        String expectedVersionField = EventKeys.EXPECTED_VERSION_FIELD.read(map, path, problems);
        if (versionField.equals(expectedVersionField)) {
            problem(EventKeys.EXPECTED_VERSION_FIELD.pathIn(path), "must differ from "
                    + EventKeys.VERSION_FIELD.path() + " ('" + versionField + "')");
        }
        String deleteType = EventKeys.DELETE_TYPE.read(map, path, problems);
        if (types != null && !types.contains(deleteType)) {
            problem(EventKeys.DELETE_TYPE.pathIn(path), "unknown event type '" + deleteType + "' ("
                    + EventKeys.TYPES.path() + " is " + types + ")");
        }
        return new VersionGuardConfig(versionField, expectedVersionField, deleteType,
                EventKeys.ON_VERSION_CONFLICT.read(map, path, problems),
                EventKeys.ON_DUPLICATE.read(map, path, problems),
                EventKeys.ON_ENTITY_DELETED.read(map, path, problems));
    }

    private WaitBufferConfig readWaitBuffer(ObjectNode map) {
        if (map == null) {
            return WaitBufferConfig.DEFAULTS;
        }
        String path = RootKeys.WAIT_BUFFER.path();
        WaitBufferKeys.SECTION.rejectUnknownKeys(map, path, problems);
        return new WaitBufferConfig(
                WaitBufferKeys.MAX_RECORDS.read(map, path, problems),
                WaitBufferKeys.MAX_BYTES.read(map, path, problems),
                WaitBufferKeys.ON_OVERFLOW.read(map, path, problems),
                WaitBufferKeys.ON_TIMEOUT.read(map, path, problems),
                WaitBufferKeys.CHECK_INTERVAL.read(map, path, problems));
    }

    private List<JoinConfig> readJoins(ArrayNode items, EventConfig event, WaitBufferConfig waitBuffer) {
        List<JoinConfig> joins = new ArrayList<>();
        if (items == null) {
            return joins;
        }
        for (int i = 0; i < items.size(); i++) {
            String path = JoinKeys.SECTION.itemPath(i);
            ObjectNode map = ValueType.readMapping(items.get(i), path, problems);
            JoinConfig join = map == null ? null : readJoin(map, path, event, waitBuffer);
            if (join != null) {
                joins.add(join);
            }
        }
        return joins;
    }

    private JoinConfig readJoin(ObjectNode map, String path, EventConfig event, WaitBufferConfig waitBuffer) {
        JoinKeys.SECTION.rejectUnknownKeys(map, path, problems);
        String name = JoinKeys.NAME.read(map, path, problems);
        String topic = JoinKeys.TOPIC.read(map, path, problems);
        String foreignKey = JoinKeys.FOREIGN_KEY.read(map, path, problems);
        String tableKeyField = JoinKeys.TABLE_KEY_FIELD.read(map, path, problems);
        List<String> fields = JoinKeys.FIELDS.read(map, path, problems);
        Materialization materialization = JoinKeys.MATERIALIZATION.read(map, path, problems);
        int partitions = readPartitions(map, path, materialization);
        Duration deletedRetention = JoinKeys.DELETED_RETENTION.read(map, path, problems);
        StoreType store = JoinKeys.STORE.read(map, path, problems);
        OnMiss onMiss = JoinKeys.ON_MISS.read(map, path, problems);
        WaitConfig waiting = readWaiting(map, path, onMiss, materialization, waitBuffer);
        VersionedConfig versioned = readVersioned(JoinKeys.VERSIONED.read(map, path, problems),
                JoinKeys.VERSIONED.pathIn(path), materialization, store);
        List<String> appliesTo = JoinKeys.APPLIES_TO.readOr(map, path, problems, event.types());
        validateAppliesTo(appliesTo, event, JoinKeys.APPLIES_TO.pathIn(path));
        // The default is the join's name: read only when set, so that a bad value is not replaced by the name.
        String as = JoinKeys.AS.isSetIn(map) ? JoinKeys.AS.read(map, path, problems) : name;
        if (as != null && as.equals(STATUS_FIELD)) {
            problems.add(JoinKeys.AS.pathIn(path), "'" + STATUS_FIELD + "' is reserved for the enrichment status");
        }
        CaptureConfig capture = readCapture(map, path);
        String versionField = JoinKeys.VERSION_FIELD.read(map, path, problems);
        if (name == null || topic == null || foreignKey == null || as == null) {
            return null;
        }
        return new JoinConfig(name, topic, foreignKey, tableKeyField, fields, materialization, store,
                new LinkedHashSet<>(appliesTo), onMiss, as, partitions, deletedRetention, waiting, versioned, capture,
                versionField);
    }

    /**
     * {@code maxWait} and {@code onTimeout}: only with {@code onMiss: wait}, which holds an event behind the later
     * events of its entity; {@code onTimeout} defaults to the wait buffer's.
     */
    private WaitConfig readWaiting(ObjectNode map, String path, OnMiss onMiss, Materialization materialization,
                                   WaitBufferConfig waitBuffer) {
        if (onMiss != OnMiss.WAIT) {
            for (ConfigKey<?> key : List.of(JoinKeys.MAX_WAIT, JoinKeys.ON_TIMEOUT)) {
                if (map.has(key.name())) {
                    problems.add(key.pathIn(path), "only with " + JoinKeys.ON_MISS.name() + ": wait");
                }
            }
            return WaitConfig.NONE;
        }
        if (materialization == Materialization.PARTITIONED) {
            problems.add(JoinKeys.ON_MISS.pathIn(path), "'wait' is supported for materialization: global only (a "
                    + "partitioned join looks its row up in another task, after a re-key by the foreign key, where "
                    + "the entity's later events cannot queue behind the held one); use 'emit' or 'dead-letter'");
        }
        return new WaitConfig(JoinKeys.MAX_WAIT.read(map, path, problems),
                JoinKeys.ON_TIMEOUT.readOr(map, path, problems, waitBuffer.onTimeout()));
    }

    /** {@code heartbeatTopic} and {@code maxCaptureLag} of a join. */
    private CaptureConfig readCapture(ObjectNode map, String path) {
        String heartbeatTopic = JoinKeys.HEARTBEAT_TOPIC.read(map, path, problems);
        Duration maxCaptureLag = JoinKeys.MAX_CAPTURE_LAG.read(map, path, problems);
        if (maxCaptureLag != null && heartbeatTopic == null) {
            problems.add(JoinKeys.MAX_CAPTURE_LAG.pathIn(path), "needs " + JoinKeys.HEARTBEAT_TOPIC.name()
                    + ": without the connector's heartbeats a quiet table would look stale (set heartbeat.interval.ms "
                    + "in the connector and name its topic __debezium-heartbeat.<topic.prefix> here)");
        }
        return new CaptureConfig(heartbeatTopic, maxCaptureLag);
    }

    /**
     * {@code versioned: {historyRetention: 7d, grace: 5s}}: the history retention of a versioned table and the
     * grace period of its lookup (optional, default 0: join at once). Like the DSL's stream-table join (KIP-923),
     * the grace may not exceed the history retention: a held event is looked up as of its own time, which must
     * still be within the history when it is released.
     */
    private VersionedConfig readVersioned(ObjectNode map, String path, Materialization materialization,
                                          StoreType store) {
        if (map == null) {
            return VersionedConfig.NONE;
        }
        VersionedKeys.SECTION.rejectUnknownKeys(map, path, problems);
        if (materialization != Materialization.PARTITIONED) {
            problems.add(path, "only for materialization: partitioned (a global store holds the latest row only)");
        }
        if (store == StoreType.IN_MEMORY) {
            problems.add(path, "a versioned table is held in RocksDB; remove store: in-memory");
        }
        Duration grace = VersionedKeys.GRACE.read(map, path, problems);
        Duration historyRetention = VersionedKeys.HISTORY_RETENTION.read(map, path, problems);
        if (!VersionedKeys.HISTORY_RETENTION.isSetIn(map)) {
            return VersionedConfig.NONE;
        }
        if (historyRetention != null && grace.compareTo(historyRetention) > 0) {
            problems.add(VersionedKeys.GRACE.pathIn(path), "must not exceed " + VersionedKeys.HISTORY_RETENTION.name()
                    + " (" + VersionedKeys.HISTORY_RETENTION.nodeIn(map).asText() + "): a held event is looked up as "
                    + "of its own time, which must still be within the history");
        }
        return new VersionedConfig(historyRetention, grace);
    }

    /**
     * The partition count a partitioned join's topology is built for. Optional: when omitted the application
     * reads it from the broker at start-up; when given, start-up fails if the table topic has another count.
     */
    private int readPartitions(ObjectNode map, String path, Materialization materialization) {
        if (JoinKeys.PARTITIONS.isSetIn(map) && materialization != Materialization.PARTITIONED) {
            problems.add(JoinKeys.PARTITIONS.pathIn(path), "only for materialization: partitioned (a global store "
                    + "needs no partition count)");
            return JoinConfig.PARTITIONS_FROM_BROKER;
        }
        return JoinKeys.PARTITIONS.read(map, path, problems);
    }

    private FilterConfig readFilter(ObjectNode map, EventConfig event) {
        if (map == null) {
            return null;
        }
        String path = RootKeys.FILTER.path();
        FilterKeys.SECTION.rejectUnknownKeys(map, path, problems);
        List<String> appliesTo = FilterKeys.APPLIES_TO.readOr(map, path, problems, event.types());
        validateAppliesTo(appliesTo, event, FilterKeys.APPLIES_TO.pathIn(path));
        String field = FilterKeys.FIELD.read(map, path, problems);
        FilterOp op = FilterKeys.OP.read(map, path, problems);
        JsonNode value = FilterKeys.VALUE.nodeIn(map);
        String valuePath = FilterKeys.VALUE.pathIn(path);
        BigDecimal number = null;
        String text = null;
        if (op == FilterOp.EXISTS) {
            if (value != null) {
                problems.add(valuePath, "not allowed with op: exists");
            }
        } else if (value == null || value.isNull()) {
            problems.add(valuePath, "required with op: " + (op == null ? "..." : op.yamlName()));
        } else if (value.isNumber()) {
            number = value.decimalValue();
        } else if (value.isTextual() && (op == null || !op.isOrdering())) {
            text = value.asText();
        } else {
            problems.add(valuePath, op != null && op.isOrdering() ? "must be a number with op: " + op.yamlName()
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
            for (ConfigKey<?> key : List.of(RootKeys.REGISTRY, RootKeys.OUTPUT_SCHEMA)) {
                if (root.has(key.name())) {
                    problem(key.path(), "only with " + RootKeys.FORMAT.name() + ": avro");
                }
            }
            return null;
        }
        ObjectNode registry = requiredWithAvro(RootKeys.REGISTRY, root);
        String url = null;
        Map<String, String> properties = Map.of();
        if (registry != null) {
            String path = RootKeys.REGISTRY.path();
            RegistryKeys.SECTION.rejectUnknownKeys(registry, path, problems);
            url = RegistryKeys.URL.read(registry, path, problems);
            properties = RegistryKeys.PROPERTIES.read(registry, path, problems);
            if (properties.containsKey(AvroConfig.REGISTRY_URL_PROPERTY)) {
                problem(RegistryKeys.PROPERTIES.path() + "." + AvroConfig.REGISTRY_URL_PROPERTY,
                        "set it with " + RegistryKeys.URL.path());
            }
        }
        String location = requiredWithAvro(RootKeys.OUTPUT_SCHEMA, root);
        org.apache.avro.Schema schema = location == null ? null : readOutputSchema(location);
        if (url == null || schema == null) {
            return null;
        }
        return new AvroConfig(url, properties, location, schema);
    }

    /** A top-level key that only {@code format: avro} requires. */
    private <T> T requiredWithAvro(ConfigKey<T> key, ObjectNode root) {
        if (!key.isSetIn(root)) {
            problem(key.path(), "required");
            return null;
        }
        return key.read(root, "", problems);
    }

    private org.apache.avro.Schema readOutputSchema(String location) {
        String path = RootKeys.OUTPUT_SCHEMA.path();
        String text;
        try {
            if (location.startsWith(CLASSPATH_PREFIX)) {
                String resource = location.substring(CLASSPATH_PREFIX.length());
                try (java.io.InputStream in = EnricherConfigLoader.class.getResourceAsStream(
                        resource.startsWith("/") ? resource : "/" + resource)) {
                    if (in == null) {
                        problem(path, "no resource '" + resource + "' on the classpath");
                        return null;
                    }
                    text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            } else {
                text = Files.readString(Path.of(location), StandardCharsets.UTF_8);
            }
        } catch (IOException | java.nio.file.InvalidPathException e) {
            problem(path, "cannot read '" + location + "': " + e.getClass().getSimpleName() + " "
                    + e.getMessage());
            return null;
        }
        org.apache.avro.Schema schema;
        try {
            schema = new org.apache.avro.Schema.Parser().parse(text);
        } catch (RuntimeException e) {
            problem(path, "'" + location + "' is not a valid Avro schema: " + e.getMessage());
            return null;
        }
        if (schema.getType() != org.apache.avro.Schema.Type.RECORD) {
            problem(path, "'" + location + "' must be an Avro record schema (is " + schema.getType()
                    .getName() + ")");
            return null;
        }
        return schema;
    }

    // ---- cross-field rules ----------------------------------------------------------------------------

    /** The same topic in two roles would loop records or feed one global store twice. */
    private void validateDistinctTopics(TopicsConfig topics, List<JoinConfig> joins) {
        Map<String, String> roleByTopic = new HashMap<>();
        claimTopic(roleByTopic, topics.events(), TopicsKeys.EVENTS.path());
        claimTopic(roleByTopic, topics.output(), TopicsKeys.OUTPUT.path());
        claimTopic(roleByTopic, topics.deadLetter(), TopicsKeys.DEAD_LETTER.path());
        for (int i = 0; i < joins.size(); i++) {
            claimTopic(roleByTopic, joins.get(i).topic(), JoinKeys.TOPIC.pathAt(i));
        }
    }

    private void claimTopic(Map<String, String> roleByTopic, String topic, String path) {
        String previous = roleByTopic.putIfAbsent(topic, path);
        if (previous != null) {
            problem(path, "topic '" + topic + "' is already used as " + previous);
        }
    }

    private void validateUniqueJoinNames(List<JoinConfig> joins) {
        validateUnique(joins, JoinConfig::name, JoinKeys.NAME, "join name");
    }

    private void validateUniqueOutputNames(List<JoinConfig> joins) {
        validateUnique(joins, JoinConfig::as, JoinKeys.AS, "output field");
    }

    private void validateUnique(List<JoinConfig> joins, Function<JoinConfig, String> attribute, ConfigKey<String> key,
                                String what) {
        Map<String, Integer> firstIndex = new HashMap<>();
        for (int i = 0; i < joins.size(); i++) {
            String value = attribute.apply(joins.get(i));
            Integer previous = firstIndex.putIfAbsent(value, i);
            if (previous != null) {
                problem(key.pathAt(i), "duplicate " + what + " '" + value + "' (also "
                        + JoinKeys.SECTION.itemPath(previous) + ")");
            }
        }
    }

    /**
     * An output field named like the top-level field holding the type or a foreign key would be present in
     * every event, so every event would be dead-lettered as a conflict: refuse it at start-up instead.
     */
    private void validateOutputNamesDoNotShadowInputs(List<JoinConfig> joins, EventConfig event) {
        Map<String, String> inputFields = new HashMap<>();
        inputFields.put(firstSegment(event.typeField()), EventKeys.TYPE_FIELD.path());
        VersionGuardConfig guard = event.versionGuard();
        if (guard != null) {
            inputFields.putIfAbsent(firstSegment(guard.versionField()), EventKeys.VERSION_FIELD.path());
            if (guard.expectedVersionField() != null) {
                inputFields.putIfAbsent(firstSegment(guard.expectedVersionField()),
                        EventKeys.EXPECTED_VERSION_FIELD.path());
            }
        }
        for (int i = 0; i < joins.size(); i++) {
            inputFields.putIfAbsent(firstSegment(joins.get(i).foreignKey()), JoinKeys.FOREIGN_KEY.pathAt(i));
        }
        for (int i = 0; i < joins.size(); i++) {
            String as = joins.get(i).as();
            String usedBy = inputFields.get(as);
            if (usedBy != null) {
                problem(JoinKeys.AS.pathAt(i), "output field '" + as + "' would overwrite the event field read by "
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
                problem(JoinKeys.MATERIALIZATION.pathAt(i), "format: avro supports materialization: global only "
                        + "(a partitioned store is restored from the raw table topic)");
            }
        }
    }

    /**
     * Under at-least-once a crash can leave an entity's version stored (its changelog record sent) while the output
     * record was lost; the redelivered event is then dropped as a duplicate, and lost. Exactly-once commits both or
     * neither, so the guard requires it.
     */
    private void validateVersionGuardIsExactlyOnce(EventConfig event, Map<String, String> kafka) {
        String guarantee = kafka == null ? null : kafka.get(KafkaKeys.PROCESSING_GUARANTEE.name());
        if (event.versionGuard() != null && guarantee != null && !guarantee.equals(StreamsConfig.EXACTLY_ONCE_V2)) {
            problem(KafkaKeys.PROCESSING_GUARANTEE.pathIn(RootKeys.KAFKA.path()), "the version guard ("
                    + EventKeys.VERSION_FIELD.path() + ") needs " + StreamsConfig.EXACTLY_ONCE_V2 + ": under '"
                    + guarantee + "' a crash can store an entity's version while its output is lost, and the "
                    + "redelivered event would then be dropped as a duplicate");
        }
    }

    /** The filter runs before the enrichment, so it can only see event fields, never what a join writes. */
    private void validateFilterDoesNotReadOutputs(FilterConfig filter, List<JoinConfig> joins) {
        if (filter == null) {
            return;
        }
        String first = firstSegment(filter.field());
        if (first.equals(STATUS_FIELD) || joins.stream().anyMatch(j -> j.as().equals(first))) {
            problem(FilterKeys.FIELD.path(), "'" + filter.field() + "' is written by the enrichment; the filter runs "
                    + "before it and sees only the event's own fields");
        }
    }

    private void validateAppliesTo(List<String> appliesTo, EventConfig event, String path) {
        if (appliesTo.isEmpty()) {
            problem(path, "must list at least one event type (omit it to apply to all types)");
        }
        for (String type : appliesTo) {
            if (!event.types().contains(type)) {
                problem(path, "unknown event type '" + type + "' (" + EventKeys.TYPES.path() + " is " + event.types()
                        + ")");
            }
        }
        Check.noDuplicates().problemsWith(appliesTo).forEach(message -> problem(path, message));
    }

    private static String firstSegment(String fieldPath) {
        int dot = fieldPath.indexOf('.');
        return dot < 0 ? fieldPath : fieldPath.substring(0, dot);
    }

    private void problem(String path, String message) {
        problems.add(path, message);
    }
}
