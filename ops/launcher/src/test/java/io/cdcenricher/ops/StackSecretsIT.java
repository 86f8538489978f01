package io.cdcenricher.ops;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdcenricher.ops.testing.LocalStackExtension;
import io.cdcenricher.ops.testing.TopicReader;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Secrets reach Connect and the database without being written where people read: the connector config that Connect
 * stores and serves holds the {@code ${env:...}} reference, not the password, and after a real capture (and a SASL
 * login) neither the database passwords nor the SCRAM password is in the log of the broker, the worker or MariaDB.
 * Connect and Debezium log every connector config at INFO, so one plain-text password field would show up here.
 */
@Tag("integration")
@Timeout(value = 4, unit = TimeUnit.MINUTES)
@ExtendWith(LocalStackExtension.class)
class StackSecretsIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void connectorConfigKeepsTheEnvReferenceAndNoLogHoldsAPassword(Stack stack) throws Exception {
        String database = "secrets_it";
        try (Connection db = stack.mariadb().adminConnection("")) {
            Sql.execute(db, "CREATE DATABASE " + database,
                    "CREATE TABLE " + database + ".customers (id INT PRIMARY KEY, name VARCHAR(50))",
                    "INSERT INTO " + database + ".customers VALUES (1, 'Ada')");
        }
        String prefix = "secrets";
        stack.connectors(Map.of("CDC_DATABASE_NAME", database, "CDC_TOPIC_PREFIX", prefix,
                        "CDC_DATABASE_SERVER_ID", "5430"))
                .apply(stack.layout().connectorsDir().resolve("debezium-mariadb.json"), Duration.ofSeconds(90));
        // A row captured proves the worker resolved ${env:CDC_DATABASE_PASSWORD} and logged in with it.
        try (TopicReader reader = new TopicReader(stack.settings().bootstrapServers(),
                prefix + "." + database + ".customers")) {
            reader.readUntil(Duration.ofSeconds(60), seen -> !seen.isEmpty());
        }
        StackSecrets secrets = new StackSecrets(stack.settings().runDir());
        List<String> passwords = List.of(secrets.cdcPassword(), secrets.adminPassword(), secrets.scramPassword());

        HttpResponse<String> stored = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(stack.settings().connectUrl() + "/connectors/" + prefix + "-mariadb-source/config"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(stored.statusCode()).isEqualTo(200);
        JsonNode config = JSON.readTree(stored.body());
        assertThat(config.path("database.password").asText()).isEqualTo("${env:CDC_DATABASE_PASSWORD}");
        assertThat(config.path("database.user").asText()).isEqualTo("${env:CDC_DATABASE_USER}");
        // Booleans, not doesNotContain(password): a failing assertion must not print the password either.
        assertThat(passwords).noneMatch(stored.body()::contains);

        try (Admin admin = Admin.create(stack.saslClientProperties())) {
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).as("a SCRAM login over SASL")
                    .contains(prefix + "." + database + ".customers");
        }
        Path runDir = stack.settings().runDir();
        List<Path> files = List.of(stack.mariadb().process().logFile(), stack.kafka().process().logFile(),
                stack.connect().process().logFile(), runDir.resolve("kafka/server.properties"),
                runDir.resolve("connect/worker.properties"));
        for (Path file : files) {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            assertThat(text).as(file + " was written by a part that ran").isNotBlank();
            for (String password : passwords) {
                assertThat(text.contains(password)).as(file + " holds a stack password").isFalse();
            }
        }
    }
}
