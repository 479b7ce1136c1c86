package dev.ebb.gateway;

import static dev.ebb.gateway.Snapshots.to;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.ebb.feed.RoutingSnapshot.Visibility;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** TLS with ALPN on the public listener from PEM files made by the openssl CLI (skipped when there is none). */
class PublicTlsTest {

    @TempDir
    Path dir;

    /** The subject, HTTP version and body a fresh HTTP/2-over-TLS connection sees. */
    private record Seen(String subject, HttpVersion version, String body) {
    }

    private void certificate(String commonName, Path certificate, Path key) throws Exception {
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                "-subj", "/CN=" + commonName, "-keyout", key.toString(), "-out", certificate.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("openssl.log").toFile()).start();
        assertThat(openssl.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(openssl.exitValue()).as(Files.readString(dir.resolve("openssl.log"))).isZero();
    }

    private static boolean opensslAvailable() {
        try {
            Process process = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start();
            return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    private static Seen call(Vertx vertx, int port) throws Exception {
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false)
                .setUseAlpn(true).setProtocolVersion(HttpVersion.HTTP_2));
        try {
            return client.request(new RequestOptions().setServer(SocketAddress.inetSocketAddress(port, "127.0.0.1"))
                            .setHost("hello.ml.example.com").setPort(443).setURI("/headers"))
                    .compose(request -> request.send().compose(response -> response.body().map(body -> {
                        return new Seen(subject(request.connection()), response.version(), body.toString());
                    })))
                    .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        } finally {
            client.close();
        }
    }

    private static String subject(HttpConnection connection) {
        try {
            return ((X509Certificate) connection.peerCertificates().get(0)).getSubjectX500Principal().getName();
        } catch (SSLPeerUnverifiedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void thePublicListenerSpeaksHttp2OverTlsAndPicksUpARenewedCertificate() throws Exception {
        assumeTrue(opensslAvailable(), "the openssl CLI is needed to make a test certificate");
        ((Logger) LoggerFactory.getLogger("ebb.gateway.access")).setLevel(Level.WARN);
        Path certificate = dir.resolve("tls.crt");
        Path key = dir.resolve("tls.key");
        certificate("first", certificate, key);

        Vertx vertx = Vertx.vertx();
        try (TestBackend backend = TestBackend.start(vertx, "hello-00001")) {
            RoutingState routes = Snapshots.version(1)
                    .service("ml", "hello", Visibility.PUBLIC, to("hello-00001", 100))
                    .revision("ml", "hello-00001", backend.endpoint())
                    .applied();
            GatewayProperties.Tls tls = new GatewayProperties.Tls(certificate, key, Duration.ofMillis(100));
            try (Gateway gateway = new Gateway(GatewayProperties.listeningOn("127.0.0.1", 0, 0, tls), routes)) {
                gateway.start();
                Seen first = call(vertx, gateway.publicPort());
                assertThat(first.subject()).isEqualTo("CN=first");
                assertThat(first.version()).isEqualTo(HttpVersion.HTTP_2);
                assertThat(first.body()).contains("x-forwarded-proto: https", "x-forwarded-host: hello.ml.example.com");

                Path nextCertificate = dir.resolve("next.crt");
                Path nextKey = dir.resolve("next.key");
                certificate("second", nextCertificate, nextKey);
                Files.move(nextKey, key, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                Files.move(nextCertificate, certificate, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(call(vertx, gateway.publicPort()).subject())
                        .isEqualTo("CN=second"));
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
