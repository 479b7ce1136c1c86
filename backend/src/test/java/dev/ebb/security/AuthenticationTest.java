package dev.ebb.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.support.ApiTest;
import dev.ebb.support.Http;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AuthenticationTest extends ApiTest {

    @ParameterizedTest
    @CsvSource({
        "GET, /api/v1/namespaces/default/services",
        "POST, /api/v1/namespaces/default/services",
        "GET, /api/v1/namespaces/default/services/hello",
        "PUT, /api/v1/namespaces/default/services/hello",
        "PATCH, /api/v1/namespaces/default/services/hello",
        "DELETE, /api/v1/namespaces/default/services/hello",
        "PUT, /api/v1/namespaces/default/services/hello/traffic",
        "GET, /api/v1/namespaces/default/services/hello/revisions",
        "GET, /api/v1/namespaces/default/services/hello/revisions/hello-00001",
        "GET, /api/v1/namespaces/default/services/hello/revisions/hello-00001/diff/hello-00002",
        "GET, /api/v1/audit",
        "GET, /api/v1/anything-else"})
    void everyApiCallWithoutATokenIsRefused(String method, String path) {
        Http.Response response = anonymous().send(method, path, method.equals("GET") || method.equals("DELETE") ? null : "{}",
                method.equals("GET") || method.equals("DELETE") ? null : "application/json");
        assertThat(response.status()).as(response.toString()).isEqualTo(401);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
    }

    @Test
    void aWrongTokenIsRefused() {
        Http.Response response = anonymous().header("Authorization", "Bearer not-the-token").get("/api/v1/audit");
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.json().get("detail").asString()).contains("unknown, expired or revoked");
    }

    @Test
    void aMalformedAuthorizationHeaderIsRefused() {
        Http.Response response = anonymous().header("Authorization", "Basic YWRtaW46YWRtaW4=").get("/api/v1/audit");
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.json().get("detail").asString()).contains("Bearer <token>");
    }

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void tokensAreStoredOnlyAsHashes() throws Exception {
        List<String> stored = jdbc.queryForList("select token_hash from api_tokens where name = 'bootstrap'", String.class);
        assertThat(stored).containsExactly(sha256(TOKEN));
        Integer plain = jdbc.queryForObject("select count(*) from api_tokens where token_hash = ? or name = ?", Integer.class,
                TOKEN, TOKEN);
        assertThat(plain).isZero();
    }

    private static String sha256(String value) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(value.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Test
    void theBootstrapTokenIsAccepted() {
        assertThat(http().get("/api/v1/audit").status()).isEqualTo(200);
    }

    @Test
    void healthAndTheApiDocumentAreOpen() {
        assertThat(anonymous().get("/actuator/health").status()).isEqualTo(200);
        Http.Response docs = anonymous().get("/v3/api-docs");
        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.json().at("/paths").has("/api/v1/namespaces/{namespace}/services/{name}/revisions/{from}/diff/{to}")).isTrue();
        assertThat(anonymous().get("/swagger-ui/index.html").status()).isEqualTo(200);
    }

    @Test
    void theApiDocumentListsNoCallerParameterSinceTheCallerComesFromTheCredentials() {
        Http.Response docs = anonymous().get("/v3/api-docs");
        List<String> parameters = new java.util.ArrayList<>();
        docs.json().findValues("parameters").forEach(list -> list.forEach(parameter -> parameters.add(parameter.get("name").asString())));
        assertThat(parameters).contains("namespace", "continue").doesNotContain("caller");
    }

    @Test
    void aLinkToAConsoleScreenOpensTheConsoleWithoutItsData() {
        for (String screen : List.of("/services", "/services/new", "/services/ml/resnet", "/services/ml/resnet/revisions/resnet-00001/logs",
                "/audit", "/history", "/clusters", "/admin/users")) {
            Http.Response page = anonymous().get(screen);
            assertThat(page.status()).as(screen).isEqualTo(200);
            assertThat(page.body()).as(screen).contains("<div id=\"root\">");
        }
        assertThat(anonymous().get("/api/v1/services").status()).isEqualTo(401);
    }

    @Test
    void theConsoleScriptIsSentCompressedToABrowserThatAcceptsIt() {
        String page = anonymous().get("/").body();
        Matcher script = Pattern.compile("src=\"(/assets/[^\"]+\\.js)\"").matcher(page);
        assertThat(script.find()).as(page).isTrue();
        Http.Response compressed = anonymous().header("Accept-Encoding", "gzip").get(script.group(1));
        assertThat(compressed.status()).isEqualTo(200);
        assertThat(compressed.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(anonymous().get(script.group(1)).header("Content-Encoding")).isNull();
    }

    @Test
    void otherActuatorEndpointsAreNotExposed() {
        assertThat(anonymous().get("/actuator/env").status()).isIn(401, 403, 404);
        assertThat(http().get("/actuator/env").status()).isIn(403, 404);
    }
}
