package dev.ebb.runtime.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;

class LoopbackTest {

    @Test
    void aConnectThatReachesOnlyItselfIsTakenForNobodyListening() throws IOException {
        // What a probe's connect meets by chance when the kernel picks the instance's port as its source port, made on
        // purpose: bound to a port nobody listens on, and connected to that same port.
        try (Socket self = new Socket()) {
            self.bind(new InetSocketAddress("127.0.0.1", 0));
            self.connect(new InetSocketAddress("127.0.0.1", self.getLocalPort()), 1_000);

            assertThat(self.isConnected()).as("the kernel lets a socket connect to itself").isTrue();
            assertThat(Loopback.connectedToItself(self)).isTrue();
        }
    }

    @Test
    void aListeningPortIsReachedAndAClosedOneRefused() throws IOException {
        int port;
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            port = server.getLocalPort();
            try (Socket socket = Loopback.connect(port, 1_000)) {
                assertThat(Loopback.connectedToItself(socket)).isFalse();
            }
        }
        assertThatThrownBy(() -> Loopback.connect(port, 1_000).close()).isInstanceOf(ConnectException.class);
    }
}
