package io.cdcenricher.ops;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The broker's configuration and client settings, without starting a broker. */
class KafkaBrokerTest {

    @TempDir
    Path runDir;

    private KafkaBroker broker() {
        StackSettings settings = new StackSettings(StackSettings.HOST, 19092, 19093, 19094, 18083, 13307, 18081,
                19001, runDir);
        return new KafkaBroker(settings, new StackLayout(Path.of("/repo")), new StackSecrets(runDir));
    }

    @Test
    void saslListenerIsASecondLoopbackListenerAndPlaintextStaysInterBroker() {
        Map<String, String> p = broker().serverProperties();

        assertThat(p).containsEntry("listeners",
                        "PLAINTEXT://127.0.0.1:19092,SASL_PLAINTEXT://127.0.0.1:19094,CONTROLLER://127.0.0.1:19093")
                .containsEntry("advertised.listeners", "PLAINTEXT://127.0.0.1:19092,SASL_PLAINTEXT://127.0.0.1:19094")
                .containsEntry("listener.security.protocol.map",
                        "PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT")
                .containsEntry("inter.broker.listener.name", "PLAINTEXT")
                .containsEntry("controller.listener.names", "CONTROLLER")
                .containsEntry("sasl.enabled.mechanisms", "SCRAM-SHA-512")
                .containsEntry("listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required;");
    }

    @Test
    void serverPropertiesHoldNoPassword() {
        KafkaBroker broker = broker();
        String password = new StackSecrets(runDir).scramPassword();

        assertThat(broker.serverProperties().values()).noneMatch(v -> v.contains(password));
    }

    @Test
    void clientSettingsUseTheSaslListenerAndTheRunDirsPassword() throws Exception {
        Map<String, String> client = broker().saslClientSettings();
        String password = new StackSecrets(runDir).scramPassword();

        assertThat(client).containsEntry("bootstrap.servers", "127.0.0.1:19094")
                .containsEntry("security.protocol", "SASL_PLAINTEXT")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required"
                        + " username=\"enricher\" password=\"" + password + "\";");
        assertThat(password).hasSize(36);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(runDir.resolve("secrets/kafka.properties"))))
                .isEqualTo("rw-------");
        assertThat(new StackSecrets(runDir).scramPassword()).as("stable per run dir").isEqualTo(password);
    }

    @Test
    void jaasValuesAreQuotedSoThatAnyPasswordParses() {
        assertThat(KafkaBroker.scramClientSettings("u", "a\"b\\c").get("sasl.jaas.config"))
                .endsWith("username=\"u\" password=\"a\\\"b\\\\c\";");
    }

    @Test
    void aRunDirWithOnlyDatabaseSecretsGetsAScramPasswordOfItsOwn() {
        StackSecrets secrets = new StackSecrets(runDir);
        String cdc = secrets.cdcPassword();

        assertThat(secrets.scramPassword()).isNotBlank().isNotEqualTo(cdc);
        assertThat(secrets.cdcPassword()).as("database secrets untouched").isEqualTo(cdc);
    }

    @Test
    void aSingleNodeIsItsOwnQuorumWithOneReplicaOfEveryTopic() {
        Map<String, String> p = broker().serverProperties();

        assertThat(p).containsEntry("node.id", "1")
                .containsEntry("controller.quorum.voters", "1@127.0.0.1:19093")
                .containsEntry("default.replication.factor", "1")
                .containsEntry("min.insync.replicas", "1")
                .containsEntry("offsets.topic.replication.factor", "1")
                .containsEntry("transaction.state.log.min.isr", "1")
                .containsEntry("auto.create.topics.enable", "false");
    }

    @Test
    void eachClusterNodeVotesInOneQuorumListensOnItsOwnPortsAndReplicatesEveryTopicThrice() {
        StackSettings cluster = new StackSettings(StackSettings.HOST, 19092, 19093, 19094, 18083, 13307, 18081,
                19001, runDir).withShape(new StackShape(3, 2));
        KafkaBroker third = new KafkaBroker(cluster, new StackLayout(Path.of("/repo")), new StackSecrets(runDir),
                cluster.nodes().get(2));

        Map<String, String> p = third.serverProperties();

        assertThat(third.name()).isEqualTo("kafka-3");
        assertThat(p).containsEntry("node.id", "3")
                .containsEntry("process.roles", "broker,controller")
                .containsEntry("controller.quorum.voters", "1@127.0.0.1:19093,2@127.0.0.1:19193,3@127.0.0.1:19293")
                .containsEntry("listeners",
                        "PLAINTEXT://127.0.0.1:19292,SASL_PLAINTEXT://127.0.0.1:19294,CONTROLLER://127.0.0.1:19293")
                .containsEntry("advertised.listeners", "PLAINTEXT://127.0.0.1:19292,SASL_PLAINTEXT://127.0.0.1:19294")
                .containsEntry("log.dirs", runDir.resolve("kafka-3/data").toString())
                .containsEntry("default.replication.factor", "3")
                .containsEntry("min.insync.replicas", "2")
                .containsEntry("offsets.topic.replication.factor", "3")
                .containsEntry("transaction.state.log.replication.factor", "3")
                .containsEntry("transaction.state.log.min.isr", "2")
                .containsEntry("share.coordinator.state.topic.replication.factor", "3")
                .containsEntry("unclean.leader.election.enable", "false")
                .containsEntry("auto.create.topics.enable", "false");
        assertThat(third.saslClientSettings()).containsEntry("bootstrap.servers", "127.0.0.1:19294");
    }
}
