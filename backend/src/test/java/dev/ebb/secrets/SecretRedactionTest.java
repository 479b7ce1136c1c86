package dev.ebb.secrets;

import static dev.ebb.support.Kubeconfigs.clusterBody;
import static dev.ebb.support.Kubeconfigs.jsonString;
import static dev.ebb.support.Kubeconfigs.kubeconfig;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.support.ApiTest;
import dev.ebb.support.Http;
import dev.ebb.support.Services;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/**
 * Runs every call that carries or touches a secret, with request-body and SQL-parameter logging turned
 * up, and finds no secret value in any response, any log line, or the stored rows.
 */
@ExtendWith(OutputCaptureExtension.class)
@TestPropertySource(properties = {
        "logging.level.org.springframework.web=debug",
        "logging.level.dev.ebb=debug",
        "logging.level.org.hibernate.orm.jdbc.bind=trace"})
@DirtiesContext
class SecretRedactionTest extends ApiTest {

    /** Log levels belong to the JVM, not the context: the test classes after this one log as usual again. */
    @AfterAll
    static void restoreLogLevels() {
        LoggingSystem logging = LoggingSystem.get(SecretRedactionTest.class.getClassLoader());
        for (String logger : List.of("org.springframework.web", "dev.ebb", "org.hibernate.orm.jdbc.bind")) {
            logging.setLogLevel(logger, null);
        }
    }

    @Autowired
    JdbcTemplate jdbc;

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String kubeToken = "kube-token-" + UUID.randomUUID();
    private final String newKubeToken = "kube-token-replaced-" + UUID.randomUUID();
    private final String password = "registry-pw-" + UUID.randomUUID();
    private final String newPassword = "registry-pw-replaced-" + UUID.randomUUID();
    private final String invalidKubeconfigToken = "kube-token-invalid-" + UUID.randomUUID();
    private final String unparsableKubeconfigToken = "kube-token-unparsable-" + UUID.randomUUID();
    private final String serverUrlPassword = "kube-url-pw-" + UUID.randomUUID();
    private final String rejectedPassword = "registry-pw-rejected-" + UUID.randomUUID();
    private final String unquotedPassword = "registryPwUnquoted" + UUID.randomUUID().toString().replace("-", "");
    private final String misTypedPassword = "registry-pw-mistyped-" + UUID.randomUUID();

    private final List<Http.Response> responses = new ArrayList<>();

    private Http.Response call(Http.Response response) {
        responses.add(response);
        return response;
    }

    @Test
    void noSecretValueReachesAResponseTheLogOrAStoredRow(CapturedOutput output) {
        String cluster = "redaction-" + run;
        String clusterPath = "/api/v1/clusters/" + cluster;
        String ns = Services.freshNamespace();
        String credentials = "/api/v1/namespaces/" + ns + "/registry-credentials";

        assertThat(call(http().post("/api/v1/clusters", clusterBody(cluster, kubeconfig("https://127.0.0.1", kubeToken))))
                .status()).isEqualTo(201);
        assertThat(call(http().post(credentials, """
                {"name": "ghcr", "server": "ghcr.io", "username": "ci-bot", "password": "%s"}""".formatted(password)))
                .status()).isEqualTo(201);
        call(http().get(clusterPath));
        call(http().get("/api/v1/clusters"));
        call(http().get(credentials + "/ghcr"));
        call(http().get(credentials));

        assertThat(call(http().put(clusterPath, "{\"kubeconfig\": "
                + jsonString(kubeconfig("https://127.0.0.1", newKubeToken)) + "}")).status()).isEqualTo(200);
        assertThat(call(http().put(credentials + "/ghcr", """
                {"server": "ghcr.io", "username": "ci-bot", "password": "%s"}""".formatted(newPassword))).status()).isEqualTo(200);
        assertThat(call(http().post("/api/v1/secrets/rotate", null)).status()).isEqualTo(200);

        assertThat(call(http().post("/api/v1/clusters", clusterBody("invalid-" + run,
                kubeconfig("https://127.0.0.1", invalidKubeconfigToken).replace("current-context: prod-admin\n", ""))))
                .status()).isEqualTo(422);
        assertThat(call(http().post("/api/v1/clusters", clusterBody("unparsable-" + run,
                kubeconfig("https://127.0.0.1", "\"" + unparsableKubeconfigToken)))).status()).isEqualTo(422);
        assertThat(call(http().post("/api/v1/clusters", clusterBody("userinfo-" + run,
                kubeconfig("https://admin:" + serverUrlPassword + "@127.0.0.1", kubeToken)))).status()).isEqualTo(422);
        assertThat(call(http().put(credentials + "/ghcr", """
                {"server": "https://ghcr.io/v2", "username": "ci-bot", "password": "%s"}""".formatted(rejectedPassword)))
                .status()).isEqualTo(422);
        assertThat(call(http().post(credentials, """
                {"name": "x", "server": "ghcr.io", "username": "u", "password": %s}""".formatted(unquotedPassword)))
                .status()).isEqualTo(400);
        assertThat(call(http().post(credentials, """
                {"name": "x", "server": "ghcr.io", "username": "u", "password": {"value": "%s"}}""".formatted(misTypedPassword)))
                .status()).isEqualTo(400);

        Map<String, Object> clusterRow = jdbc.queryForMap(
                "select kubeconfig_ciphertext, clusters::text as whole_row from clusters where name = ?", cluster);
        Map<String, Object> credentialRow = jdbc.queryForMap("select password_ciphertext, registry_credentials::text as whole_row"
                + " from registry_credentials where namespace = ? and name = 'ghcr'", ns);
        String storedBytes = new String((byte[]) clusterRow.get("kubeconfig_ciphertext"), StandardCharsets.ISO_8859_1)
                + new String((byte[]) credentialRow.get("password_ciphertext"), StandardCharsets.ISO_8859_1);
        String storedRows = clusterRow.get("whole_row") + "\n" + credentialRow.get("whole_row");

        assertThat(call(http().delete(clusterPath)).status()).isEqualTo(204);
        assertThat(call(http().delete(credentials + "/ghcr")).status()).isEqualTo(204);
        Http.Response audit = call(http().get("/api/v1/audit?limit=1000"));
        assertThat(audit.body()).contains("clusters/" + cluster, "registry-credentials/ghcr", "secrets.rotate");

        List<String> secrets = List.of(kubeToken, newKubeToken, password, newPassword, invalidKubeconfigToken,
                unparsableKubeconfigToken, serverUrlPassword, rejectedPassword, unquotedPassword, misTypedPassword);
        for (Http.Response response : responses) {
            String seen = response.body() + "\n" + response.raw().headers().map();
            assertThat(secrets).as("%s %s", response.raw().request().method(), response.raw().request().uri())
                    .noneSatisfy(secret -> assertThat(seen).contains(secret));
        }
        String log = output.getAll();
        assertThat(log).as("the captured log covers the run").contains("Secrets rotated to key", "kubeconfig=<redacted>",
                "password=<redacted>");
        assertThat(secrets).noneSatisfy(secret -> assertThat(log).contains(secret));
        assertThat(storedRows).contains(cluster, "ghcr.io");
        assertThat(List.of(kubeToken, newKubeToken, password, newPassword))
                .noneSatisfy(secret -> assertThat(storedBytes + storedRows).contains(secret));
    }
}
