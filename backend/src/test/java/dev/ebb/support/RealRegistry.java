package dev.ebb.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * Debian's {@code docker-registry} (the Distribution registry) on 127.0.0.1, started from the tests in one of the
 * ways registries are met: plain HTTP, htpasswd Basic, TLS with a CA of the test's own, or Bearer tokens from a
 * {@link TokenIssuer}; a plain one may post its notifications to an endpoint. Registries may share one storage
 * directory, so an image pushed through the plain one (see {@link #pushImage}) can be pulled through all of them.
 */
public final class RealRegistry implements AutoCloseable {

    public static final String BINARY = "/usr/bin/docker-registry";
    public static final String TOKEN_SERVICE = "ebb-test-registry";
    public static final String TOKEN_ISSUER = "ebb-test-issuer";

    private final Process process;
    private final int port;
    private final String scheme;
    private final Path directory;

    private RealRegistry(Process process, int port, String scheme, Path directory) {
        this.process = process;
        this.port = port;
        this.scheme = scheme;
        this.directory = directory;
    }

    /** Anonymous access in plain HTTP. */
    public static RealRegistry plain(Path storage) {
        return start(storage, "", null, null);
    }

    /** Basic auth from an htpasswd file with the given users and passwords, in plain HTTP. */
    public static RealRegistry basic(Path storage, Map<String, String> users) {
        return start(storage, "", users, null);
    }

    /** Anonymous access over TLS with a certificate {@code ca} signed. */
    public static RealRegistry tls(Path storage, TestCertificates.Issued ca) {
        return start(storage, "", null, ca);
    }

    /** Bearer tokens from {@code issuer} (whose signing certificate the registry trusts), in plain HTTP. */
    public static RealRegistry token(Path storage, TokenIssuer issuer) {
        return start(storage, """
                auth:
                  token:
                    realm: %s
                    service: %s
                    issuer: %s
                    rootcertbundle: %s
                """.formatted(issuer.realm(), TOKEN_SERVICE, TOKEN_ISSUER, issuer.signerCertificate()), null, null);
    }

    /**
     * Anonymous access in plain HTTP on {@code port}, posting a notification of every push and pull to {@code url} with
     * the header {@code Authorization: <authorization>}, as Distribution's {@code notifications.endpoints} do.
     */
    public static RealRegistry notifying(Path storage, int port, String url, String authorization) {
        return start(storage, port, """
                notifications:
                  endpoints:
                    - name: ebb
                      url: %s
                      headers:
                        Authorization: ["%s"]
                      timeout: 5s
                      threshold: 3
                      backoff: 1s
                """.formatted(url, authorization), null, null);
    }

    private static RealRegistry start(Path storage, String auth, Map<String, String> users, TestCertificates.Issued ca) {
        try {
            return start(storage, Ports.free(), auth, users, ca);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static RealRegistry start(Path storage, int port, String auth, Map<String, String> users,
            TestCertificates.Issued ca) {
        if (!Files.isExecutable(Path.of(BINARY))) {
            throw new IllegalStateException("No " + BINARY + ": install Debian's registry with "
                    + "'apt-get install docker-registry' (.ci/run does)");
        }
        try {
            Path directory = Files.createTempDirectory("ebb-registry");
            StringBuilder config = new StringBuilder("""
                    version: 0.1
                    log:
                      level: error
                      accesslog:
                        disabled: true
                    storage:
                      filesystem:
                        rootdirectory: %s
                    http:
                      addr: 127.0.0.1:%d
                      secret: %s
                    """.formatted(storage, port, UUID.randomUUID()));
            if (ca != null) {
                TestCertificates.Issued server = TestCertificates.server(ca);
                Path cert = Files.writeString(directory.resolve("server.pem"), server.certificatePem());
                Path key = Files.writeString(directory.resolve("server.key"), server.privateKeyPem());
                config.append("  tls:\n    certificate: ").append(cert).append("\n    key: ").append(key).append('\n');
            }
            if (users != null) {
                BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder(4);
                StringBuilder htpasswd = new StringBuilder();
                users.forEach((user, password) -> htpasswd.append(user).append(':').append(bcrypt.encode(password)).append('\n'));
                Path file = Files.writeString(directory.resolve("htpasswd"), htpasswd);
                config.append("auth:\n  htpasswd:\n    realm: ebb-test\n    path: ").append(file).append('\n');
            }
            config.append(auth);
            Path file = Files.writeString(directory.resolve("config.yml"), config);
            Process process = new ProcessBuilder(BINARY, "serve", file.toString()).redirectErrorStream(true)
                    .redirectOutput(directory.resolve("registry.log").toFile()).start();
            RealRegistry registry = new RealRegistry(process, port, ca == null ? "http" : "https", directory);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the registry exited: " + registry.log());
                }
                try (var socket = new java.net.Socket("127.0.0.1", port)) {
                    return socket.isConnected();
                } catch (IOException e) {
                    return false;
                }
            });
            return registry;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The registry as an image reference names it: {@code 127.0.0.1:port}. */
    public String host() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public String log() {
        try {
            return Files.readString(directory.resolve("registry.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }


    @Override
    public void close() {
        Processes.stop(process, Duration.ofSeconds(10));
    }

    // ---- pushing, through the registry's own API, to a plain-HTTP anonymous registry

    /** Pushes a one-layer image for {@code architecture} under {@code tag}; returns its manifest's digest. */
    public String pushImage(String repository, String tag, String architecture) {
        String manifest = manifestFor(repository, architecture, tag);
        return putManifest(repository, tag, "application/vnd.oci.image.manifest.v1+json", manifest);
    }

    /** Pushes an index of one image per architecture under {@code tag}; returns the index's digest. */
    public String pushIndex(String repository, String tag, List<String> architectures) {
        List<String> entries = new ArrayList<>();
        for (String architecture : architectures) {
            String manifest = manifestFor(repository, architecture, tag);
            String digest = putManifest(repository, digest(manifest), "application/vnd.oci.image.manifest.v1+json", manifest);
            entries.add("""
                    {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": "%s", "size": %d,
                     "platform": {"architecture": "%s", "os": "linux"}}""".formatted(digest,
                    manifest.getBytes(StandardCharsets.UTF_8).length, architecture));
        }
        String index = """
                {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": [%s]}"""
                .formatted(String.join(", ", entries));
        return putManifest(repository, tag, "application/vnd.oci.image.index.v1+json", index);
    }

    private String manifestFor(String repository, String architecture, String salt) {
        String layer = "layer of " + repository + " for " + architecture + " " + salt + " " + UUID.randomUUID();
        String config = """
                {"architecture": "%s", "os": "linux", "rootfs": {"type": "layers", "diff_ids": ["%s"]}}"""
                .formatted(architecture, digest(layer));
        pushBlob(repository, config);
        pushBlob(repository, layer);
        return """
                {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                 "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": "%s", "size": %d},
                 "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": "%s", "size": %d}]}"""
                .formatted(digest(config), config.getBytes(StandardCharsets.UTF_8).length, digest(layer),
                        layer.getBytes(StandardCharsets.UTF_8).length);
    }

    private void pushBlob(String repository, String content) {
        HttpResponse<String> started = send(HttpRequest.newBuilder(uri("/v2/" + repository + "/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        expect(started, 202);
        String location = started.headers().firstValue("Location").orElseThrow();
        URI upload = URI.create(uri("/").resolve(location) + (location.contains("?") ? "&" : "?") + "digest=" + digest(content));
        expect(send(HttpRequest.newBuilder(upload).header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofString(content))), 201);
    }

    private String putManifest(String repository, String reference, String mediaType, String manifest) {
        HttpResponse<String> put = send(HttpRequest.newBuilder(uri("/v2/" + repository + "/manifests/" + reference))
                .header("Content-Type", mediaType).PUT(HttpRequest.BodyPublishers.ofString(manifest)));
        expect(put, 201);
        return put.headers().firstValue("Docker-Content-Digest").orElse(digest(manifest));
    }

    private URI uri(String path) {
        return URI.create(scheme + "://" + host() + path);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void expect(HttpResponse<String> response, int status) {
        if (response.statusCode() != status) {
            throw new IllegalStateException(response.request().method() + " " + response.request().uri() + " answered "
                    + response.statusCode() + ": " + response.body() + "\nregistry log: " + log());
        }
    }

    /** The sha256 digest of text as UTF-8, as the registry names content. */
    public static String digest(String content) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(content.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
