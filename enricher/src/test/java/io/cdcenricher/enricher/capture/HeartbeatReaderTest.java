package io.cdcenricher.enricher.capture;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HeartbeatReaderTest {

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aDebeziumHeartbeatIsTimedByItsTsMs() {
        assertThat(HeartbeatReader.heartbeatTime(utf8("{\"ts_ms\":1796211171841}"), 5L)).isEqualTo(1796211171841L);
    }

    @Test
    void anythingElseIsTimedByItsRecordTimestamp() {
        assertThat(HeartbeatReader.heartbeatTime(new byte[] {0, 0, 0, 0, 1, 2}, 5L)).as("Avro").isEqualTo(5L);
        assertThat(HeartbeatReader.heartbeatTime(utf8("{\"ts_ms\":\"soon\"}"), 5L)).isEqualTo(5L);
        assertThat(HeartbeatReader.heartbeatTime(utf8("{}"), 5L)).isEqualTo(5L);
        assertThat(HeartbeatReader.heartbeatTime(null, 5L)).isEqualTo(5L);
    }

    @Test
    void theConsumerKeepsTheClientSettingsAndJoinsNoGroup() {
        Properties streams = new Properties();
        streams.put("bootstrap.servers", "127.0.0.1:9092");
        streams.put("security.protocol", "SASL_PLAINTEXT");
        streams.put("sasl.mechanism", "SCRAM-SHA-512");
        streams.put("application.id", "enricher-demo");
        streams.put("group.instance.id", "host-1");
        streams.put("processing.guarantee", "exactly_once_v2");
        streams.put("isolation.level", "read_committed");

        Map<String, Object> consumer = HeartbeatReader.consumerProperties(streams, "enricher-demo-heartbeats");

        assertThat(consumer).containsEntry("bootstrap.servers", "127.0.0.1:9092")
                .containsEntry("security.protocol", "SASL_PLAINTEXT")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("client.id", "enricher-demo-heartbeats")
                .containsEntry("enable.auto.commit", false)
                .doesNotContainKeys("application.id", "group.instance.id", "group.id", "processing.guarantee",
                        "isolation.level");
    }
}
