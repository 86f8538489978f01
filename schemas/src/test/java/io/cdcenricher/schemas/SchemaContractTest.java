package io.cdcenricher.schemas;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The schemas in schemas/ parse together and keep the promises the enricher's JSON output makes. */
class SchemaContractTest {

    private final Schema.Parser parser = new Schema.Parser();

    private Schema load(String file) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/schemas/" + file)) {
            assertThat(in).as(file + " is packaged").isNotNull();
            return parser.parse(in);
        }
    }

    @Test
    void allSchemasParseInDependencyOrder() throws IOException {
        for (String file : List.of("order-event.avsc", "customer-row.avsc", "product-row.avsc", "enriched-order.avsc")) {
            assertThat(load(file).getType()).isEqualTo(Schema.Type.RECORD);
        }
    }

    @Test
    void enrichedOrderCarriesAStatusForEveryJoinOutcome() throws IOException {
        load("order-event.avsc");
        Schema enriched = load("enriched-order.avsc");
        Schema status = enriched.getField("enrichment").schema().getValueType();
        assertThat(status.getEnumSymbols()).containsExactlyInAnyOrder("hit", "miss", "deleted", "skipped", "late");
    }

    @Test
    void enrichedOrderCanBeReadAsAnOrderEventByOldConsumers() throws IOException {
        Schema event = load("order-event.avsc");
        Schema enriched = load("enriched-order.avsc");
        SchemaCompatibility.SchemaPairCompatibility compatibility =
                SchemaCompatibility.checkReaderWriterCompatibility(event, enriched);
        assertThat(compatibility.getType()).isEqualTo(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);
    }
}
