package dev.ebb.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ebb.support.RealRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Resolution against registries that answer in ways Debian's registry never does on demand: HEAD refused, no
 * {@code Docker-Content-Digest}, errors that pass. Each is a small real HTTP server on 127.0.0.1.
 */
class MisbehavingRegistryTest {

    private static final String MANIFEST = """
            {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
             "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": "sha256:%s", "size": 2},
             "layers": []}""".formatted("0".repeat(64));
    private static final String DIGEST = RealRegistry.digest(MANIFEST);
    private static final String PATH = "/v2/acme/model/manifests/1.0";

    private HttpServer server;
    /** Method and path of every request the server got, in order. */
    private final List<String> requests = new CopyOnWriteArrayList<>();

    /** What the server answers to one request. */
    private interface Answer {
        void answer(HttpExchange exchange) throws IOException;
    }

    private String serve(Answer answer) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
            try (exchange) {
                answer.answer(exchange);
            }
        });
        server.start();
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private static void manifest(HttpExchange exchange, boolean withDigest) throws IOException {
        byte[] body = MANIFEST.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/vnd.oci.image.manifest.v1+json");
        if (withDigest) {
            exchange.getResponseHeaders().add("Docker-Content-Digest", DIGEST);
        }
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(200, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static RegistryClient.Resolved resolve(String host) throws ResolutionException {
        String reference = host + "/acme/model:1.0";
        return new RegistryClient(Duration.ofSeconds(5), Clock.systemUTC()).resolve(ImageName.parse(reference), reference,
                new RegistryClient.Endpoint("http", null, null, "EBB_REGISTRY_PLAIN_HTTP lists it"));
    }

    @Test
    void aRegistryThatRefusesHeadIsAskedWithGet() throws Exception {
        String host = serve(exchange -> {
            if (exchange.getRequestMethod().equals("HEAD")) {
                exchange.sendResponseHeaders(405, -1);
            } else {
                manifest(exchange, true);
            }
        });

        assertThat(resolve(host).digest()).isEqualTo(DIGEST);
        assertThat(requests).containsExactly("HEAD " + PATH, "GET " + PATH);
    }

    @Test
    void withoutDockerContentDigestTheDigestIsTheSha256OfTheManifestItself() throws Exception {
        String host = serve(exchange -> manifest(exchange, false));

        RegistryClient.Resolved resolved = resolve(host);

        assertThat(resolved.digest()).isEqualTo(DIGEST);
        assertThat(resolved.mediaType()).isEqualTo("application/vnd.oci.image.manifest.v1+json");
        assertThat(requests).containsExactly("HEAD " + PATH, "GET " + PATH);
    }

    @Test
    void aServerErrorPassesItIsTriedAgainWithBackOffAndThenResolves() throws Exception {
        AtomicInteger failuresLeft = new AtomicInteger(2);
        String host = serve(exchange -> {
            if (failuresLeft.getAndDecrement() > 0) {
                exchange.sendResponseHeaders(503, -1);
            } else {
                manifest(exchange, true);
            }
        });

        // What the resolver does with each failure: a passing one is tried again after Backoff.after(failures).
        for (int failures = 1; failures <= 2; failures++) {
            ResolutionException e = catchThrowableOfType(ResolutionException.class, () -> resolve(host));
            assertThat(e.failure().kind()).isEqualTo(ResolutionFailure.Kind.SERVER_ERROR);
            assertThat(e.failure().kind().passing()).isTrue();
            assertThat(e.failure().message("ml", Backoff.after(failures))).isEqualTo("Registry " + host + " failed answering "
                    + "for acme/model (503 Service Unavailable); this is the registry's own error, see its logs. Ebb tries "
                    + "again in " + failures + " s.");
        }
        assertThat(resolve(host).digest()).isEqualTo(DIGEST);
    }
}
