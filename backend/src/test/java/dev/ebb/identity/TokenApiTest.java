package dev.ebb.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.support.ApiTest;
import dev.ebb.support.Http;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/** Model-Management and CI/CD call the API with tokens an admin creates, sees once, and can revoke. */
class TokenApiTest extends ApiTest {

    @Autowired
    JdbcTemplate jdbc;

    private static String name() {
        return "mm-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private Http as(String value) {
        return anonymous().header("Authorization", "Bearer " + value);
    }

    private JsonNode create(String name, String namespace) {
        Http.Response created = http().post("/api/v1/tokens", "{\"name\": \"" + name + "\", \"grants\": [{\"namespace\": \""
                + namespace + "\", \"role\": \"deployer\"}], \"expiresInDays\": 30}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.header("Cache-Control")).contains("no-store");
        return created.json();
    }

    @Test
    void aNewTokenIsShownOnceAndWorksInItsNamespace() {
        String name = name();
        JsonNode created = create(name, "mm-models");
        String value = created.get("value").asString();
        assertThat(value).startsWith("ebb_");
        assertThat(created.get("status").asString()).isEqualTo("active");
        assertThat(created.get("createdBy").asString()).isEqualTo("token:bootstrap");
        assertThat(created.get("expiresAt").asString()).isNotBlank();

        assertThat(as(value).get("/api/v1/namespaces/mm-models/services").status()).isEqualTo(200);
        assertThat(as(value).get("/api/v1/namespaces/other/services").status()).isEqualTo(403);
        Http.Response listed = http().get("/api/v1/tokens");
        assertThat(listed.body()).contains(name).doesNotContain(value);
        JsonNode listedToken = null;
        for (JsonNode token : listed.json()) {
            if (token.get("name").asString().equals(name)) {
                listedToken = token;
            }
        }
        assertThat(listedToken).isNotNull();
        assertThat(listedToken.at("/grants/0/namespace").asString()).isEqualTo("mm-models");
        assertThat(listedToken.at("/grants/0/role").asString()).isEqualTo("deployer");
        assertThat(http().get("/api/v1/tokens/" + name).body()).doesNotContain(value);
        Integer stored = jdbc.queryForObject("select count(*) from api_tokens where token_hash = ?", Integer.class, value);
        assertThat(stored).isZero();
    }

    @Test
    void aRevokedTokenIsRefusedOnTheNextRequest() {
        String name = name();
        String value = create(name, "mm-revoke").get("value").asString();
        assertThat(as(value).get("/api/v1/namespaces/mm-revoke/services").status()).isEqualTo(200);
        Http.Response revoked = http().delete("/api/v1/tokens/" + name);
        assertThat(revoked.status()).isEqualTo(200);
        assertThat(revoked.json().get("status").asString()).isEqualTo("revoked");
        assertThat(revoked.json().get("revokedBy").asString()).isEqualTo("token:bootstrap");
        Http.Response refused = as(value).get("/api/v1/namespaces/mm-revoke/services");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.json().get("detail").asString()).contains("revoked");
        assertThat(http().get("/api/v1/audit?actor=token:bootstrap").body()).contains("token.revoke").contains("token/" + name);
    }

    @Test
    void anExpiredTokenIsRefused() {
        String name = name();
        String value = create(name, "mm-expiry").get("value").asString();
        jdbc.update("update api_tokens set expires_at = now() - interval '1 second' where name = ?", name);
        assertThat(as(value).get("/api/v1/namespaces/mm-expiry/services").status()).isEqualTo(401);
        assertThat(http().get("/api/v1/tokens/" + name).json().get("status").asString()).isEqualTo("expired");
    }

    @Test
    void aTokensLastUseIsRecorded() {
        String name = name();
        String value = create(name, "mm-used").get("value").asString();
        assertThat(http().get("/api/v1/tokens/" + name).json().get("lastUsedAt").isNull()).isTrue();
        as(value).get("/api/v1/namespaces/mm-used/services");
        assertThat(http().get("/api/v1/tokens/" + name).json().get("lastUsedAt").asString()).isNotBlank();
    }

