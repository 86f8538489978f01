package io.cdcenricher.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnricherProcessTest {

    @Test
    void shouldBeReadyOnlyWhenTheBodySaysSo() {
        assertThat(EnricherProcess.readyIn(utf8("{\"ready\":true,\"state\":\"ready\"}"))).isTrue();
        assertThat(EnricherProcess.readyIn(utf8("{\"ready\":false,\"state\":\"Kafka Streams is REBALANCING\"}")))
                .isFalse();
        assertThat(EnricherProcess.readyIn(utf8("{\"ready\":\"yes\"}"))).isFalse();
        assertThat(EnricherProcess.readyIn(utf8("not json"))).isFalse();
        assertThat(EnricherProcess.readyIn(new byte[0])).isFalse();
    }

    @Test
    void shouldKnowThePortOnlyWhenTheArgumentsNameOne() {
        assertThat(EnricherProcess.httpPortOf(List.of("--http-port", "18080"))).isEqualTo(18080);
        assertThat(EnricherProcess.httpPortOf(List.of("--http-host", "127.0.0.1", "--http-port", "0"))).isZero();
        assertThat(EnricherProcess.httpPortOf(List.of())).isEqualTo(-1);
        assertThat(EnricherProcess.httpPortOf(List.of("--http-port"))).isEqualTo(-1);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
