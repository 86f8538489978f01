package io.cdcenricher.enricher.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EnricherConfigLoaderTest {

    private static final String FULL = """
            applicationId: enricher-demo
            bootstrapServers: 127.0.0.1:9092
            kafka:
              processing.guarantee: at_least_once
              num.stream.threads: 2
            topics:
              events: shop.orders
              output: shop.orders.enriched
              deadLetter: shop.orders.dlq
            event:
              typeField: type
              types: [create, update, delete]
            maxRecordBytes: 500000
            joins:
              - name: customer
                topic: demo.shop.customers
                foreignKey: customerId
                tableKeyField: id
                fields: [name, tier]
                materialization: global
                store: in-memory
                appliesTo: [create]
                onMiss: dead-letter
                as: client
              - name: product
                topic: demo.shop.products
                foreignKey: order.product.sku
            """;

    private static final String MINIMAL = """
            applicationId: enricher-demo
            bootstrapServers: 127.0.0.1:9092
            topics: {events: shop.orders, output: shop.orders.enriched, deadLetter: shop.orders.dlq}
            joins:
              - {name: customer, topic: demo.shop.customers, foreignKey: customerId}
            """;

    private static List<String> problemsOf(String yaml) {
        try {
            EnricherConfigLoader.parse(yaml);
        } catch (InvalidConfigException e) {
            return e.problems().stream().map(InvalidConfigException.Problem::toString).toList();
        }
        throw new AssertionError("expected the configuration to be rejected");
    }

    /** MINIMAL with the join's flow mapping replaced by the given block lines. */
    private static String withJoins(String joinsBlock) {
        return MINIMAL.substring(0, MINIMAL.indexOf("joins:")) + "joins:\n" + joinsBlock;
    }

    @Test
    void shouldReadEveryKey() {
        EnricherConfig config = EnricherConfigLoader.parse(FULL);

        assertThat(config.applicationId()).isEqualTo("enricher-demo");
        assertThat(config.bootstrapServers()).isEqualTo("127.0.0.1:9092");
        assertThat(config.kafka()).containsEntry("processing.guarantee", "at_least_once")
                .containsEntry("num.stream.threads", "2");
        assertThat(config.topics()).isEqualTo(new TopicsConfig("shop.orders", "shop.orders.enriched",
                "shop.orders.dlq"));
        assertThat(config.maxRecordBytes()).isEqualTo(500_000);
        assertThat(config.joins().get(0)).isEqualTo(JoinConfig.builder("customer", "demo.shop.customers", "customerId")
                .fields(List.of("name", "tier")).store(StoreType.IN_MEMORY).appliesTo(Set.of("create"))
                .onMiss(OnMiss.DEAD_LETTER).as("client").build());
    }

    @Test
    void shouldApplyDefaults() {
        EnricherConfig config = EnricherConfigLoader.parse(MINIMAL);

        assertThat(config.event()).isEqualTo(new EventConfig("type", List.of("create", "update", "delete")));
        assertThat(config.maxRecordBytes()).isEqualTo(1_000_000);
        assertThat(config.kafka()).isEmpty();
        assertThat(config.joins()).containsExactly(new JoinConfig("customer", "demo.shop.customers", "customerId",
                "id", List.of(), Materialization.GLOBAL, StoreType.ROCKSDB, Set.of("create", "update", "delete"),
                OnMiss.EMIT, "customer", JoinConfig.PARTITIONS_FROM_BROKER, Duration.ofHours(24), WaitConfig.NONE,
                VersionedConfig.NONE, CaptureConfig.NONE, null));
    }

    @Test
    void shouldDefaultToExactlyOnceV2AndLetPassThroughPropertiesWin() {
        Properties defaults = EnricherConfigLoader.parse(MINIMAL).streamsProperties();
        Properties overridden = EnricherConfigLoader.parse(FULL).streamsProperties();

        assertThat(defaults).containsEntry("application.id", "enricher-demo")
                .containsEntry("bootstrap.servers", "127.0.0.1:9092")
                .containsEntry("processing.guarantee", "exactly_once_v2")
                .containsEntry("errors.dead.letter.queue.topic.name", "shop.orders.dlq");
        assertThat(overridden).containsEntry("processing.guarantee", "at_least_once")
                .containsEntry("num.stream.threads", "2");
    }

    @Test
    void shouldLingerFiveMillisecondsNotKafkaStreamsHundredUnlessTheUserSetsIt() {
        assertThat(EnricherConfigLoader.parse(MINIMAL).streamsProperties()).containsEntry("linger.ms", "5");
        assertThat(EnricherConfigLoader.parse(MINIMAL.replace("joins:", "kafka: {linger.ms: 100}\njoins:"))
                .streamsProperties()).containsEntry("linger.ms", "100");
        assertThat(EnricherConfigLoader.parse(MINIMAL.replace("joins:", "kafka: {linger.ms: 0}\njoins:"))
                .streamsProperties()).containsEntry("linger.ms", "0");
    }

    @Test
    void shouldReadTheVersionGuardAndLeaveItOffByDefault() {
        assertThat(EnricherConfigLoader.parse(MINIMAL).event().versionGuard()).isNull();

        VersionGuardConfig guard = EnricherConfigLoader.parse(MINIMAL.replace("joins:", """
                event:
                  types: [created, changed, removed]
                  versionField: meta.version
                  expectedVersionField: meta.expected
                  deleteType: removed
                  onVersionConflict: output
                  onDuplicate: dead-letter
                  onEntityDeleted: drop
                joins:""")).event().versionGuard();

        assertThat(guard).isEqualTo(new VersionGuardConfig("meta.version", "meta.expected", "removed",
                VersionAction.OUTPUT, VersionAction.DEAD_LETTER, VersionAction.DROP));
        assertThat(EnricherConfigLoader.parse(MINIMAL.replace("joins:", "event: {versionField: v}\njoins:"))
                .event().versionGuard()).isEqualTo(new VersionGuardConfig("v", null, "delete",
                VersionAction.DEAD_LETTER, VersionAction.DROP, VersionAction.DEAD_LETTER));
    }

    @Test
    void shouldNameTheBadVersionGuardKey() {
        assertThat(problemsOf(MINIMAL.replace("joins:", "event: {onDuplicate: output}\njoins:")))
                .containsExactly("event.onDuplicate: needs event.versionField (the version guard is off without it)");
        assertThat(problemsOf(MINIMAL.replace("joins:", "event: {versionField: v, deleteType: remove}\njoins:")))
                .containsExactly("event.deleteType: unknown event type 'remove' (event.types is [create, update, "
                        + "delete])");
        assertThat(problemsOf(MINIMAL.replace("joins:", "event: {versionField: v, onDuplicate: ignore}\njoins:")))
                .singleElement().asString().startsWith("event.onDuplicate: ");
        assertThat(problemsOf(MINIMAL.replace("joins:", "event: {versionField: v, expectedVersionField: v}\njoins:")))
                .containsExactly("event.expectedVersionField: must differ from event.versionField ('v')");
        assertThat(problemsOf(MINIMAL.replace("joins:", "event: {versionField: v}\n"
                + "kafka: {processing.guarantee: at_least_once}\njoins:"))).singleElement().asString()
                .startsWith("kafka.processing.guarantee: the version guard (event.versionField) needs exactly_once_v2");
        assertThat(problemsOf(MINIMAL.replace("joins:", "event: {versionField: customer.v}\njoins:")))
                .singleElement().asString().startsWith("joins[0].as: output field 'customer' would overwrite the "
                        + "event field read by event.versionField");
    }

    @Test
    void shouldRejectUnknownKeyWithItsPath() {
        assertThat(problemsOf(MINIMAL.replace("joins:", "tpoics: {}\njoins:")))
                .singleElement().asString().startsWith("tpoics: unknown key");
        assertThat(problemsOf(withJoins("  - {name: c, topic: t, foreignKey: f, onMis: emit}\n")))
                .singleElement().asString().startsWith("joins[0].onMis: unknown key");
    }

    @Test
    void shouldNameMissingRequiredKey() {
        assertThat(problemsOf(withJoins("""
                  - {name: a, topic: ta, foreignKey: fa}
                  - {name: b, topic: tb}
                """))).containsExactly("joins[1].foreignKey: required");
        assertThat(problemsOf(MINIMAL.replace("applicationId: enricher-demo\n", "")))
                .containsExactly("applicationId: required");
        assertThat(problemsOf(MINIMAL.replace(", deadLetter: shop.orders.dlq", "")))
                .containsExactly("topics.deadLetter: required");
    }

    @Test
    void shouldReadPartitionedJoinWithPartitionCountAndDeletedRetention() {
        JoinConfig join = EnricherConfigLoader.parse(withJoins("""
                  - {name: c, topic: t, foreignKey: f, materialization: partitioned, partitions: 6,
                     deletedRetention: 36h}
                """)).joins().get(0);

        assertThat(join.materialization()).isEqualTo(Materialization.PARTITIONED);
        assertThat(join.partitions()).isEqualTo(6);
        assertThat(join.deletedRetention()).isEqualTo(Duration.ofHours(36));
    }

    @Test
    void shouldLeavePartitionCountToTheBrokerWhenOmitted() {
        JoinConfig join = EnricherConfigLoader.parse(withJoins(
                "  - {name: c, topic: t, foreignKey: f, materialization: partitioned}\n")).joins().get(0);

        assertThat(join.partitions()).isEqualTo(JoinConfig.PARTITIONS_FROM_BROKER);
        assertThat(join.deletedRetention()).isEqualTo(Duration.ofHours(24));
    }

    @Test
    void shouldRejectPartitionCountOnGlobalJoin() {
        assertThat(problemsOf(withJoins("  - {name: c, topic: t, foreignKey: f, partitions: 3}\n")))
                .containsExactly("joins[0].partitions: only for materialization: partitioned (a global store needs "
                        + "no partition count)");
    }

    @Test
    void shouldRejectPartitionCountThatIsNotPositive() {
        assertThat(problemsOf(withJoins(
                "  - {name: c, topic: t, foreignKey: f, materialization: partitioned, partitions: 0}\n")))
                .singleElement().asString().startsWith("joins[0].partitions: must be a positive whole number");
        assertThat(problemsOf(withJoins(
                "  - {name: c, topic: t, foreignKey: f, materialization: partitioned, partitions: two}\n")))
                .singleElement().asString().startsWith("joins[0].partitions: must be a positive whole number");
    }

    @Test
    void shouldReadDeletedRetentionInShortAndIsoForm() {
        assertThat(EnricherConfigLoader.parse(withJoins("  - {name: c, topic: t, foreignKey: f, deletedRetention: "
                + "PT90M}\n")).joins().get(0).deletedRetention()).isEqualTo(Duration.ofMinutes(90));
        assertThat(EnricherConfigLoader.parse(withJoins("  - {name: c, topic: t, foreignKey: f, deletedRetention: "
                + "7d}\n")).joins().get(0).deletedRetention()).isEqualTo(Duration.ofDays(7));
        assertThat(EnricherConfigLoader.parse(withJoins("  - {name: c, topic: t, foreignKey: f, deletedRetention: "
                + "500ms}\n")).joins().get(0).deletedRetention()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void shouldRejectBadDeletedRetention() {
        assertThat(problemsOf(withJoins("  - {name: c, topic: t, foreignKey: f, deletedRetention: 24 hours}\n")))
                .containsExactly("joins[0].deletedRetention: must be a positive duration like 24h, 30m, 7d or "
                        + "ISO-8601 PT24H (was '24 hours')");
        assertThat(problemsOf(withJoins("  - {name: c, topic: t, foreignKey: f, deletedRetention: PT0S}\n")))
                .singleElement().asString().startsWith("joins[0].deletedRetention: must be a positive duration");
    }

    @Test
    void shouldReadFilter() {
        FilterConfig filter = EnricherConfigLoader.parse(MINIMAL + """
                filter: {appliesTo: [create], field: order.amount, op: gte, value: 10.5}
                """).filter();

        assertThat(filter).isEqualTo(new FilterConfig(Set.of("create"), "order.amount", FilterOp.GTE,
                new java.math.BigDecimal("10.5"), null));
    }

    @Test
    void shouldApplyFilterToAllTypesWhenAppliesToIsOmitted() {
        FilterConfig filter = EnricherConfigLoader.parse(MINIMAL + "filter: {field: channel, op: eq, value: web}\n")
                .filter();

        assertThat(filter.appliesTo()).containsExactlyInAnyOrder("create", "update", "delete");
        assertThat(filter.text()).isEqualTo("web");
    }

    @Test
    void shouldRejectFilterWithoutOpOrValue() {
        assertThat(problemsOf(MINIMAL + "filter: {field: amount}\n")).containsExactly(
                "filter.op: required (one of: eq, ne, gt, gte, lt, lte, exists)", "filter.value: required with op: ...");
        assertThat(problemsOf(MINIMAL + "filter: {field: amount, op: gt}\n"))
                .containsExactly("filter.value: required with op: gt");
    }

    @Test
    void shouldRejectFilterValueWithExists() {
        assertThat(problemsOf(MINIMAL + "filter: {field: amount, op: exists, value: 1}\n"))
                .containsExactly("filter.value: not allowed with op: exists");
    }

    @Test
    void shouldRejectTextValueForOrderingFilter() {
        assertThat(problemsOf(MINIMAL + "filter: {field: amount, op: lt, value: ten}\n"))
                .containsExactly("filter.value: must be a number with op: lt");
    }

    @Test
    void shouldRejectFilterOnFieldTheEnrichmentWrites() {
        assertThat(problemsOf(MINIMAL + "filter: {field: customer.tier, op: eq, value: gold}\n"))
                .singleElement().asString().startsWith("filter.field: 'customer.tier' is written by the enrichment");
    }

    @Test
    void shouldRejectFilterAppliesToUnknownType() {
        assertThat(problemsOf(MINIMAL + "filter: {appliesTo: [upsert], field: amount, op: exists}\n"))
                .containsExactly("filter.appliesTo: unknown event type 'upsert' (event.types is "
                        + "[create, update, delete])");
    }

    @Test
    void shouldRejectUnknownMaterialization() {
        assertThat(problemsOf(withJoins("  - {name: c, topic: t, foreignKey: f, materialization: local}\n")))
                .containsExactly("joins[0].materialization: must be one of: global, partitioned (was 'local')");
    }

    @Test
    void shouldRejectBadOnMiss() {
        assertThat(problemsOf(withJoins("  - {name: c, topic: t, foreignKey: f, onMiss: drop}\n")))
                .containsExactly("joins[0].onMiss: must be one of: emit, dead-letter, wait (was 'drop')");
    }

    @Test
    void shouldReadWaitWithDefaultsAndJoinOverrides() {
        EnricherConfig config = EnricherConfigLoader.parse(withJoins("""
                  - {name: a, topic: ta, foreignKey: fa, onMiss: wait}
                  - {name: b, topic: tb, foreignKey: fb, onMiss: wait, maxWait: 5m, onTimeout: dead-letter}
                """));

        assertThat(config.joins()).extracting(j -> j.waiting().maxWait(), j -> j.waiting().onTimeout()).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Duration.ofSeconds(30), OnTimeout.EMIT),
                org.assertj.core.groups.Tuple.tuple(Duration.ofMinutes(5), OnTimeout.DEAD_LETTER));
        assertThat(config.waitBuffer()).isEqualTo(WaitBufferConfig.DEFAULTS);
        assertThat(config.hasWaitingJoins()).isTrue();
    }

    @Test
    void shouldReadWaitBufferAndUseItsOnTimeoutAsTheJoinDefault() {
        EnricherConfig config = EnricherConfigLoader.parse(MINIMAL.replace("joins:", """
                waitBuffer: {maxRecords: 10, maxBytes: 64MB, onOverflow: dead-letter, onTimeout: dead-letter,
                             checkInterval: 100ms}
                joins:""").replace("foreignKey: customerId}", "foreignKey: customerId, onMiss: wait}"));

        assertThat(config.waitBuffer()).isEqualTo(new WaitBufferConfig(10, 64L * 1024 * 1024, OnOverflow.DEAD_LETTER,
                OnTimeout.DEAD_LETTER, Duration.ofMillis(100)));
        assertThat(config.joins().get(0).waiting().onTimeout()).isEqualTo(OnTimeout.DEAD_LETTER);
    }

    @Test
    void shouldRejectWaitForPartitionedJoinsNamingTheKey() {
        assertThat(problemsOf(withJoins(
                "  - {name: c, topic: t, foreignKey: f, onMiss: wait, materialization: partitioned}\n")))
                .singleElement().asString()
                .startsWith("joins[0].onMiss: 'wait' is supported for materialization: global only");
    }

    @Test
    void shouldRejectWaitKeysWithoutWait() {
        assertThat(problemsOf(withJoins("  - {name: c, topic: t, foreignKey: f, maxWait: 5s, onTimeout: emit}\n")))
                .containsExactly("joins[0].maxWait: only with onMiss: wait", "joins[0].onTimeout: only with onMiss: wait");
    }

    @Test
    void shouldRejectBadWaitBufferValues() {
        assertThat(problemsOf(MINIMAL.replace("joins:",
                "waitBuffer: {maxRecords: 0, maxBytes: lots, onOverflow: drop}\njoins:"))).containsExactly(
                "waitBuffer.maxRecords: must be a positive whole number of events",
                "waitBuffer.maxBytes: must be a positive size like 67108864, 512KB, 64MB or 1GB (was 'lots')",
                "waitBuffer.onOverflow: must be one of: emit-miss, dead-letter (was 'drop')");
    }

    @Test
    void shouldReadVersionedPartitionedJoinAndEventTimestampField() {
        EnricherConfig config = EnricherConfigLoader.parse(MINIMAL.replace("joins:", "event: {timestampField: meta.ts}\njoins:")
                .replace("foreignKey: customerId}", "foreignKey: customerId, materialization: partitioned,\n"
                        + "     versioned: {historyRetention: 7d}}"));

        assertThat(config.event().timestampField()).isEqualTo("meta.ts");
        assertThat(config.joins().get(0).versioned().historyRetention()).isEqualTo(Duration.ofDays(7));
        assertThat(config.joins().get(0).isVersioned()).isTrue();
    }

    @Test
    void shouldRejectVersionedGlobalOrInMemoryJoinAndMissingRetention() {
        assertThat(problemsOf(withJoins("""
                  - {name: a, topic: ta, foreignKey: fa, versioned: {historyRetention: 7d}}
                  - {name: b, topic: tb, foreignKey: fb, materialization: partitioned, store: in-memory,
                     versioned: {historyRetention: 7d}}
                  - {name: c, topic: tc, foreignKey: fc, materialization: partitioned, versioned: {}}
                """))).containsExactly(
                "joins[0].versioned: only for materialization: partitioned (a global store holds the latest row only)",
                "joins[1].versioned: a versioned table is held in RocksDB; remove store: in-memory",
                "joins[2].versioned.historyRetention: required (how far back lookups as of the event time reach, e.g. 7d)");
    }

    @Test
    void shouldReadVersionedGraceAndDefaultItToZero() {
        EnricherConfig config = EnricherConfigLoader.parse(withJoins("""
                  - {name: a, topic: ta, foreignKey: fa, materialization: partitioned,
                     versioned: {historyRetention: 7d, grace: 5s}}
                  - {name: b, topic: tb, foreignKey: fb, materialization: partitioned, versioned: {historyRetention: 7d}}
                  - {name: c, topic: tc, foreignKey: fc}
                """));

        assertThat(config.joins()).extracting(j -> j.versioned().grace())
                .containsExactly(Duration.ofSeconds(5), Duration.ZERO, null);
    }

    @Test
    void shouldRejectNegativeGraceGraceLongerThanTheHistoryAndGraceWithoutAVersionedTable() {
        assertThat(problemsOf(withJoins("""
                  - {name: a, topic: ta, foreignKey: fa, materialization: partitioned,
                     versioned: {historyRetention: 7d, grace: PT-5S}}
                  - {name: b, topic: tb, foreignKey: fb, materialization: partitioned,
                     versioned: {historyRetention: 1h, grace: 2h}}
                  - {name: c, topic: tc, foreignKey: fc, materialization: partitioned, versioned: {grace: 5s}}
                  - {name: d, topic: td, foreignKey: fd, versioned: {historyRetention: 7d, grace: 5s}}
                  - {name: e, topic: te, foreignKey: fe, materialization: partitioned, grace: 5s}
                """))).containsExactly(
                "joins[0].versioned.grace: must be 0 or a positive duration like 5s, 500ms or ISO-8601 PT5S "
                        + "(was 'PT-5S')",
                "joins[1].versioned.grace: must not exceed historyRetention (1h): a held event is looked up as of "
                        + "its own time, which must still be within the history",
                "joins[2].versioned.historyRetention: required (how far back lookups as of the event time reach, "
                        + "e.g. 7d)",
                "joins[3].versioned: only for materialization: partitioned (a global store holds the latest row only)",
                "joins[4].grace: unknown key (known keys: appliesTo, as, deletedRetention, fields, foreignKey, "
                        + "heartbeatTopic, materialization, maxCaptureLag, maxWait, name, onMiss, onTimeout, partitions, store, tableKeyField, topic, "
                        + "versionField, versioned)");
    }

    @Test
    void shouldReadHeartbeatTopicAndCaptureLagBound() {
        EnricherConfig config = EnricherConfigLoader.parse(withJoins("""
                  - name: c
                    topic: t
                    foreignKey: f
                    heartbeatTopic: __debezium-heartbeat.demo
                    maxCaptureLag: 15s
                  - {name: d, topic: u, foreignKey: g, heartbeatTopic: __debezium-heartbeat.demo}
                """));

        assertThat(config.joins().get(0).capture())
                .isEqualTo(new CaptureConfig("__debezium-heartbeat.demo", Duration.ofSeconds(15)));
        assertThat(config.joins().get(1).capture()).isEqualTo(new CaptureConfig("__debezium-heartbeat.demo", null));
        assertThat(EnricherConfigLoader.parse(MINIMAL).joins().get(0).capture()).isEqualTo(CaptureConfig.NONE);
    }

    @Test
    void shouldRejectACaptureLagBoundWithoutHeartbeatsAndBadHeartbeatTopics() {
        assertThat(problemsOf(withJoins("  - {name: c, topic: t, foreignKey: f, maxCaptureLag: 15s}\n")))
                .singleElement().asString().startsWith("joins[0].maxCaptureLag: needs heartbeatTopic");
        assertThat(problemsOf(withJoins(
                "  - {name: c, topic: t, foreignKey: f, heartbeatTopic: 'a b', maxCaptureLag: 0s}\n")))
                .anySatisfy(p -> assertThat(p).startsWith("joins[0].heartbeatTopic: must be a Kafka topic name"))
                .anySatisfy(p -> assertThat(p).startsWith("joins[0].maxCaptureLag: must be a positive duration"));
    }

    @Test
    void shouldRejectDuplicateJoinNames() {
        assertThat(problemsOf(withJoins("""
                  - {name: customer, topic: ta, foreignKey: fa, as: a}
                  - {name: customer, topic: tb, foreignKey: fb, as: b}
                """))).containsExactly("joins[1].name: duplicate join name 'customer' (also joins[0])");
    }

    @Test
    void shouldRejectDuplicateOutputNames() {
        assertThat(problemsOf(withJoins("""
                  - {name: customer, topic: ta, foreignKey: fa}
                  - {name: buyer, topic: tb, foreignKey: fb, as: customer}
                """))).containsExactly("joins[1].as: duplicate output field 'customer' (also joins[0])");
    }

    @Test
    void shouldRejectOutputNameReservedForStatus() {
        assertThat(problemsOf(withJoins("  - {name: c, topic: t, foreignKey: f, as: enrichment}\n")))
                .singleElement().asString().startsWith("joins[0].as: 'enrichment' is reserved");
    }

    @Test
    void shouldRejectOutputNameThatShadowsTheForeignKeyField() {
        assertThat(problemsOf(withJoins("  - {name: customer, topic: t, foreignKey: customer.id}\n")))
                .singleElement().asString().startsWith("joins[0].as: output field 'customer' would overwrite");
    }

    @Test
    void shouldRejectAppliesToWithUnknownType() {
        assertThat(problemsOf(withJoins("  - {name: c, topic: t, foreignKey: f, appliesTo: [create, upsert]}\n")))
                .containsExactly("joins[0].appliesTo: unknown event type 'upsert' (event.types is "
                        + "[create, update, delete])");
    }

    @Test
    void shouldRejectTopicUsedTwice() {
        assertThat(problemsOf(withJoins("  - {name: c, topic: shop.orders, foreignKey: f}\n")))
                .containsExactly("joins[0].topic: topic 'shop.orders' is already used as topics.events");
    }

    @Test
    void shouldRejectWrongValueTypes() {
        assertThat(problemsOf(MINIMAL.replace("joins:", "maxRecordBytes: big\njoins:")))
                .containsExactly("maxRecordBytes: must be a positive whole number of bytes");
        assertThat(problemsOf(withJoins("  - {name: c, topic: t, foreignKey: f, fields: name}\n")))
                .containsExactly("joins[0].fields: must be a list, e.g. [a, b]");
        assertThat(problemsOf(withJoins("  - {name: c, topic: t, foreignKey: 'a..b'}\n")))
                .singleElement().asString().startsWith("joins[0].foreignKey: 'a..b' is not a dotted field path");
        assertThat(problemsOf(MINIMAL.replace("joins:", "kafka: {application.id: x}\njoins:")))
                .singleElement().asString().startsWith("kafka.application.id: set it with the top-level key");
    }

    @Test
    void shouldReportAllProblemsAtOnce() {
        assertThat(problemsOf("""
                applicationId: x
                topics: {events: e, output: o}
                joins:
                  - {name: c, foreignKey: f, materialization: local}
                """)).hasSize(4).anySatisfy(p -> assertThat(p).startsWith("bootstrapServers: required"))
                .anySatisfy(p -> assertThat(p).startsWith("topics.deadLetter: required"))
                .anySatisfy(p -> assertThat(p).startsWith("joins[0].topic: required"))
                .anySatisfy(p -> assertThat(p).startsWith("joins[0].materialization:"));
    }

    @Test
    void shouldRejectEmptyAndNonMappingDocuments() {
        assertThatThrownBy(() -> EnricherConfigLoader.parse("")).isInstanceOf(InvalidConfigException.class)
                .hasMessage("the configuration is empty");
        assertThat(problemsOf("- a\n- b\n")).containsExactly("must be a mapping of keys to values");
        assertThat(problemsOf("a: [")).singleElement().asString().startsWith("not valid YAML");
    }
}
