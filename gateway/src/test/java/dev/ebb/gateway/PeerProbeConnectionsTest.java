package dev.ebb.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.ebb.feed.RoutingSnapshot;
import dev.ebb.feed.RoutingSnapshot.Peer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.LoggerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An idle gateway's probes of another cluster's gateway, counted on the wire: a relay in front of a's peer listener
 * counts the TCP connections b opens to it while b probes every 100 ms.
 */
class PeerProbeConnectionsTest {

    private static final String TOKEN_A = "token-of-a";
    private static final Logger ACCESS = (Logger) LoggerFactory.getLogger("ebb.gateway.access");
    private static Level accessLevel;

    /** The probes are counted in a's access log, which other tests in this JVM may have switched off. */
    @BeforeAll
    static void logAccess() {
        accessLevel = ACCESS.getLevel();
        ACCESS.setLevel(Level.INFO);
    }

    @AfterAll
    static void restoreAccessLevel() {
        ACCESS.setLevel(accessLevel);
    }

    /** Relays each connection it accepts on 127.0.0.1 to {@code port}, and counts them. */
    private static final class CountingRelay implements AutoCloseable {

        final AtomicInteger accepted = new AtomicInteger();
        private final ServerSocket server;

        CountingRelay(int port) throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket in = server.accept();
                        accepted.incrementAndGet();
                        Socket out = new Socket(InetAddress.getLoopbackAddress(), port);
                        pump(in, out);
                        pump(out, in);
                    } catch (IOException e) {
                        // Closed.
                    }
                }
            }, "counting-relay");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return server.getLocalPort();
        }

        private static void pump(Socket from, Socket to) {
            Thread copy = new Thread(() -> {
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                    in.transferTo(out);
                } catch (IOException e) {
                    // One side closed.
                } finally {
                    try {
                        to.close();
                        from.close();
                    } catch (IOException e) {
                        // Closed already.
                    }
                }
            }, "counting-relay-copy");
            copy.setDaemon(true);
            copy.start();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    private static RoutingSnapshot snapshot(String cluster, List<Peer> peers, List<String> tokens) {
        return new RoutingSnapshot(1, cluster, List.of(), List.of(), peers, tokens);
    }

    @Test
    void anIdleGatewayProbesAnotherClustersGatewayOverOneKeptConnection() throws Exception {
        assertProbesShareOneConnection(GatewayProperties.listeningOn("127.0.0.1", 0, 0, null).inCluster("a", 0, Duration.ofSeconds(60)),
                GatewayProperties.listeningOn("127.0.0.1", 0, 0, null).inCluster("b", 0, Duration.ofMillis(500)));
    }

    @Test
    void withMutualTlsTooTheProbesKeepTheirConnection(@TempDir Path dir) throws Exception {
        TestCertificates certificates = new TestCertificates(dir);
        TestCertificates.Ca ca = certificates.authority("peer-ca");
        TestCertificates.Issued ofA = certificates.issue(ca, "gateway-a", "ip:127.0.0.1");
        TestCertificates.Issued ofB = certificates.issue(ca, "gateway-b", "ip:127.0.0.1");
        assertProbesShareOneConnection(GatewayProperties.listeningOn("127.0.0.1", 0, 0, null).inCluster("a", 0, Duration.ofSeconds(60))
                        .withPeerTls(new GatewayProperties.PeerTls(ofA.certificate(), ofA.key(), ca.pem(), Duration.ofSeconds(1))),
                GatewayProperties.listeningOn("127.0.0.1", 0, 0, null).inCluster("b", 0, Duration.ofMillis(500))
                        .withPeerTls(new GatewayProperties.PeerTls(ofB.certificate(), ofB.key(), ca.pem(), Duration.ofSeconds(1))));
    }

    /** Gateway b, set up by {@code ofB}, probes a ({@code ofA}) through the relay: one connection for 10 probes and more. */
    private static void assertProbesShareOneConnection(GatewayProperties ofA, GatewayProperties ofB) throws Exception {
        RoutingState routesA = new RoutingState(new GatewayDomains("svc.cluster.local", "example.com"), null);
        RoutingState routesB = new RoutingState(new GatewayDomains("svc.cluster.local", "example.com"), null);
        ByteArrayOutputStream accessA = new ByteArrayOutputStream();
        Gateway a = new Gateway(ofA, routesA, new RecordingLoadSink(), accessA);
        Gateway b = null;
        try (CountingRelay relay = new CountingRelay(startedPeerPort(a, routesA))) {
            routesB.apply(snapshot("b", List.of(new Peer("a", "127.0.0.1", relay.port(), TOKEN_A)), List.of()));
            b = new Gateway(ofB, routesB, new RecordingLoadSink());
            b.start();

            await().atMost(Duration.ofSeconds(60)).until(() -> probesAnswered(accessA) >= 10);
            assertThat(relay.accepted).as("connections for %d probes", probesAnswered(accessA)).hasValue(1);
        } finally {
            if (b != null) {
                b.close();
            }
            a.close();
        }
    }

    private static int startedPeerPort(Gateway a, RoutingState routesA) throws Exception {
        routesA.apply(snapshot("a", List.of(), List.of(TOKEN_A)));
        a.start();
        return a.peerPort();
    }

    private static long probesAnswered(ByteArrayOutputStream access) {
        return access.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains(RoutingSnapshot.PEER_PROBE_PATH)
                && l.contains("status=204")).count();
    }
}
