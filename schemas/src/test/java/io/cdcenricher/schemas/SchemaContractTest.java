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

    /** Each file on its own: every schema is self-contained, as a registry (and the enricher's outputSchema) needs. */
    private Schema load(String file) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/schemas/" + file)) {
            assertThat(in).as(file + " is packaged").isNotNull();
            return new Schema.Parser().parse(in);
        }
    }

    @Test
    void everySchemaParsesOnItsOwn() throws IOException {
        for (String file : List.of("order-event.avsc", "customer-row.avsc", "product-row.avsc", "enriched-order.avsc")) {
            assertThat(load(file).getType()).isEqualTo(Schema.Type.RECORD);
        }
    }

    @Test
    void enrichedOrderCarriesAStatusForEveryJoinOutcome() throws IOException {
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
