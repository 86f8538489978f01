package io.cdcenricher.enricher.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretMaskerTest {

    @Test
    void shouldMaskSecretLookingKeysOnly() {
        Map<String, String> masked = SecretMasker.masked(Map.of(
                "sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required password=x;",
                "ssl.truststore.password", "changeit",
                "ssl.key.password", "k",
                "basic.auth.user.info", "u:p",
                "client.secret", "s",
                "api.key", "a",
                "default.key.serde", "org.apache.kafka.common.serialization.Serdes$ByteArraySerde",
                "bootstrap.servers", "127.0.0.1:9092"));

        assertThat(masked).containsEntry("sasl.jaas.config", SecretMasker.MASK)
                .containsEntry("ssl.truststore.password", SecretMasker.MASK)
                .containsEntry("ssl.key.password", SecretMasker.MASK)
                .containsEntry("basic.auth.user.info", SecretMasker.MASK)
                .containsEntry("client.secret", SecretMasker.MASK)
                .containsEntry("api.key", SecretMasker.MASK)
                .containsEntry("default.key.serde", "org.apache.kafka.common.serialization.Serdes$ByteArraySerde")
                .containsEntry("bootstrap.servers", "127.0.0.1:9092");
    }

    @Test
    void shouldMaskScramJaasConfigUnderEveryClientPrefix() {
        String jaas = "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"enricher\" "
                + "password=\"s3cr3t-scram\";";
        Map<String, String> masked = SecretMasker.masked(Map.of(
                "sasl.jaas.config", jaas,
                "main.consumer.sasl.jaas.config", jaas,
                "admin.sasl.jaas.config", jaas,
                "SASL.JAAS.CONFIG", jaas,
                "sasl.mechanism", "SCRAM-SHA-512",
                "security.protocol", "SASL_PLAINTEXT"));

        assertThat(masked.toString()).doesNotContain("s3cr3t-scram");
        assertThat(masked).containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("security.protocol", "SASL_PLAINTEXT");
    }

    @Test
    void shouldMaskAValueThatHoldsAPasswordOptionWhateverItsKey() {
        Map<String, String> masked = SecretMasker.masked(Map.of(
                "custom.login.options", "org.example.Login required user=u password = \"p\";",
                "custom.oauth", "client secret=abc",
                "custom.description", "no password here"));

        assertThat(masked).containsEntry("custom.login.options", SecretMasker.MASK)
                .containsEntry("custom.oauth", SecretMasker.MASK)
                .containsEntry("custom.description", "no password here");
    }
}
