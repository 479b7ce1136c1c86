package dev.ebb.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ebb.support.MutableClock;
import dev.ebb.support.Ports;
import dev.ebb.support.RealRegistry;
import dev.ebb.support.TestCertificates;
import dev.ebb.support.TokenIssuer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Resolution against real registries (Debian's Distribution registry on loopback): each way of reaching one, and each
 * failure by the sentence a revision would show.
 */
class RegistryClientTest {

    private static final String NS = "ml";
    private static final RegistryClient.Login CI = new RegistryClient.Login("registry", "ci", "s3cret");

    private static Path storage;
    private static RealRegistry plain;
    private static RealRegistry basic;
    private static RealRegistry tls;
    private static RealRegistry token;
    private static TokenIssuer issuer;
    private static TestCertificates.Issued ca;
    private static String model10;
    private static String multi;

    @BeforeAll
    static void startRegistries() throws IOException {
        storage = Files.createTempDirectory("ebb-registry-storage");
        plain = RealRegistry.plain(storage);
        model10 = plain.pushImage("acme/model", "1.0", "amd64");
        plain.pushImage("acme/model", "1.1", "amd64");
        plain.pushImage("acme/model", "latest", "amd64");
        multi = plain.pushIndex("acme/multi", "1.0", List.of("amd64", "arm64"));
        basic = RealRegistry.basic(storage, Map.of("ci", "s3cret"));
        ca = TestCertificates.authority("ebb-test-ca");
        tls = RealRegistry.tls(storage, ca);
        issuer = new TokenIssuer(Map.of("ci", "s3cret", "outsider", "pw"), Set.of("ci"), 300);
        token = RealRegistry.token(storage, issuer);
    }

    @AfterAll
    static void stopRegistries() {
        for (AutoCloseable closeable : new AutoCloseable[] {plain, basic, tls, token, issuer}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static RegistryClient client() {
        return new RegistryClient(Duration.ofSeconds(10), Clock.systemUTC());
    }

    private static RegistryClient.Endpoint http(RegistryClient.Login login) {
        return new RegistryClient.Endpoint("http", login, null, "EBB_REGISTRY_PLAIN_HTTP lists it");
    }

    private static RegistryClient.Resolved resolve(RegistryClient client, String image, RegistryClient.Endpoint endpoint)
            throws ResolutionException {
        return client.resolve(ImageName.parse(image), image, endpoint);
    }

    private static String failure(RegistryClient client, String image, RegistryClient.Endpoint endpoint) {
        ResolutionException e = catchThrowableOfType(ResolutionException.class, () -> resolve(client, image, endpoint));
        assertThat(e).as("resolving " + image + " fails").isNotNull();
        return e.failure().message(NS, e.failure().kind().passing() ? Duration.ofSeconds(4) : null);
    }

    @Test
    void aTagOfAPlainHttpRegistryResolvesToItsManifestDigest() throws Exception {
        RegistryClient.Resolved resolved = resolve(client(), plain.host() + "/acme/model:1.0", http(null));

        assertThat(resolved.digest()).isEqualTo(model10);
        assertThat(resolved.mediaType()).isEqualTo("application/vnd.oci.image.manifest.v1+json");
    }

    @Test
    void aMultiArchIndexResolvesToTheIndexDigest() throws Exception {
        RegistryClient.Resolved resolved = resolve(client(), plain.host() + "/acme/multi:1.0", http(null));

        assertThat(resolved.digest()).isEqualTo(multi);
        assertThat(resolved.mediaType()).isEqualTo("application/vnd.oci.image.index.v1+json");
    }

    @Test
    void anUnknownTagSaysWhichTagsTheRepositoryHas() {
        assertThat(failure(client(), plain.host() + "/acme/model:2.0", http(null))).isEqualTo("Registry " + plain.host()
                + " has no tag '2.0' in repository acme/model; it has 1.0, 1.1, latest. Push the tag, or change the "
                + "service's image to a tag that exists.");
    }

    @Test
    void anUnknownRepositorySaysToCheckTheName() {
        assertThat(failure(client(), plain.host() + "/acme/nothing:1.0", http(null))).startsWith("Registry " + plain.host()
                + " has no repository acme/nothing. Check the image name");
    }

    @Test
    void basicAuthWithTheStoredCredentialResolves() throws Exception {
        assertThat(resolve(client(), basic.host() + "/acme/model:1.0", http(CI)).digest()).isEqualTo(model10);
    }

    @Test
    void basicAuthWithoutCredentialsSaysToAddThemForTheHost() {
        assertThat(failure(client(), basic.host() + "/acme/model:1.0", http(null))).isEqualTo("Registry " + basic.host()
                + " refused anonymous access to acme/model (401 Unauthorized). Add registry credentials for host "
                + basic.host() + " in namespace ml (POST /api/v1/namespaces/ml/registry-credentials with \"server\": \""
                + basic.host() + "\"); Ebb tries again when they change.");
    }

    @Test
    void basicAuthWithAWrongPasswordNamesTheCredential() {
        assertThat(failure(client(), basic.host() + "/acme/model:1.0",
                http(new RegistryClient.Login("registry", "ci", "wrong")))).isEqualTo("Registry " + basic.host()
                + " rejected registry credential 'registry' (user ci) for acme/model (401 Unauthorized). Check its username "
                + "and password (PUT /api/v1/namespaces/ml/registry-credentials/registry); Ebb tries again when it changes.");
    }

    @Test
    void bearerTokensAreFetchedOnceAndCachedUntilTheyExpire() throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        RegistryClient client = new RegistryClient(Duration.ofSeconds(10), clock);
        int before = issuer.issued();

        assertThat(resolve(client, token.host() + "/acme/model:1.0", http(CI)).digest()).isEqualTo(model10);
        assertThat(resolve(client, token.host() + "/acme/model:1.1", http(CI)).digest()).isNotEqualTo(model10);
        assertThat(issuer.issued() - before).as("one token for both resolutions").isEqualTo(1);

        clock.advance(Duration.ofSeconds(300));
        assertThat(resolve(client, token.host() + "/acme/model:1.0", http(CI)).digest()).isEqualTo(model10);
        assertThat(issuer.issued() - before).as("a new token once the first expired").isEqualTo(2);
    }

    @Test
    void bearerAuthWithoutCredentialsSaysToAddThem() {
        assertThat(failure(client(), token.host() + "/acme/model:1.0", http(null))).startsWith("Registry " + token.host()
                + " refused anonymous access to acme/model (its token server 127.0.0.1 answered 401 Unauthorized). Add "
                + "registry credentials for host " + token.host());
    }

    @Test
    void bearerAuthWithAWrongPasswordNamesTheCredential() {
        assertThat(failure(client(), token.host() + "/acme/model:1.0", http(new RegistryClient.Login("registry", "ci", "x"))))
                .startsWith("Registry " + token.host() + " rejected registry credential 'registry' (user ci) for acme/model");
    }

    @Test
    void aUserWithoutPullAccessIsToldToGetIt() {
        assertThat(failure(client(), token.host() + "/acme/model:1.0",
                http(new RegistryClient.Login("outsider", "outsider", "pw")))).startsWith("Registry " + token.host()
                + " denied user outsider of registry credential 'outsider' pulling acme/model (401 Unauthorized). Grant "
                + "that user pull access to the repository");
    }

    @Test
    void tlsWithTheRegistrysCaBundleResolves() throws Exception {
        RegistryClient.Endpoint endpoint = new RegistryClient.Endpoint("https", null, ca.certificatePem(), null);
        assertThat(resolve(client(), tls.host() + "/acme/model:1.0", endpoint).digest()).isEqualTo(model10);
    }

    @Test
    void aCertificateNotTrustedSaysToAddItsCa() {
        assertThat(failure(client(), tls.host() + "/acme/model:1.0", new RegistryClient.Endpoint("https", null, null, null)))
                .startsWith("Registry " + tls.host() + " presented a certificate Ebb does not trust (")
                .contains("Add the CA certificate that signed it (PEM) as \"caBundle\" of the registry credential for "
                        + tls.host() + " in namespace ml");
    }

    @Test
    void httpsSpokenToAPlainHttpRegistrySaysHowToListItAsPlain() {
        assertThat(failure(client(), plain.host() + "/acme/model:1.0", new RegistryClient.Endpoint("https", null, null, null)))
                .isEqualTo("Registry " + plain.host() + " answers in plain HTTP, but Ebb spoke HTTPS to it: only registries "
                        + "listed as plain HTTP are spoken to without TLS. If " + plain.host() + " is meant to be plain HTTP, "
                        + "add it to EBB_REGISTRY_PLAIN_HTTP or set \"plainHttp\": true on its registry credential in "
                        + "namespace ml; otherwise make it serve HTTPS.");
    }

    @Test
    void plainHttpSpokenToATlsRegistrySaysWhyItWasPlain() {
        assertThat(failure(client(), tls.host() + "/acme/model:1.0", http(null))).isEqualTo("Registry " + tls.host()
                + " expects HTTPS, but Ebb spoke plain HTTP to it because EBB_REGISTRY_PLAIN_HTTP lists it. Take it off "
                + "that list, or make the registry serve plain HTTP.");
    }

    @Test
    void aRegistryThatNeverAnswersTimesOut() throws Exception {
        List<Socket> accepted = new ArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept());
                    }
                } catch (IOException e) {
                    // closed at the end of the test
                }
            });
            acceptor.start();
            RegistryClient client = new RegistryClient(Duration.ofMillis(300), Clock.systemUTC());
            String host = "127.0.0.1:" + silent.getLocalPort();

            assertThat(failure(client, host + "/acme/model:1.0", http(null))).isEqualTo("Registry " + host
                    + " did not answer within 300 ms. Check that it is up and reachable from Ebb, or raise "
                    + "EBB_REGISTRY_TIMEOUT. Ebb tries again in 4 s.");
        } finally {
            for (Socket socket : accepted) {
                socket.close();
            }
        }
    }

    @Test
    void aHostDnsDoesNotKnowSaysSo() {
        assertThat(failure(client(), "registry.invalid:5000/acme/model:1.0", http(null))).isEqualTo("Registry host "
                + "registry.invalid is not known to DNS. Check the registry part of the image "
                + "registry.invalid:5000/acme/model:1.0, and that Ebb's resolver knows the host. Ebb tries again in 4 s.");
    }

    @Test
    void aPortNothingListensOnIsRefused() throws Exception {
        String host = "127.0.0.1:" + Ports.free();
        assertThat(failure(client(), host + "/acme/model:1.0", http(null))).isEqualTo("Registry " + host
                + " refused the connection: nothing listens on " + host + ". Check that the registry runs and that the "
                + "image names its host and port. Ebb tries again in 4 s.");
    }
}
