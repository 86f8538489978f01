package io.cdcenricher.enricher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdcenricher.enricher.config.EnricherConfig;
import io.cdcenricher.enricher.config.EnricherConfigLoader;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The broker checks that need no broker: partitioned joins against the partition counts the broker reports. */
class BrokerChecksTest {

    @Test
    void shouldTakePartitionCountOfPartitionedJoinFromTheBrokerWhenNotConfigured() {
        EnricherConfig config = EnricherConfigLoader.parse(EnricherFixture.customerJoinYaml(
                "materialization: partitioned"));

        EnricherConfig resolved = BrokerChecks.withCopartitioning(config, Map.of(EnricherFixture.CUSTOMERS, 6));

        assertThat(resolved.joins().get(0).partitions()).isEqualTo(6);
    }

    @Test
    void shouldRefuseToStartWhenTableTopicHasOtherPartitionCountThanConfigured() {
        EnricherConfig config = EnricherConfigLoader.parse(EnricherFixture.customerJoinYaml(
                "materialization: partitioned\npartitions: 4"));

        assertThatThrownBy(() -> BrokerChecks.withCopartitioning(config, Map.of(EnricherFixture.CUSTOMERS, 6)))
                .isInstanceOf(BrokerCheckException.class)
                .hasMessageStartingWith("join 'customer' (materialization: partitioned) is configured for 4 "
                        + "partition(s) but its table topic 'demo.shop.customers' has 6");
    }

    @Test
    void shouldLeaveGlobalJoinsAloneInTheCopartitioningCheck() {
        EnricherConfig config = EnricherConfigLoader.parse(EnricherFixture.customerJoinYaml(""));

        assertThat(BrokerChecks.withCopartitioning(config, Map.of())).isEqualTo(config);
    }
}
