package io.cdcenricher.enricher.config;

/** The keys of {@code topics}: the application's own topics. */
public final class TopicsKeys {

    public static final ConfigSection SECTION = ConfigSection.of(RootKeys.TOPICS);

    public static final ConfigKey<String> EVENTS = SECTION.key("events", ValueType.TEXT)
            .required()
            .doc("the input events: key = entity id, value = the event")
            .define();
    public static final ConfigKey<String> OUTPUT = SECTION.key("output", ValueType.TEXT)
            .required()
            .doc("the enriched events")
            .define();
    public static final ConfigKey<String> DEAD_LETTER = SECTION.key("deadLetter", ValueType.TEXT)
            .required()
            .doc("records that could not be enriched, unchanged, with `dlq.*` headers")
            .define();

    private TopicsKeys() {
    }
}
