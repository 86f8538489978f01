package io.cdcenricher.enricher.config;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.Schema;

/**
 * The settings of {@code format: avro}: the registry that holds the writer schemas of the events and table
 * topics (Apicurio's wire format: the schema's global id in a record header) and the schema the enriched events
 * are written with.
 *
 * @param registryUrl          Apicurio's v2 API, e.g. {@code http://127.0.0.1:8081/apis/registry/v2}
 * @param registryProperties   further Apicurio serde/client properties ({@code apicurio.registry.*}), passed through
 *                             unchanged; they win over the defaults
 * @param outputSchemaLocation where the output schema was read from (a path or {@code classpath:/...})
 * @param outputSchema         the parsed output schema, a record
 */
public record AvroConfig(String registryUrl, Map<String, String> registryProperties, String outputSchemaLocation,
                         Schema outputSchema) {

    /** The serde property naming the registry. */
    public static final String REGISTRY_URL_PROPERTY = "apicurio.registry.url";
    /** Register the output schema on first use (as the Connect converter does); overridable. */
    public static final String AUTO_REGISTER_PROPERTY = "apicurio.registry.auto-register";

    public AvroConfig {
        registryProperties = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(registryProperties));
    }

    /** The properties for Apicurio's serializer and deserializer: our defaults, then the pass-through map. */
    public Map<String, Object> serdeProperties() {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put(REGISTRY_URL_PROPERTY, registryUrl);
        props.put(AUTO_REGISTER_PROPERTY, "true");
        props.putAll(registryProperties);
        return props;
    }
}
