package io.cdcenricher.ops;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Whom ops/connectors status logs in as, and with which password, without a database. */
class DatabaseLoginTest {

    @TempDir
    Path runDir;

    @Test
    void theWorkersEnvReferenceResolvesHereOrToTheStacksUser() {
        assertThat(new DatabaseLogin(Map.of(), runDir).user("${env:CDC_DATABASE_USER}")).isEqualTo("cdc");
        assertThat(new DatabaseLogin(Map.of("CDC_DATABASE_USER", "debezium"), runDir).user("${env:CDC_DATABASE_USER}"))
                .isEqualTo("debezium");
        assertThat(new DatabaseLogin(Map.of(), runDir).user("status_it")).isEqualTo("status_it");
        assertThatThrownBy(() -> new DatabaseLogin(Map.of(), runDir).user("${file:/s.properties:user}"))
                .hasMessageContaining("CDC_DATABASE_USER");
        assertThatThrownBy(() -> new DatabaseLogin(Map.of(), runDir).user("${env:DB_USER}"))
                .hasMessageContaining("DB_USER");
    }

    @Test
    void thePasswordComesFromTheEnvironmentElseTheLocalStacksSecretsWhichAreNeverCreated() throws Exception {
        assertThat(new DatabaseLogin(Map.of("CDC_DATABASE_PASSWORD", "from-env"), runDir).password("cdc"))
                .isEqualTo("from-env");
        assertThatThrownBy(() -> new DatabaseLogin(Map.of(), runDir).password("cdc"))
                .hasMessageContaining("CDC_DATABASE_PASSWORD").hasMessageContaining("cdc");
        assertThat(runDir.resolve("secrets")).as("status never creates the stack's secrets").doesNotExist();

        String password = new StackSecrets(runDir).cdcPassword(); // as ops/stack up leaves them
        assertThat(new DatabaseLogin(Map.of(), runDir).password("cdc")).isEqualTo(password);
        assertThatThrownBy(() -> new DatabaseLogin(Map.of(), runDir).password("other"))
                .hasMessageContaining("other").satisfies(e -> assertThat(e.getMessage()).doesNotContain(password));
        assertThat(Files.isRegularFile(runDir.resolve("secrets/database.properties"))).isTrue();
    }
}
