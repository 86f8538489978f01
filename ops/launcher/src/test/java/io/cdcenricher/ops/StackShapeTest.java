package io.cdcenricher.ops;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How many nodes and workers a stack runs, what that means for replication, and how up remembers it. */
class StackShapeTest {

    @TempDir
    Path runDir;

    @Test
    void aClusterReplicatesThreeTimesAndNeedsTwoInSyncASingleNodeOnce() {
        assertThat(new StackShape(3, 2).replicationFactor()).isEqualTo(3);
        assertThat(new StackShape(3, 2).minInsyncReplicas()).isEqualTo(2);
        assertThat(new StackShape(5, 1).replicationFactor()).isEqualTo(3);
        assertThat(StackShape.SINGLE.replicationFactor()).isEqualTo(1);
        assertThat(StackShape.SINGLE.minInsyncReplicas()).isEqualTo(1);
        assertThat(StackShape.SINGLE.isCluster()).isFalse();
    }

    @Test
    void anEvenNodeCountIsRefusedItCannotKeepAQuorumMajority() {
        assertThatThrownBy(() -> new StackShape(2, 1)).hasMessageContaining("1, 3 or 5");
        assertThatThrownBy(() -> new StackShape(3, 0)).hasMessageContaining("--connect-workers 0");
    }

    @Test
    void theRecordedShapeIsWhatLaterCommandsSeeAndSingleWhenNothingWasRecorded() {
        assertThat(StackShape.recorded(runDir)).isEqualTo(StackShape.SINGLE);
        new StackShape(3, 2).record(runDir);
        assertThat(StackShape.recorded(runDir)).isEqualTo(new StackShape(3, 2));
        assertThat(StackShape.choose(Optional.empty(), runDir)).isEqualTo(new StackShape(3, 2));
    }

    @Test
    void aRunDirWithKafkaDataKeepsItsNodeCountButMayChangeItsWorkers() throws Exception {
        Files.createDirectories(runDir.resolve("kafka/data"));
        Files.writeString(runDir.resolve("kafka/data/meta.properties"), "node.id=1\n");

        assertThatThrownBy(() -> StackShape.choose(Optional.of(new StackShape(3, 2)), runDir))
                .hasMessageContaining("holds a Kafka cluster of 1 node(s)").hasMessageContaining("STACK_RUN_DIR");
        assertThat(StackShape.choose(Optional.of(new StackShape(1, 3)), runDir)).isEqualTo(new StackShape(1, 3));
    }

    @Test
    void anEmptyRunDirTakesAnyShape() {
        StackShape.SINGLE.record(runDir);
        assertThat(StackShape.choose(Optional.of(new StackShape(3, 2)), runDir)).isEqualTo(new StackShape(3, 2));
    }
}
