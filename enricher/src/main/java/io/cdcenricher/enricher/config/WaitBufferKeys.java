package io.cdcenricher.enricher.config;

import java.time.Duration;

/** The keys of {@code waitBuffer}: the bounds, per task, of the buffer holding events of waiting joins. */
public final class WaitBufferKeys {

    public static final ConfigSection SECTION = ConfigSection.of(RootKeys.WAIT_BUFFER);

    public static final ConfigKey<Long> MAX_RECORDS = SECTION.key("maxRecords",
                    ValueType.positiveLong("must be a positive whole number of events"))
            .defaultValue(100_000L)
            .doc("held events per task, at most")
            .define();
    public static final ConfigKey<Long> MAX_BYTES = SECTION.key("maxBytes", ValueType.BYTE_SIZE)
            .defaultValue(64L * 1024 * 1024)
            .doc("serialized bytes of held events per task, at most")
            .define();
    public static final ConfigKey<OnOverflow> ON_OVERFLOW = SECTION.key("onOverflow",
                    ValueType.oneOf(OnOverflow.class, OnOverflow::yamlName))
            .defaultValue(OnOverflow.EMIT_MISS)
            .doc("a full buffer releases the oldest entity's events: `emit-miss` joins them now, `dead-letter` "
                    + "sends those still missing their row to the dead-letter topic (reason `wait-overflow`)")
            .define();
    public static final ConfigKey<OnTimeout> ON_TIMEOUT = SECTION.key("onTimeout",
                    ValueType.oneOf(OnTimeout.class, OnTimeout::yamlName))
            .defaultValue(OnTimeout.EMIT)
            .doc("the default of `joins[].onTimeout`")
            .define();
    public static final ConfigKey<Duration> CHECK_INTERVAL = SECTION.key("checkInterval", ValueType.DURATION)
            .defaultValue(Duration.ofMillis(200))
            .doc("how often (wall-clock) held events are checked for their rows and their deadline")
            .define();

    private WaitBufferKeys() {
    }
}
