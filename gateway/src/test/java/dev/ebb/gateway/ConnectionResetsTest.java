package dev.ebb.gateway;

import static dev.ebb.gateway.Snapshots.at;
import static dev.ebb.gateway.Snapshots.to;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.ebb.feed.RoutingSnapshot.Visibility;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Peers that hang up with a reset (RST) rather than a close: a client that gives up, an instance that exits or drops
 * the connections it keeps. That is the network's everyday weather, not a fault of the gateway: it is no ERROR line in
 * its log (Vert.x logs one for every connection whose failure nobody handles), and the gateway goes on serving.
 */
class ConnectionResetsTest {

    private static final String HOST = "resets.ml.svc.cluster.local";
    private static final ListAppender<ILoggingEvent> vertxLog = new ListAppender<>();
    private static final ListAppender<ILoggingEvent> connectionsLog = new ListAppender<>();
    private static final List<Socket> instanceConnections = new CopyOnWriteArrayList<>();
    private static ServerSocket instance;
    private static Gateway gateway;

    /** A kept-alive instance on a plain socket, so that the test can reset its connections: answers every request. */
    private static void serve(Socket connection) {
        instanceConnections.add(connection);
        try (InputStream in = connection.getInputStream(); OutputStream out = connection.getOutputStream()) {
            StringBuilder received = new StringBuilder();
            byte[] buffer = new byte[4096];
            int read;
            while ((read = in.read(buffer)) > 0) {
                received.append(new String(buffer, 0, read, StandardCharsets.ISO_8859_1));
                while (received.indexOf("\r\n\r\n") >= 0) {
                    received.delete(0, received.indexOf("\r\n\r\n") + 4);
                    out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.ISO_8859_1));
                }
            }
        } catch (IOException e) {
            // Reset by the test, or closed by the gateway.
        }
    }

    @BeforeAll
    static void start() throws IOException {
        Logger vertx = (Logger) LoggerFactory.getLogger("io.vertx");
        vertx.addAppender(vertxLog);
        vertxLog.start();
        Logger connections = (Logger) LoggerFactory.getLogger(BackendConnections.class);
        connections.setLevel(Level.DEBUG);
        connections.addAppender(connectionsLog);
        connectionsLog.start();
        instance = new ServerSocket();
        instance.bind(new InetSocketAddress("127.0.0.1", 0));
        daemon("reset-instance", () -> {
            while (!instance.isClosed()) {
                try {
                    Socket connection = instance.accept();
                    daemon("reset-instance-connection", () -> serve(connection));
                } catch (IOException e) {
                    return;
                }
            }
        });
        RoutingState routes = Snapshots.version(1)
                .service("ml", "resets", Visibility.CLUSTER_LOCAL, to("resets-00001", 100))
                .revision("ml", "resets-00001", at("resets-00001-a", instance.getLocalPort()))
                .applied();
        gateway = new Gateway(GatewayProperties.listeningOn("127.0.0.1", 0, 0, null), routes);
        gateway.start();
    }

    private static void daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    @AfterAll
    static void stop() throws IOException {
        gateway.close();
        instance.close();
        ((Logger) LoggerFactory.getLogger("io.vertx")).detachAppender(vertxLog);
        Logger connections = (Logger) LoggerFactory.getLogger(BackendConnections.class);
        connections.detachAppender(connectionsLog);
        connections.setLevel(null);
    }

    @BeforeEach
    void forgetEarlierLines() {
        vertxLog.list.clear();
        connectionsLog.list.clear();
    }

    @Test
    void aClientThatResetsItsKeptAliveConnectionIsNoErrorOfTheGateway() throws IOException {
        try (Socket client = new Socket("127.0.0.1", gateway.port())) {
            assertThat(get(client)).startsWith("HTTP/1.1 200");
            reset(client);
        }
        awaitServing();
        assertThat(errors()).isEmpty();
    }

    @Test
    void anInstanceThatResetsTheConnectionsTheGatewayKeepsIsNoErrorOfTheGateway() throws IOException {
        try (Socket client = new Socket("127.0.0.1", gateway.port())) {
            assertThat(get(client)).startsWith("HTTP/1.1 200");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> !instanceConnections.isEmpty());
        for (Socket kept : instanceConnections) {
            instanceConnections.remove(kept);
            reset(kept);
        }
        await("the gateway saw the reset").atMost(Duration.ofSeconds(10))
                .until(() -> connectionsLog.list.stream().anyMatch(e -> e.getFormattedMessage().contains("Connection reset")));
        awaitServing();
        assertThat(errors()).isEmpty();
    }

    /** The gateway answers again, after it has seen the reset (a request sent after it, on a new connection). */
    private static void awaitServing() {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            try (Socket client = new Socket("127.0.0.1", gateway.port())) {
                assertThat(get(client)).startsWith("HTTP/1.1 200");
            }
        });
    }

    private static List<String> errors() {
        return vertxLog.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.ERROR))
                .map(e -> e.getLoggerName() + ": " + e.getFormattedMessage()).toList();
    }

    /** One kept-alive GET for the service; its status line and headers. */
    private static String get(Socket client) throws IOException {
        client.setSoTimeout(10_000);
        client.getOutputStream().write(("GET / HTTP/1.1\r\nHost: " + HOST + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        InputStream in = client.getInputStream();
        StringBuilder head = new StringBuilder();
        while (head.indexOf("\r\n\r\n") < 0) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        in.readNBytes(2);
        return head.toString();
    }

    /** Closes with a reset: no FIN, the peer's next read fails with "Connection reset by peer". */
    private static void reset(Socket socket) throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }
}
