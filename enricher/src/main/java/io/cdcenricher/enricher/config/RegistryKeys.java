package io.cdcenricher.enricher.config;

import java.util.Map;

/** The keys of {@code registry}: the Apicurio registry of {@code format: avro}. */
public final class RegistryKeys {

    public static final ConfigSection SECTION = ConfigSection.of(RootKeys.REGISTRY);

    public static final ConfigKey<String> URL = SECTION.key("url", ValueType.TEXT)
            .required()
            .check(Check.that(url -> url.startsWith("http://") || url.startsWith("https://"),
                    "must be an http(s) URL such as http://127.0.0.1:8081/apis/registry/v2"))
            .doc("Apicurio's v2 API, e.g. `http://127.0.0.1:8081/apis/registry/v2`")
            .define();
    /** Refuses what other keys set, as {@code kafka:} does (the same reader). */
    public static final ConfigKey<Map<String, String>> PROPERTIES = SECTION.key("properties",
                    RootKeys.KAFKA.type())
            .defaultValue(Map.of())
            .defaultDescription("none")
            .doc("Apicurio serde and client settings (`apicurio.registry.*`), passed through unchanged")
            .define();

    private RegistryKeys() {
    }
}
