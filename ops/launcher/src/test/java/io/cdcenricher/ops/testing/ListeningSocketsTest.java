package io.cdcenricher.ops.testing;

import java.net.InetAddress;
import java.net.ServerSocket;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The /proc reader must find a socket it knows to exist, or a binding test built on it proves nothing. */
class ListeningSocketsTest {

    @Test
    void decodesKernelHexAddresses() throws Exception {
        assertThat(ListeningSockets.address("0100007F")).isEqualTo(InetAddress.getByName("127.0.0.1"));
        assertThat(ListeningSockets.address("00000000")).isEqualTo(InetAddress.getByName("0.0.0.0"));
        assertThat(ListeningSockets.address("00000000000000000000000001000000")).isEqualTo(InetAddress.getByName("::1"));
        assertThat(ListeningSockets.address("0000000000000000FFFF00000100007F").isLoopbackAddress()).isTrue();
        assertThat(ListeningSockets.address("00000000000000000000000000000000").isAnyLocalAddress()).isTrue();
    }

    @Test
    void findsThisJvmsOwnListenersWithTheirBinding() throws Exception {
        try (ServerSocket loopback = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
             ServerSocket wildcard = new ServerSocket(0)) {
            var sockets = ListeningSockets.of(ProcessHandle.current());

            assertThat(sockets).anySatisfy(s -> {
                assertThat(s.port()).isEqualTo(loopback.getLocalPort());
                assertThat(s.isLoopback()).isTrue();
            });
            assertThat(sockets).anySatisfy(s -> {
                assertThat(s.port()).isEqualTo(wildcard.getLocalPort());
                assertThat(s.isLoopback()).as("a wildcard bind is seen as such").isFalse();
            });
        }
    }
}
