package dev.ebb.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.support.ApiTest;
import dev.ebb.support.Http;
import dev.ebb.support.Services;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

class RegistryCredentialApiTest extends ApiTest {

    @Autowired
    RegistryCredentials credentials;

    private final String ns = Services.freshNamespace();
    private final String password = "pw-" + UUID.randomUUID();

    private String path() {
        return "/api/v1/namespaces/" + ns + "/registry-credentials";
    }

    private Http.Response create(String name) {
        return http().post(path(), """
                {"name": "%s", "server": "ghcr.io", "username": "ci-bot", "password": "%s"}""".formatted(name, password));
    }

    private JsonNode events() {
        return http().get("/api/v1/audit?namespace=" + ns).json().get("items");
    }

    @Test
    void aCredentialShowsItsServerAndUserButNeverItsPassword() {
        Http.Response created = create("ghcr");

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.header("Location")).isEqualTo(path() + "/ghcr");
        JsonNode read = http().get(path() + "/ghcr").json();
        assertThat(read.get("name").asString()).isEqualTo("ghcr");
        assertThat(read.get("namespace").asString()).isEqualTo(ns);
        assertThat(read.get("server").asString()).isEqualTo("ghcr.io");
        assertThat(read.get("username").asString()).isEqualTo("ci-bot");
        assertThat(read.at("/password/stored").asBoolean()).isTrue();
        assertThat(read.at("/password/encryptedWith").asString()).isNotBlank();
        assertThat(read.at("/metadata/resourceVersion").asString()).isEqualTo("1");
        assertThat(read.toString()).doesNotContain(password);
        assertThat(credentials.login(ns, "ghcr")).isEqualTo(new RegistryLogin("ghcr", "ghcr.io", "ci-bot", password, false, null));
        JsonNode create = events().get(0);
        assertThat(create.get("action").asString()).isEqualTo("registry-credential.create");
        assertThat(create.get("target").asString()).isEqualTo("namespaces/" + ns + "/registry-credentials/ghcr");
        assertThat(create.at("/after/password/changed").asBoolean()).isTrue();
        assertThat(create.toString()).doesNotContain(password);
    }

    @Test
    void aPlainHttpRegistryAndACaBundleAreStoredAndHandedToWhoResolvesImages() {
        String ca = dev.ebb.support.TestCertificates.authority("ebb-test-ca").certificatePem();
        Http.Response created = http().post(path(), """
                {"name": "lan", "server": "localhost:32000", "username": "ci", "password": "pw", "plainHttp": true,
                 "caBundle": %s}""".formatted(tools.jackson.databind.json.JsonMapper.builder().build().writeValueAsString(ca)));

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().get("plainHttp").asBoolean()).isTrue();
        assertThat(created.json().get("caBundle").asString()).isEqualTo(ca);
        assertThat(credentials.loginFor(ns, "localhost:32000")).contains(new RegistryLogin("lan", "localhost:32000", "ci", "pw",
                true, ca));
        assertThat(credentials.loginFor(ns, "localhost:5000")).isEmpty();
    }

    @Test
    void aCaBundleThatIsNoCertificateIsRefusedSayingWhatItMustBe() {
        Http.Response refused = http().post(path(), """
                {"name": "lan", "server": "registry.lan", "username": "ci", "password": "pw", "caBundle": "not a pem"}""");

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.body()).contains("caBundle", "must be one or more PEM certificates");
    }

    @Test
    void aMisspelledFieldIsRefusedWithTheNearestName() {
        Http.Response refused = http().post(path(), """
                {"name": "lan", "server": "registry.lan", "username": "ci", "password": "pw", "plainHtp": true}""");

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).contains("plainHtp", "did you mean 'plainHttp'?");
    }

    @Test
    void credentialsAreListedByNameWithinTheirNamespace() {
        create("b");
        create("a");
        create("c");
        http().post("/api/v1/namespaces/" + Services.freshNamespace() + "/registry-credentials",
                "{\"name\": \"elsewhere\", \"server\": \"ghcr.io\", \"username\": \"u\", \"password\": \"p\"}");

        JsonNode first = http().get(path() + "?limit=2").json();
        JsonNode second = http().get(path() + "?limit=2&continue=" + first.get("continue").asString()).json();

        assertThat(first.get("items").findValuesAsString("name")).containsExactly("a", "b");
        assertThat(second.get("items").findValuesAsString("name")).containsExactly("c");
        assertThat(second.get("continue").isNull()).isTrue();
    }

    @Test
    void replacingWithoutAPasswordKeepsTheStoredOne() {
        create("ghcr");

        Http.Response replaced = http().header("If-Match", "\"1\"").put(path() + "/ghcr",
                "{\"server\": \"localhost:5000\", \"username\": \"robot\"}");

        assertThat(replaced.status()).as(replaced.body()).isEqualTo(200);
        assertThat(replaced.json().get("server").asString()).isEqualTo("localhost:5000");
        assertThat(replaced.header("ETag")).isEqualTo("\"2\"");
        assertThat(credentials.login(ns, "ghcr").password()).isEqualTo(password);
        JsonNode update = events().get(0);
        assertThat(update.get("action").asString()).isEqualTo("registry-credential.update");
        assertThat(update.at("/before/server").asString()).isEqualTo("ghcr.io");
        assertThat(update.at("/after/password/changed").asBoolean()).isFalse();
    }

    @Test
    void sendingTheSamePasswordAgainChangesNothing() {
        create("ghcr");

        Http.Response same = http().put(path() + "/ghcr", """
                {"server": "ghcr.io", "username": "ci-bot", "password": "%s"}""".formatted(password));

        assertThat(same.header("ETag")).isEqualTo("\"1\"");
        assertThat(events()).hasSize(1);
    }

    @Test
    void aNewPasswordIsStoredAndAuditedAsChanged() {
        create("ghcr");

        http().put(path() + "/ghcr", "{\"server\": \"ghcr.io\", \"username\": \"ci-bot\", \"password\": \"rotated-pw\"}");

        assertThat(credentials.login(ns, "ghcr").password()).isEqualTo("rotated-pw");
        assertThat(events().get(0).at("/after/password/changed").asBoolean()).isTrue();
    }

    @Test
    void badInputNamesEveryFieldAtOnce() {
        Http.Response response = http().post(path(), "{\"name\": \"GHCR\", \"server\": \"https://ghcr.io\", \"password\": \"x\"}");

        assertThat(response.status()).isEqualTo(422);
        assertThat(response.json().get("errors").findValuesAsString("field")).containsExactly("name", "server", "username");
    }

    @Test
    void anUnknownFieldIsRefusedWithTheNearestKnownName() {
        Http.Response response = http().post(path(), "{\"name\": \"ghcr\", \"passwd\": \"x\"}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("detail").asString()).contains("unknown field 'passwd'; did you mean 'password'?");
    }

    @Test
    void aDuplicateNameIsAConflictAndAMissingOneNotFound() {
        create("ghcr");

        assertThat(create("ghcr").status()).isEqualTo(409);
        assertThat(http().get(path() + "/nope").status()).isEqualTo(404);
        assertThat(http().put(path() + "/nope", "{\"server\": \"ghcr.io\", \"username\": \"u\"}").status()).isEqualTo(404);
    }

    @Test
    void aDeletedCredentialIsGoneAndItsDeletionAudited() {
        create("ghcr");

        assertThat(http().header("If-Match", "\"9\"").delete(path() + "/ghcr").status()).isEqualTo(412);
        assertThat(http().delete(path() + "/ghcr").status()).isEqualTo(204);

        assertThat(http().get(path() + "/ghcr").status()).isEqualTo(404);
        JsonNode delete = events().get(0);
        assertThat(delete.get("action").asString()).isEqualTo("registry-credential.delete");
        assertThat(delete.at("/before/username").asString()).isEqualTo("ci-bot");
    }
}