    @Test
    void aGatewayTokenOnlyReachesTheGatewayEndpoints() {
        Http.Response created = http().post("/api/v1/tokens", "{\"name\": \"" + name() + "\", \"kind\": \"gateway\"}");
        assertThat(created.status()).isEqualTo(201);
        Http gateway = as(created.json().get("value").asString());
        assertThat(gateway.get("/internal/v1/routing").status()).isEqualTo(200);
        assertThat(gateway.get("/api/v1/namespaces/default/services").status()).isEqualTo(403);
        assertThat(gateway.get("/api/v1/tokens").status()).isEqualTo(403);
    }

    @Test
    void badTokenRequestsSayWhatToFix() {
        Http.Response noGrants = http().post("/api/v1/tokens", "{\"name\": \"" + name() + "\"}");
        assertThat(noGrants.status()).isEqualTo(422);
        assertThat(noGrants.body()).contains("at least one role");

        Http.Response badRole = http().post("/api/v1/tokens", "{\"name\": \"" + name() + "\", \"grants\": [{\"namespace\": \"ml\", \"role\": \"owner\"}]}");
        assertThat(badRole.status()).isEqualTo(422);
        assertThat(badRole.body()).contains("grants[0].role").contains("viewer, deployer, admin");

        Http.Response typo = http().post("/api/v1/tokens", "{\"name\": \"" + name() + "\", \"grant\": []}");
        assertThat(typo.status()).isEqualTo(400);
        assertThat(typo.body()).contains("did you mean 'grants'?");

        Http.Response gatewayWithRoles = http().post("/api/v1/tokens", "{\"name\": \"" + name() + "\", \"kind\": \"gateway\", "
                + "\"grants\": [{\"namespace\": \"ml\", \"role\": \"viewer\"}]}");
        assertThat(gatewayWithRoles.status()).isEqualTo(422);

        String taken = name();
        create(taken, "ml");
        Http.Response again = http().post("/api/v1/tokens", "{\"name\": \"" + taken + "\", \"grants\": [{\"namespace\": \"ml\", \"role\": \"viewer\"}]}");
        assertThat(again.status()).isEqualTo(409);
    }

    @Test
    void badUserRequestsSayWhatToFixAndStoreNothing() {
        Http.Response shortPassword = http().post("/api/v1/users", "{\"username\": \"short-pw\", \"password\": \"abc\"}");
        assertThat(shortPassword.status()).isEqualTo(422);
        assertThat(shortPassword.body()).contains("at least 12 characters");
        assertThat(http().get("/api/v1/users/short-pw").status()).isEqualTo(404);

        Http.Response badName = http().post("/api/v1/users", "{\"username\": \"Alice Smith\", \"password\": \"long enough password\"}");
        assertThat(badName.status()).isEqualTo(422);
        assertThat(badName.body()).contains("lower-case");

        Http.Response typo = http().post("/api/v1/users", "{\"username\": \"typo\", \"pasword\": \"long enough password\"}");
        assertThat(typo.status()).isEqualTo(400);
        assertThat(typo.body()).contains("did you mean 'password'?");
    }

    @Test
    void userChangesAreAuditedWithoutThePassword() {
        String username = "audited-" + UUID.randomUUID().toString().substring(0, 6);
        String password = "a password nobody should see";
        assertThat(http().post("/api/v1/users", "{\"username\": \"" + username + "\", \"password\": \"" + password + "\", "
                + "\"grants\": [{\"namespace\": \"*\", \"role\": \"viewer\"}]}").status()).isEqualTo(201);
        assertThat(http().patch("/api/v1/users/" + username, "{\"password\": \"another secret password\"}").status()).isEqualTo(200);
        String audit = http().get("/api/v1/audit?actor=token:bootstrap").body();
        assertThat(audit).contains("user.create").contains("user.update.password").contains("user/" + username)
                .doesNotContain(password).doesNotContain("another secret password").doesNotContain("$2a$");
    }
}
