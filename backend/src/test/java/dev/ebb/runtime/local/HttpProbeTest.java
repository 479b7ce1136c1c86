package dev.ebb.runtime.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The readiness probe's GET against real servers on 127.0.0.1. */
class HttpProbeTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @Test
    void readsTheStatusOfAnAnswerWithABodyAndSendsWhatAKubeletSends() throws Exception {
        AtomicReference<String> seen = new AtomicReference<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            seen.set(exchange.getRequestURI() + " " + exchange.getRequestHeaders().getFirst("User-Agent"));
            int status = exchange.getRequestURI().getPath().equals("/healthz") ? 200 : 503;
            byte[] body = "x".repeat(100_000).getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            int port = server.getAddress().getPort();
            assertThat(HttpProbe.status(port, "/healthz?deep=1", TIMEOUT)).isEqualTo(200);
            assertThat(seen.get()).isEqualTo("/healthz?deep=1 ebb-probe");
            assertThat(HttpProbe.status(port, "/loading", TIMEOUT)).isEqualTo(503);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aStatusFollowedByABodyThatNeverEndsStillCounts() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread answering = new Thread(() -> {
                try (Socket client = server.accept()) {
                    client.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\ndata: up\n\n"
                            .getBytes(StandardCharsets.US_ASCII));
                    client.getInputStream().readAllBytes();
                } catch (IOException ignored) {
                    // the probe closed it
                }
            });
            answering.start();
            assertThat(HttpProbe.status(server.getLocalPort(), "/events", Duration.ofMillis(300))).isEqualTo(200);
            answering.join(10_000);
        }
    }

    @Test
    void aClosedPortFailsAndAnAnswerThatIsNotHttpHasNoStatus() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        int port = closed;
        assertThatThrownBy(() -> HttpProbe.status(port, "/", TIMEOUT)).isInstanceOf(IOException.class);
        assertThat(HttpProbe.parse("SSH-2.0-OpenSSH_9.2")).isEqualTo(-1);
        assertThat(HttpProbe.parse("HTTP/1.0 204 No Content")).isEqualTo(204);
        assertThat(HttpProbe.parse("HTTP/1.1 2x0 OK")).isEqualTo(-1);
    }
}
