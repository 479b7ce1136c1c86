package dev.ebb.openapi;

import static dev.ebb.support.Kubeconfigs.clusterBody;
import static dev.ebb.support.Kubeconfigs.kubeconfig;
import static dev.ebb.support.Services.path;
import static dev.ebb.support.Services.withImage;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.support.ApiTest;
import dev.ebb.support.Http;
import dev.ebb.support.Services;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.info.BuildProperties;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;

/**
 * Holds the OpenAPI document to the application: every API handler is documented under its stable operationId and
 * nothing else is; each operation, called for real, answers the success status, ETag and Location it documents, writes
 * the {@code Ebb-Change-Cause} it documents to the audit trail, and asks for the credentials it documents. It writes the
 * document to {@code target/openapi.json} and checks the console's {@code api/types.ts} against it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiDocumentTest extends ApiTest {

    /** Where the document goes for the console's type check and for anyone who wants to read it. */
    static final Path DOCUMENT = Path.of("target/openapi.json");

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @Autowired
    BuildProperties build;

    /**
     * Operations that need the runtime these tests run without: here they answer a problem their documented responses
     * cover (503 for the logs, 409 for the probe), and their 200 is what {@code RevisionLifecycleTest} (logs) and {@code AutoscalingEndToEndTest} (the
     * probe) check with a runtime.
     */
    private static final Set<String> NEED_A_RUNTIME = Set.of(
            "GET /api/v1/namespaces/{namespace}/services/{name}/revisions/{revision}/logs",
            "POST /api/v1/namespaces/{namespace}/services/{name}/coldstart-probe",
            // A rollout starts only once a new revision is ready, which takes a runtime: RolloutTest calls them for real.
            "GET /api/v1/namespaces/{namespace}/services/{name}/rollout",
            "POST /api/v1/namespaces/{namespace}/services/{name}/rollout");

    private JsonNode document;

    @BeforeAll
    void readTheDocument() throws IOException {
        Http.Response docs = anonymous().get("/v3/api-docs");
        assertThat(docs.status()).as(docs.toString()).isEqualTo(200);
        document = docs.json();
        Files.writeString(DOCUMENT, docs.body());
    }

    @Test
    void theDocumentNamesTheApiItsVersionAndHowToAuthenticate() {
        assertThat(document.at("/info/title").asString()).isEqualTo("Ebb API");
        assertThat(document.at("/info/version").asString()).isEqualTo(build.getVersion());
        assertThat(document.at("/info/description").asString()).contains("If-Match").contains("problem+json");
        JsonNode schemes = document.at("/components/securitySchemes");
        assertThat(schemes.at("/bearer/type").asString()).isEqualTo("http");
        assertThat(schemes.at("/bearer/scheme").asString()).isEqualTo("bearer");
        assertThat(schemes.at("/session/type").asString()).isEqualTo("apiKey");
        assertThat(schemes.at("/session/in").asString()).isEqualTo("cookie");
        assertThat(schemes.at("/session/name").asString()).isEqualTo("EBB_SESSION");
        List<String> alternatives = new ArrayList<>();
        document.get("security").forEach(requirement -> alternatives.add(String.join(",", requirement.propertyNames())));
        assertThat(alternatives).containsExactly("bearer", "session");
    }

    @Test
    void nestedTypesKeepSchemasOfTheirOwnAndAnyJsonValueStaysUntyped() {
        JsonNode schemas = document.at("/components/schemas");
        assertThat(schemas.at("/ServiceView.Metadata/properties").has("resourceVersion")).isTrue();
        assertThat(schemas.at("/RevisionView.Metadata/properties").has("changeCause")).isTrue();
        assertThat(schemas.at("/ServiceView/properties/metadata/$ref").asString()).isEqualTo("#/components/schemas/ServiceView.Metadata");
        assertThat(schemas.at("/RevisionView/properties/metadata/$ref").asString()).isEqualTo("#/components/schemas/RevisionView.Metadata");
        // A diff's values are strings, numbers or lists as often as objects.
        assertThat(schemas.at("/TemplateDiff.Change/properties/from").has("type")).isFalse();
        assertThat(schemas.at("/AuditEventView/properties/before").has("type")).isFalse();
        assertThat(document.at("/paths/~1api~1v1~1namespaces~1{namespace}~1services~1{name}/patch/requestBody/description").asString())
                .contains("merge patch");
    }

    @Test
    void everyApiHandlerIsDocumentedUnderItsOperationIdAndNothingElseIs() {
        Set<String> handlers = new TreeSet<>();
        mappings.getHandlerMethods().forEach((info, handler) -> {
            for (String pattern : info.getPatternValues()) {
                if (pattern.startsWith("/api/")) {
                    for (RequestMethod method : info.getMethodsCondition().getMethods()) {
                        handlers.add(method + " " + pattern);
                    }
                }
            }
        });
        Map<String, JsonNode> documented = operations();

        Set<String> unlisted = new TreeSet<>(handlers);
        unlisted.removeAll(ApiOperations.ALL.keySet());
        assertThat(unlisted).as("handlers to add to ApiOperations, with their operationId, success status and traits").isEmpty();
        Set<String> stale = new TreeSet<>(ApiOperations.ALL.keySet());
        stale.removeAll(handlers);
        assertThat(stale).as("entries of ApiOperations no handler answers: remove them").isEmpty();
        assertThat(new TreeSet<>(documented.keySet())).as("the document's operations are the handlers").isEqualTo(handlers);
        Set<String> ids = new TreeSet<>();
        documented.forEach((key, operation) -> {
            String id = operation.path("operationId").asString();
            assertThat(id).as(key).isEqualTo(ApiOperations.ALL.get(key).id()).matches("[a-z][A-Za-z]+");
            assertThat(ids.add(id)).as("operationId %s is used once", id).isTrue();
        });
    }

    @Test
    void everyFailureIsDocumentedAsAProblem() {
        operations().forEach((key, operation) -> {
            List<String> successes = new ArrayList<>();
            operation.get("responses").properties().forEach(response -> {
                if (response.getKey().startsWith("2")) {
                    successes.add(response.getKey());
                    return;
                }
                JsonNode resolved = resolve(response.getValue());
                assertThat(resolved.at("/content").propertyNames()).as(key + " " + response.getKey()).containsExactly("application/problem+json");
                assertThat(resolved.at("/content/application~1problem+json/schema/$ref").asString()).isEqualTo("#/components/schemas/Problem");
            });
            assertThat(successes).as(key).containsExactly(Integer.toString(ApiOperations.ALL.get(key).status()));
            assertThat(operation.at("/responses/default").isMissingNode()).as(key + " documents any other failure").isFalse();
        });
        assertThat(document.at("/components/schemas/Problem/properties").propertyNames())
                .contains("type", "title", "status", "detail", "errors", "requestId");
    }

    @Test
    void anUnknownQueryParameterAnswersTheDocumented400OnEveryOperation() {
        String ns = Services.freshNamespace();
        operations().forEach((key, operation) -> {
            assertThat(operation.at("/responses/400/$ref").asString()).as(key).isEqualTo("#/components/responses/BadRequest");
            String[] parts = key.split(" ", 2);
            Http.Response response = http().send(parts[0], concrete(parts[1], ns) + "?noSuchParameter=1",
                    parts[0].equals("GET") || parts[0].equals("DELETE") ? null : "{}", "application/json");
            assertThat(response.status()).as(key + " " + response).isEqualTo(400);
            assertThat(response.contentType()).as(key).startsWith("application/problem+json");
        });
    }

    @Test
    void aReadOrDeleteOfSomethingMissingAnswersTheDocumented404() {
        String ns = Services.freshNamespace();
        operations().forEach((key, operation) -> {
            String[] parts = key.split(" ", 2);
            boolean documented = !operation.at("/responses/404").isMissingNode();
            if (!parts[0].equals("GET") && !parts[0].equals("DELETE")) {
                return;
            }
            Http.Response response = http().send(parts[0], concrete(parts[1], ns), null, null);
            if (documented) {
                assertThat(response.status()).as(key + " " + response).isEqualTo(404);
                assertThat(response.contentType()).as(key).startsWith("application/problem+json");
            } else {
                assertThat(response.status()).as(key + " " + response).isNotEqualTo(404);
            }
        });
    }

    @Test
    void onlyTheOperationsDocumentedAsOpenAnswerWithoutCredentials() {
        String ns = Services.freshNamespace();
        operations().forEach((key, operation) -> {
            boolean open = operation.has("security") && operation.get("security").isEmpty();
            String[] parts = key.split(" ", 2);
            Http.Response response = anonymous().send(parts[0], concrete(parts[1], ns),
                    parts[0].equals("GET") || parts[0].equals("DELETE") ? null : "{}", "application/json");
            if (open) {
                assertThat(response.status()).as(key + " " + response).isNotEqualTo(401);
                assertThat(operation.at("/responses/401").isMissingNode()).as(key).isTrue();
            } else {
                assertThat(response.status()).as(key + " " + response).isEqualTo(401);
                assertThat(operation.at("/responses/401/$ref").asString()).as(key).isEqualTo("#/components/responses/Unauthorized");
            }
        });
    }

    @Test
    void everyOperationCalledForRealAnswersWhatItDocuments() {
        Tour tour = new Tour();
        tour.run();

        Map<String, JsonNode> documented = operations();
        Set<String> notCalled = new TreeSet<>(documented.keySet());
        notCalled.removeAll(tour.answers.keySet());
        assertThat(notCalled).as("operations the tour below does not call; add them to it").isEmpty();

        Set<String> causes = new TreeSet<>();
        http().get("/api/v1/audit?limit=1000").json().get("items").forEach(event -> {
            String cause = event.path("changeCause").asString("");
            if (cause.startsWith(tour.prefix)) {
                causes.add(cause.substring(tour.prefix.length()));
            }
        });
        SoftAssertions softly = new SoftAssertions();
        tour.answers.forEach((key, response) -> {
            JsonNode operation = documented.get(key);
            ApiOperations.Operation known = ApiOperations.ALL.get(key);
            if (NEED_A_RUNTIME.contains(key)) {
                softly.assertThat(response.status()).as(key + " " + response).isGreaterThanOrEqualTo(400);
                softly.assertThat(response.contentType()).as(key).startsWith("application/problem+json");
                return;
            }
            softly.assertThat(causes.contains(key)).as(key + " records Ebb-Change-Cause in the audit trail")
                    .isEqualTo(documentsHeader(operation, "Ebb-Change-Cause"));
            softly.assertThat(response.status()).as(key + " " + response).isEqualTo(known.status());
            JsonNode headers = operation.at("/responses/" + response.status() + "/headers");
            softly.assertThat(response.header("ETag") != null).as(key + " answers an ETag").isEqualTo(headers.has("ETag"));
            softly.assertThat(response.header("Location") != null).as(key + " answers a Location").isEqualTo(headers.has("Location"));
        });
        softly.assertAll();
    }

    @Test
    void ifMatchIsDocumentedWhereAStaleOneAnswers412() {
        operations().forEach((key, operation) -> {
            boolean ifMatch = documentsHeader(operation, "If-Match");
            assertThat(operation.at("/responses/412").isMissingNode()).as(key).isEqualTo(!ifMatch);
        });
        Set<String> withIfMatch = new TreeSet<>();
        operations().forEach((key, operation) -> {
            if (documentsHeader(operation, "If-Match")) {
                withIfMatch.add(key);
            }
        });
        String services = "/api/v1/namespaces/{namespace}/services";
        assertThat(withIfMatch).contains("PUT " + services + "/{name}", "PATCH " + services + "/{name}",
                "DELETE " + services + "/{name}", "PUT " + services + "/{name}/traffic");
    }

    @Test
    void theConsoleTypesAgreeWithTheDocument() throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        Path output = Files.createTempFile("check-api-types", ".log");
        Process check = new ProcessBuilder("node", root.resolve("scripts/check-api-types.mjs").toString(),
                DOCUMENT.toAbsolutePath().toString(), root.resolve("frontend/src/api/types.ts").toString())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        assertThat(check.waitFor(5, TimeUnit.MINUTES)).as("the check finished").isTrue();
        String said = Files.readString(output, StandardCharsets.UTF_8);
        assertThat(check.exitValue()).as(said).isZero();
        assertThat(said).contains("types.ts agrees with the API document");
    }

    /** Calls every operation once as it is meant to be used, and keeps each answer under its method and path. */
    private final class Tour {

        final String prefix = "doc-tour-" + UUID.randomUUID().toString().substring(0, 8) + " ";
        final Map<String, Http.Response> answers = new LinkedHashMap<>();
        private final String ns = Services.freshNamespace();
        private final String suffix = UUID.randomUUID().toString().substring(0, 6);

        void run() {
            String services = "/api/v1/namespaces/{namespace}/services";
            String service = services + "/{name}";
            call("POST", services, path(ns), withImage("doc", "nginx"));
            call("GET", services, path(ns), null);
            call("GET", service, path(ns, "doc"), null);
            call("GET", service + "/knative", path(ns, "doc") + "/knative", null);
            call("PUT", service, path(ns, "doc"), withImage("doc", "nginx:2"));
            call("PATCH", service, path(ns, "doc"), "{\"labels\": {\"team\": \"ml\"}}");
            call("PUT", service + "/traffic", path(ns, "doc") + "/traffic",
                    "{\"traffic\": [{\"revision\": \"doc-00001\", \"percent\": 100, \"tag\": \"stable\"}]}");
            call("GET", service + "/revisions", path(ns, "doc") + "/revisions", null);
            call("GET", service + "/revisions/{revision}", path(ns, "doc") + "/revisions/doc-00001", null);
            call("GET", service + "/revisions/{from}/diff/{to}", path(ns, "doc") + "/revisions/doc-00001/diff/doc-00002", null);
            call("GET", service + "/revisions/{revision}/logs", path(ns, "doc") + "/revisions/doc-00001/logs", null);
            call("POST", service + "/revisions/{revision}/stop", path(ns, "doc") + "/revisions/doc-00002/stop", null);
            call("POST", service + "/revisions/{revision}/retry", path(ns, "doc") + "/revisions/doc-00002/retry", null);
            call("GET", service + "/metrics", path(ns, "doc") + "/metrics", null);
            call("GET", service + "/coldstarts", path(ns, "doc") + "/coldstarts", null);
            call("POST", service + "/warm", path(ns, "doc") + "/warm", "{\"revision\": \"doc-00001\", \"duration\": \"1m\"}");
            call("GET", service + "/warm", path(ns, "doc") + "/warm", null);
            call("DELETE", service + "/warm", path(ns, "doc") + "/warm", null);
            call("GET", service + "/rollout", path(ns, "doc") + "/rollout", null);
            call("POST", service + "/rollout", path(ns, "doc") + "/rollout", "{\"action\": \"pause\"}");
            call("POST", service + "/coldstart-probe", path(ns, "doc") + "/coldstart-probe", "{\"runs\": 1, \"revision\": \"doc-00001\"}");
            call("GET", "/api/v1/services", "/api/v1/services?namespace=" + ns, null);
            call("GET", "/api/v1/services/changes", "/api/v1/services/changes?namespace=" + ns, null);
            call("DELETE", service, path(ns, "doc"), null);

            String credentials = "/api/v1/namespaces/{namespace}/registry-credentials";
            String credential = "/api/v1/namespaces/" + ns + "/registry-credentials";
            String login = "{\"name\": \"registry\", \"server\": \"registry.example.com\", \"username\": \"ci\", \"password\": \"secret\"}";
            call("POST", credentials, credential, login);
            call("GET", credentials, credential, null);
            call("GET", credentials + "/{name}", credential + "/registry", null);
            call("PUT", credentials + "/{name}", credential + "/registry", login.replace("\"ci\"", "\"deploy\""));
            call("DELETE", credentials + "/{name}", credential + "/registry", null);

            String hooks = "/api/v1/hooks/registry";
            String hook = "doc-" + suffix;
            call("POST", hooks, hooks, "{\"name\": \"" + hook + "\", \"registry\": \"registry.example.com\"}");
            String secret = answers.get("POST " + hooks).json().get("secret").asString();
            call("GET", hooks, hooks, null);
            answers.put("POST " + hooks + "/{name}", new Http("http://localhost:" + port, secret)
                    .send("POST", hooks + "/" + hook, "{\"events\": []}", "application/vnd.docker.distribution.events.v1+json"));
            call("DELETE", hooks + "/{name}", hooks + "/" + hook, null);

            String cluster = "doc-" + suffix;
            call("POST", "/api/v1/clusters", "/api/v1/clusters", clusterBody(cluster, kubeconfig("https://127.0.0.1:6443", "t")));
            call("GET", "/api/v1/clusters", "/api/v1/clusters", null);
            call("GET", "/api/v1/clusters/{name}", "/api/v1/clusters/" + cluster, null);
            call("PUT", "/api/v1/clusters/{name}", "/api/v1/clusters/" + cluster, "{\"description\": \"renamed\"}");
            call("DELETE", "/api/v1/clusters/{name}", "/api/v1/clusters/" + cluster, null);

            String user = "doc-" + suffix;
            String password = "a long passphrase, 12+ characters";
            call("POST", "/api/v1/users", "/api/v1/users", "{\"username\": \"" + user + "\", \"password\": \"" + password
                    + "\", \"grants\": [{\"namespace\": \"" + ns + "\", \"role\": \"viewer\"}]}");
            call("GET", "/api/v1/users", "/api/v1/users", null);
            call("GET", "/api/v1/users/{username}", "/api/v1/users/" + user, null);
            call("PATCH", "/api/v1/users/{username}", "/api/v1/users/" + user, "{\"displayName\": \"Doc\"}");
            call("GET", "/api/v1/session/options", "/api/v1/session/options", null);
            call("GET", "/api/v1/session", "/api/v1/session", null);
            call("POST", "/api/v1/session", "/api/v1/session", "{\"username\": \"" + user + "\", \"password\": \"" + password + "\"}");
            call("DELETE", "/api/v1/session", "/api/v1/session", null);
            call("DELETE", "/api/v1/users/{username}", "/api/v1/users/" + user, null);

            String token = "doc-" + suffix;
            call("POST", "/api/v1/tokens", "/api/v1/tokens", "{\"name\": \"" + token + "\", \"grants\": [{\"namespace\": \"" + ns
                    + "\", \"role\": \"viewer\"}]}");
            call("GET", "/api/v1/tokens", "/api/v1/tokens", null);
            call("GET", "/api/v1/tokens/{name}", "/api/v1/tokens/" + token, null);
            call("DELETE", "/api/v1/tokens/{name}", "/api/v1/tokens/" + token, null);

            call("POST", "/api/v1/secrets/rotate", "/api/v1/secrets/rotate", null);
            call("GET", "/api/v1/audit", "/api/v1/audit?namespace=" + ns, null);
            call("GET", "/api/v1/audit/verify", "/api/v1/audit/verify", null);
            call("GET", "/api/v1/audit/checkpoints", "/api/v1/audit/checkpoints", null);
            call("GET", "/api/v1/control-plane", "/api/v1/control-plane", null);
        }

        private void call(String method, String pattern, String path, String body) {
            String key = method + " " + pattern;
            String contentType = body == null ? null : method.equals("PATCH") ? "application/merge-patch+json" : "application/json";
            Http.Response response = http().header("Ebb-Change-Cause", prefix + key).send(method, path, body, contentType);
            answers.put(key, response);
        }
    }

    private Map<String, JsonNode> operations() {
        Map<String, JsonNode> operations = new LinkedHashMap<>();
        document.get("paths").properties().forEach(path -> path.getValue().properties().forEach(operation ->
                operations.put(operation.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey(), operation.getValue())));
        return operations;
    }

    private JsonNode resolve(JsonNode response) {
        String ref = response.path("$ref").asString("");
        return ref.isEmpty() ? response : document.at(ref.substring(1));
    }

    private static boolean documentsHeader(JsonNode operation, String name) {
        for (JsonNode parameter : operation.path("parameters")) {
            if ("header".equals(parameter.path("in").asString()) && name.equalsIgnoreCase(parameter.path("name").asString())) {
                return true;
            }
        }
        return false;
    }

    private static String concrete(String pattern, String namespace) {
        return pattern.replace("{namespace}", namespace).replaceAll("\\{[^}]+}", "missing");
    }
}
