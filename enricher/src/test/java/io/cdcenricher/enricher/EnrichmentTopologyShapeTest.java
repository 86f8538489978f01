package io.cdcenricher.enricher;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdcenricher.enricher.config.EnricherConfigLoader;
import java.util.Set;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;

/**
 * Per-entity order rests on every event stage living in one sub-topology (one task per partition, depth-first
 * processing). A refactoring that introduced a repartition or a second sub-topology would break it silently.
 */
class EnrichmentTopologyShapeTest {

    @Test
    void shouldKeepAllEventStagesInOneSubTopologyWithOneGlobalStorePerJoin() {
        TopologyDescription description = EnrichmentTopology.build(EnricherConfigLoader.parse("""
                applicationId: enricher-test
                bootstrapServers: 127.0.0.1:9
                topics: {events: shop.orders, output: shop.orders.enriched, deadLetter: shop.orders.dlq}
                joins:
                  - {name: customer, topic: demo.shop.customers, foreignKey: customerId}
                  - {name: product, topic: demo.shop.products, foreignKey: productId}
                """), TopologyOptions.defaults()).describe();

        assertThat(description.subtopologies()).hasSize(1);
        // Each node is a forward per event, the largest cost in the profile: the JSON single pass keeps three.
        assertThat(description.subtopologies().iterator().next().nodes()).extracting(TopologyDescription.Node::name)
                .containsExactlyInAnyOrder("events", "enrich", "sink");
        assertThat(description.globalStores()).extracting(store -> store.processor().stores())
                .containsExactlyInAnyOrder(java.util.Set.of("reference-customer"), java.util.Set.of("reference-product"));
    }

    @Test
    void shouldReadPartitionedTableInTheSubTopologyOfItsRepartitionTopicWithItsPartitionCount() {
        Topology topology = EnrichmentTopology.build(EnricherConfigLoader.parse("""
                applicationId: enricher-test
                bootstrapServers: 127.0.0.1:9
                topics: {events: shop.orders, output: shop.orders.enriched, deadLetter: shop.orders.dlq}
                joins:
                  - {name: customer, topic: demo.shop.customers, foreignKey: customerId,
                     materialization: partitioned, partitions: 4}
                  - {name: product, topic: demo.shop.products, foreignKey: productId}
                """), TopologyOptions.defaults());
        TopologyDescription description = topology.describe();

        // events -> enrich | by-customer + table -> lookup | by-entity -> finish
        assertThat(description.subtopologies()).hasSize(3);
        assertThat(description.subtopologies()).anySatisfy(sub -> assertThat(sub.nodes())
                .filteredOn(node -> node instanceof TopologyDescription.Source)
                .extracting(node -> ((TopologyDescription.Source) node).topicSet())
                .containsExactlyInAnyOrder(Set.of("demo.shop.customers"), Set.of("by-customer-repartition")));
        assertThat(description.globalStores()).extracting(store -> store.processor().stores())
                .containsExactly(Set.of("reference-product"));
        // The table topic is the table's changelog; the only store with a changelog is the start-up gate's buffer.
        assertThat(topology.describe().subtopologies()).flatExtracting(sub -> sub.nodes()).filteredOn(node ->
                node instanceof TopologyDescription.Processor).flatExtracting(node ->
                ((TopologyDescription.Processor) node).stores()).containsOnly("reference-customer",
                "startup-gate-customer");
    }

    @Test
    void shouldGiveTheWaitBufferAChangelogInTheEventsSubTopology() {
        Topology topology = EnrichmentTopology.build(EnricherConfigLoader.parse("""
                applicationId: enricher-test
                bootstrapServers: 127.0.0.1:9
                topics: {events: shop.orders, output: shop.orders.enriched, deadLetter: shop.orders.dlq}
                joins:
                  - {name: customer, topic: demo.shop.customers, foreignKey: customerId, onMiss: wait}
                """), TopologyOptions.defaults());

        assertThat(topology.describe().subtopologies()).hasSize(1);
        assertThat(topology.describe().subtopologies()).flatExtracting(sub -> sub.nodes())
                .filteredOn(node -> node.name().equals("enrich"))
                .flatExtracting(node -> ((TopologyDescription.Processor) node).stores())
                .containsExactly("wait-buffer");
    }
}
