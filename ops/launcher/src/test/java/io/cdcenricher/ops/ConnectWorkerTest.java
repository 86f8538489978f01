package io.cdcenricher.ops;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The worker's configuration alone and in a group, without starting a worker. */
class ConnectWorkerTest {

    @TempDir
    Path runDir;

    @TempDir
    Path repo;

    private StackLayout layout;

    @BeforeEach
    void pluginFolder() throws Exception {
        // workerProperties names the plugin folder, which must exist (a worker without it would load no connector).
        java.nio.file.Files.createDirectories(repo.resolve("ops/debezium-plugin/target/plugins"));
        layout = new StackLayout(repo);
    }

    private Map<String, String> properties(StackSettings settings, int number) {
        return new ConnectWorker(settings, layout, new StackSecrets(runDir), number)
                .workerProperties(ConnectWorker.Plugins.DEBEZIUM);
    }

    private StackSettings single() {
        return new StackSettings(StackSettings.HOST, 19092, 19093, 19094, 18083, 13307, 18081, 19001, runDir);
    }

    @Test
    void aSingleWorkerKeepsOneReplicaOfItsTopicsAndConnectsDefaultRebalanceDelay() {
        Map<String, String> p = properties(single(), 1);

        assertThat(p).containsEntry("bootstrap.servers", "127.0.0.1:19092")
                .containsEntry("config.storage.replication.factor", "1")
                .containsEntry("offset.storage.replication.factor", "1")
                .containsEntry("status.storage.replication.factor", "1")
                .containsEntry("listeners", "http://127.0.0.1:18083")
                .doesNotContainKey("scheduled.rebalance.max.delay.ms");
    }

    @Test
    void workersOfAClusterShareTheGroupReplicateTheirTopicsThriceAndListenOnTheirOwnPorts() {
        StackSettings cluster = single().withShape(new StackShape(3, 2));

        Map<String, String> second = properties(cluster, 2);

        assertThat(second).containsEntry("bootstrap.servers", "127.0.0.1:19092,127.0.0.1:19192,127.0.0.1:19292")
                .containsEntry("group.id", ConnectWorker.GROUP_ID)
                .containsEntry("config.storage.replication.factor", "3")
                .containsEntry("offset.storage.replication.factor", "3")
                .containsEntry("status.storage.replication.factor", "3")
                .containsEntry("listeners", "http://127.0.0.1:18183")
                .containsEntry("rest.advertised.port", "18183")
                .containsEntry("scheduled.rebalance.max.delay.ms", "10000");
        assertThat(properties(cluster, 1)).containsEntry("group.id", ConnectWorker.GROUP_ID)
                .containsEntry("listeners", "http://127.0.0.1:18083");
        ConnectWorker worker = new ConnectWorker(cluster, layout, new StackSecrets(runDir), 2);
        assertThat(worker.name()).isEqualTo("connect-2");
        assertThat(worker.workerId()).isEqualTo("127.0.0.1:18183");
    }
}
