package io.cdcenricher.enricher;

import static io.cdcenricher.enricher.EnricherFixture.customerJoinYaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdcenricher.enricher.config.EnricherConfigLoader;
import io.cdcenricher.enricher.config.InvalidConfigException;
import org.junit.jupiter.api.Test;

/** The output contract's names are the ones the topology writes and the configuration reserves. */
class EnrichedEventContractTest extends TopologyTestBase {

    @Test
    void shouldWriteEveryJoinsStatusUnderTheContractsStatusField() throws Exception {
        start(customerJoinYaml("")).customer("42", "{\"id\":42,\"name\":\"Ada\",\"tier\":\"gold\"}")
                .event("o-1", "{\"type\":\"create\",\"customerId\":42}");

        JsonNode enriched = new ObjectMapper().readTree(fixture.output().get(0).value);
        assertThat(enriched.path(EnrichedEventContract.STATUS_FIELD).path("customer").asText()).isEqualTo("hit");
    }

    @Test
    void shouldReserveTheStatusFieldInTheConfiguration() {
        assertThatThrownBy(() -> EnricherConfigLoader.parse(customerJoinYaml("as: "
                + EnrichedEventContract.STATUS_FIELD)))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("'" + EnrichedEventContract.STATUS_FIELD + "' is reserved");
    }
}
