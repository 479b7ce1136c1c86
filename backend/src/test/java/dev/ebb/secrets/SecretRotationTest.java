package dev.ebb.secrets;

import static dev.ebb.support.Kubeconfigs.clusterBody;
import static dev.ebb.support.Kubeconfigs.kubeconfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ebb.EbbApplication;
import dev.ebb.cluster.Clusters;
import dev.ebb.registry.RegistryCredentials;
import dev.ebb.support.Http;
import dev.ebb.support.TestDatabase;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Rotation as an operator does it, across restarts of Ebb on one database: values written under key A,
 * then B added in front of A and rotated, then A dropped.
 */
class SecretRotationTest {

    private static final String TOKEN = "rotation-test-token";
    private static final String KUBE_TOKEN = "kube-token-rotation";
    private static final String PASSWORD = "registry-pw-rotation";

    @TempDir
    Path dataDir;

    private final TestDatabase.Coordinates db = TestDatabase.fresh();
    private final String a = "a:" + newKey();
    private final String b = "b:" + newKey();
    private final String c = "c:" + newKey();

    private static String newKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    private ConfigurableApplicationContext start(String keys) {
        return new SpringApplicationBuilder(EbbApplication.class).run("--server.port=0", "--ebb.data-dir=" + dataDir,
                "--ebb.database.url=" + db.url(), "--ebb.database.username=" + db.username(),
                "--ebb.database.password=" + db.password(), "--ebb.bootstrap-token=" + TOKEN,
                "--ebb.runtime.enabled=false", "--ebb.gateway.enabled=false", "--ebb.secrets.keys=" + keys);
    }

    private static Http http(ConfigurableApplicationContext app) {
        return Http.to("http://localhost:" + app.getEnvironment().getProperty("local.server.port"), TOKEN);
    }

    @Test
    void afterRotatingToANewKeyTheOldOneCanBeDroppedAndEverythingStillReads() {
        try (ConfigurableApplicationContext app = start(a)) {
            assertThat(http(app).post("/api/v1/clusters", clusterBody("rotating", kubeconfig("https://127.0.0.1", KUBE_TOKEN)))
                    .status()).isEqualTo(201);
            assertThat(http(app).post("/api/v1/namespaces/ml/registry-credentials", """
                    {"name": "ghcr", "server": "ghcr.io", "username": "ci", "password": "%s"}""".formatted(PASSWORD))
                    .status()).isEqualTo(201);
            assertThat(http(app).get("/api/v1/clusters/rotating").json().at("/kubeconfig/encryptedWith").asString())
                    .isEqualTo("a");
        }

        try (ConfigurableApplicationContext app = start(b + "," + a)) {
            JsonNode rotated = http(app).post("/api/v1/secrets/rotate", null).json();
            assertThat(rotated.get("currentKey").asString()).isEqualTo("b");
            assertThat(rotated.at("/reencrypted/a").asInt()).isEqualTo(2);
            assertThat(rotated.get("alreadyCurrent").asInt()).isZero();
            assertThat(http(app).get("/api/v1/clusters/rotating").json().at("/kubeconfig/encryptedWith").asString())
                    .isEqualTo("b");
            assertThat(http(app).get("/api/v1/namespaces/ml/registry-credentials/ghcr").json().at("/password/encryptedWith")
                    .asString()).isEqualTo("b");
            JsonNode event = http(app).get("/api/v1/audit?limit=1").json().get("items").get(0);
            assertThat(event.get("action").asString()).isEqualTo("secrets.rotate");
            assertThat(event.at("/before/valuesByKey/a").asInt()).isEqualTo(2);
            assertThat(event.at("/after/valuesByKey/b").asInt()).isEqualTo(2);
        }

        try (ConfigurableApplicationContext app = start(b)) {
            JsonNode again = http(app).post("/api/v1/secrets/rotate", null).json();
            assertThat(again.get("reencrypted").isEmpty()).isTrue();
            assertThat(again.get("alreadyCurrent").asInt()).isEqualTo(2);
            assertThat(app.getBean(Clusters.class).kubeconfig("rotating")).contains("token: " + KUBE_TOKEN);
            assertThat(app.getBean(RegistryCredentials.class).login("ml", "ghcr").password()).isEqualTo(PASSWORD);
        }
    }

    @Test
    void droppingAKeyBeforeRotatingNamesTheMissingKey() {
        try (ConfigurableApplicationContext app = start(a)) {
            http(app).post("/api/v1/clusters", clusterBody("early-drop", kubeconfig("https://127.0.0.1", KUBE_TOKEN)));
        }

        try (ConfigurableApplicationContext app = start(b)) {
            Http.Response rotate = http(app).post("/api/v1/secrets/rotate", null);

            assertThat(rotate.status()).isEqualTo(500);
            assertThat(rotate.json().get("detail").asString())
                    .contains("The stored secret of cluster/early-drop was encrypted with key 'a', which is not configured")
                    .contains("add key 'a' back to EBB_SECRETS_KEYS");
            assertThat(http(app).get("/api/v1/clusters/early-drop").json().at("/kubeconfig/encryptedWith").asString())
                    .isEqualTo("a");
        }
    }

    @Test
    void aRotationThatMeetsAnUnreadableValueChangesNothing() {
        try (ConfigurableApplicationContext app = start(a)) {
            http(app).post("/api/v1/clusters", clusterBody("first", kubeconfig("https://127.0.0.1", KUBE_TOKEN)));
        }
        try (ConfigurableApplicationContext app = start(c)) {
            http(app).post("/api/v1/clusters", clusterBody("second", kubeconfig("https://127.0.0.1", KUBE_TOKEN)));
        }

        try (ConfigurableApplicationContext app = start(b + "," + a)) {
            Http.Response rotate = http(app).post("/api/v1/secrets/rotate", null);

            assertThat(rotate.status()).isEqualTo(500);
            assertThat(rotate.json().get("detail").asString()).contains("cluster/second was encrypted with key 'c'");
            assertThat(http(app).get("/api/v1/clusters/first").json().at("/kubeconfig/encryptedWith").asString())
                    .as("the value re-encrypted before the failure was rolled back").isEqualTo("a");
            assertThat(http(app).get("/api/v1/audit?limit=1").json().at("/items/0/action").asString())
                    .isEqualTo("cluster.create");
        }
    }

    @Test
    void aKeyOfTheWrongLengthStopsStartUpSayingWhatIsWrong() {
        String shortKey = "a:" + Base64.getEncoder().encodeToString(new byte[16]);

        assertThatThrownBy(() -> start(shortKey).close())
                .rootCause()
                .isInstanceOf(InvalidKeysException.class)
                .hasMessageContaining("Key 'a' in EBB_SECRETS_KEYS is 16 bytes long, but AES-256 needs exactly 32");
    }
}
