package io.cdcenricher.enricher.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code format}, {@code registry} and {@code outputSchema}: validated at start-up, each error naming its key. */
class AvroConfigLoaderTest {

    private static final String BASE = """
            applicationId: enricher-demo
            bootstrapServers: 127.0.0.1:9092
            topics: {events: shop.orders, output: shop.orders.enriched, deadLetter: shop.orders.dlq}
            joins:
              - {name: customer, topic: demo.shop.customers, foreignKey: customerId}
            """;

    @TempDir
    Path dir;

    private static List<String> problemsOf(String yaml) {
        try {
            EnricherConfigLoader.parse(yaml);
        } catch (InvalidConfigException e) {
            return e.problems().stream().map(InvalidConfigException.Problem::toString).toList();
        }
        throw new AssertionError("expected the configuration to be rejected");
    }

    @Test
    void shouldDefaultToJson() {
        EnricherConfig config = EnricherConfigLoader.parse(BASE);

        assertThat(config.format()).isEqualTo(WireFormat.JSON);
        assertThat(config.avro()).isNull();
    }

    @Test
    void shouldReadAvroWithTheContractSchemaFromTheClasspathAndPassRegistryPropertiesThrough() {
        EnricherConfig config = EnricherConfigLoader.parse(BASE + """
                format: avro
                registry:
                  url: http://127.0.0.1:8081/apis/registry/v2
                  properties: {apicurio.registry.auto-register: false, apicurio.registry.check-period-ms: 30000}
                outputSchema: classpath:/schemas/enriched-order.avsc
                """);

        assertThat(config.isAvro()).isTrue();
        assertThat(config.avro().outputSchema().getFullName()).isEqualTo("io.cdcenricher.schemas.EnrichedOrder");
        assertThat(config.avro().serdeProperties()).containsEntry("apicurio.registry.url",
                        "http://127.0.0.1:8081/apis/registry/v2")
                .containsEntry("apicurio.registry.auto-register", "false")
                .containsEntry("apicurio.registry.check-period-ms", "30000");
    }

    @Test
    void shouldReadTheOutputSchemaFromAFile() throws IOException {
        Path file = Files.writeString(dir.resolve("out.avsc"),
                "{\"type\":\"record\",\"name\":\"Out\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"}]}");

        EnricherConfig config = EnricherConfigLoader.parse(BASE + "format: avro\nregistry: {url: http://r/apis/registry/v2}\n"
                + "outputSchema: " + file + "\n");

        assertThat(config.avro().outputSchema().getName()).isEqualTo("Out");
    }

    @Test
    void shouldRequireRegistryAndOutputSchemaWithAvro() {
        assertThat(problemsOf(BASE + "format: avro\n"))
                .containsExactlyInAnyOrder("registry: required", "outputSchema: required");
        assertThat(problemsOf(BASE + "format: avro\nregistry: {}\noutputSchema: classpath:/schemas/enriched-order.avsc\n"))
                .containsExactly("registry.url: required");
    }

    @Test
    void shouldRefuseAvroKeysWithJsonAndAnUnknownFormat() {
        assertThat(problemsOf(BASE + "registry: {url: http://r}\noutputSchema: x.avsc\n"))
                .containsExactlyInAnyOrder("registry: only with format: avro", "outputSchema: only with format: avro");
        assertThat(problemsOf(BASE + "format: protobuf\n"))
                .containsExactly("format: must be one of: json, avro (was 'protobuf')");
    }

    @Test
    void shouldRefuseAnOutputSchemaThatIsMissingBrokenOrNotARecord() throws IOException {
        String avro = BASE + "format: avro\nregistry: {url: http://r/apis/registry/v2}\n";
        Path broken = Files.writeString(dir.resolve("broken.avsc"), "{\"type\":\"record\",\"name\":\"X\"");
        Path notRecord = Files.writeString(dir.resolve("string.avsc"), "\"string\"");

        assertThat(problemsOf(avro + "outputSchema: classpath:/schemas/nope.avsc\n"))
                .containsExactly("outputSchema: no resource '/schemas/nope.avsc' on the classpath");
        assertThat(problemsOf(avro + "outputSchema: " + dir.resolve("missing.avsc") + "\n"))
                .singleElement().asString().startsWith("outputSchema: cannot read");
        assertThat(problemsOf(avro + "outputSchema: " + broken + "\n"))
                .singleElement().asString().startsWith("outputSchema: '" + broken + "' is not a valid Avro schema");
        assertThat(problemsOf(avro + "outputSchema: " + notRecord + "\n"))
                .containsExactly("outputSchema: '" + notRecord + "' must be an Avro record schema (is string)");
    }

    @Test
    void shouldRefusePartitionedJoinsWithAvro() {
        String yaml = BASE.replace("foreignKey: customerId}", "foreignKey: customerId, materialization: partitioned}")
                + "format: avro\nregistry: {url: http://r/apis/registry/v2}\n"
                + "outputSchema: classpath:/schemas/enriched-order.avsc\n";

        assertThat(problemsOf(yaml)).containsExactly("joins[0].materialization: format: avro supports "
                + "materialization: global only (a partitioned store is restored from the raw table topic)");
    }

    @Test
    void shouldRefuseAnUnknownRegistryKey() {
        assertThat(problemsOf(BASE + "format: avro\nregistry: {url: http://r/apis/registry/v2, user: x}\n"
                + "outputSchema: classpath:/schemas/enriched-order.avsc\n"))
                .containsExactly("registry.user: unknown key (known keys: properties, url)");
    }
}
