package dev.ebb.service;

import static dev.ebb.support.Services.path;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.support.ApiTest;
import dev.ebb.support.Http;
import dev.ebb.support.Services;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import tools.jackson.databind.JsonNode;

/**
 * Knative Services through the real API: imported as YAML or JSON, exported as YAML or JSON, every supported field the
 * same after the round trip; refusals list every path and store nothing; YAML is read as strictly as JSON.
 */
class KnativeManifestTest extends ApiTest {

    private static final String YAML = "application/yaml";
    private final String ns = Services.freshNamespace();

    @ParameterizedTest
    @ValueSource(strings = {"autoscaling", "private", "grpc"})
    void aManifestFromKnativesDocumentationComesBackAsItWent(String example) {
        String manifest = manifest(example);

        Http.Response created = http().send("POST", path(ns), manifest, YAML);

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.header("Warning")).isNull();
        Http.Response exported = http().header("Accept", YAML).get(path(ns, name(manifest)));
        assertThat(exported.status()).as(exported.toString()).isEqualTo(200);
        assertThat(exported.contentType()).startsWith(YAML);
        assertThat(yaml(exported.body())).isEqualTo(yaml(manifest));
        assertThat(http().get(path(ns, name(manifest)) + "/knative").json()).isEqualTo(http().get(path(ns, name(manifest))
                + "/knative").json());
        assertThat(yaml(http().header("Accept", YAML).get(path(ns, name(manifest)) + "/knative").body()))
                .isEqualTo(yaml(manifest));
    }

    @Test
    void trafficSplitsBetweenRevisionsTheManifestsNameWithTags() {
        assertThat(http().send("POST", path(ns), manifest("traffic-v1"), YAML).status()).isEqualTo(201);

        Http.Response replaced = http().send("PUT", path(ns, "hello"), manifest("traffic-v2"), YAML);

        assertThat(replaced.status()).as(replaced.toString()).isEqualTo(200);
        JsonNode status = replaced.json().get("status");
        assertThat(status.get("latestCreatedRevision").asString()).isEqualTo("hello-knative");
        assertThat(status.get("traffic").findValuesAsString("tag")).containsExactly("current", "latest");
        assertThat(http().get(path(ns, "hello") + "/revisions").json().get("items").valueStream()
                .map(revision -> revision.get("name").asString())).containsExactlyInAnyOrder("hello-world", "hello-knative");
        assertThat(yaml(http().header("Accept", YAML).get(path(ns, "hello")).body())).isEqualTo(yaml(manifest("traffic-v2")));
    }

    @Test
    void aChangedTemplateUnderARevisionNameAlreadyTakenIsRefused() {
        http().send("POST", path(ns), manifest("traffic-v1"), YAML);

        Http.Response refused = http().send("PUT", path(ns, "hello"), manifest("traffic-v1").replace("value: World",
                "value: Again"), YAML);

        assertProblem(refused, 422, "spec.template.metadata.name", "hello-world");
        assertThat(http().get(path(ns, "hello") + "/revisions").json().get("items").size()).isEqualTo(1);
    }

    @Test
    void aRevisionNameMustStartWithTheServicesName() {
        Http.Response refused = http().send("POST", path(ns), manifest("traffic-v1").replace("name: hello-world",
                "name: world"), YAML);

        assertProblem(refused, 422, "spec.template.metadata.name", "starts with its service's name");
    }

    @Test
    void aFollowedTagMakesRevisionsOfItsOwnSoItTakesNoGivenName() {
        assertProblem(http().post(path(ns), "{\"name\": \"hello\", \"template\": {\"image\": \"ghcr.io/acme/model:stable\","
                + " \"imagePolicy\": \"follow-tag\", \"revisionName\": \"hello-v1\"}}"), 422, "template.revisionName", "follow-tag");
    }

    @Test
    void theServiceAsItWasAtAnInstantComesAsAKnativeServiceToo() {
        http().send("POST", path(ns), manifest("grpc"), YAML);
        String at = java.time.Instant.now().toString();
        http().send("PUT", path(ns, "grpc-ping"), manifest("grpc").replace("containerPort: 9000", "containerPort: 9001"), YAML);

        Http.Response then = http().header("Accept", YAML).get(path(ns, "grpc-ping") + "?at=" + at);

        assertThat(then.status()).as(then.toString()).isEqualTo(200);
        assertThat(yaml(then.body())).isEqualTo(yaml(manifest("grpc")));
        assertThat(yaml(http().header("Accept", YAML).get(path(ns, "grpc-ping")).body()).toString()).contains("containerPort=9001");
    }

    @Test
    void jsonStaysTheAnswerUnlessYamlIsPreferred() {
        http().send("POST", path(ns), manifest("grpc"), YAML);

        assertThat(http().get(path(ns, "grpc-ping")).contentType()).startsWith("application/json");
        assertThat(http().header("Accept", "*/*").get(path(ns, "grpc-ping")).contentType()).startsWith("application/json");
        assertThat(http().header("Accept", "application/json, application/yaml;q=0.5").get(path(ns, "grpc-ping")).contentType())
                .startsWith("application/json");
        assertThat(http().header("Accept", "application/x-yaml").get(path(ns, "grpc-ping")).contentType())
                .startsWith(YAML);
    }

    @Test
    void withoutTheVisibilityLabelTheServiceStaysClusterLocalAndTheAnswerSaysSo() {
        Http.Response created = http().send("POST", path(ns), manifest("grpc").replace(
                "  labels:\n    networking.knative.dev/visibility: cluster-local\n", ""), YAML);

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().get("visibility").asString()).isEqualTo("cluster-local");
        assertThat(created.header("Warning")).startsWith("299 - \"").contains("cluster-local").endsWith("\"");
        assertThat(created.json().get("warnings").get(0).asString()).contains("Knative would make this service public");
        assertThat(http().get(path(ns, "grpc-ping")).json().has("warnings")).isFalse();
    }

    @Test
    void aKnativeServiceSentAsJsonIsImportedToo() {
        String json = "{\"apiVersion\": \"serving.knative.dev/v1\", \"kind\": \"Service\", \"metadata\": {\"name\": \"hello\","
                + " \"labels\": {\"networking.knative.dev/visibility\": \"cluster-local\"}}, \"spec\": {\"template\": {\"spec\":"
                + " {\"containers\": [{\"image\": \"ghcr.io/knative/helloworld-go\"}]}}}}";

        Http.Response created = http().post(path(ns), json);

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().get("template").get("image").asString()).isEqualTo("ghcr.io/knative/helloworld-go");
        assertThat(http().get(path(ns, "hello") + "/knative").json().at("/metadata/namespace").asString()).isEqualTo(ns);
    }

    @Test
    void ebbsOwnDocumentIsTakenAsYamlWithTheSameRulesAsJson() {
        Http.Response created = http().send("POST", path(ns), """
                name: model
                template:
                  image: ghcr.io/acme/model:1
                  port: 9000
                """, YAML);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().get("template").get("port").asInt()).isEqualTo(9000);

        assertProblem(http().send("POST", path(ns), "name: other\ntemplat:\n  image: ghcr.io/acme/model:1\n", YAML), 400,
                "templat", "did you mean 'template'?");
        assertProblem(http().send("POST", path(ns), "name: other\ntemplate:\n  image: x\n  port: \"9000\"\n", YAML), 400,
                "template.port", "whole number");
    }

    @Test
    void everyUnsupportedFieldIsListedAndNothingIsStored() {
        Http.Response refused = http().send("POST", path(ns), manifest("private").replace("""
                      containers:
                """, """
                      volumes:
                        - name: data
                          emptyDir: {}
                      containers:
                        - image: ghcr.io/acme/sidecar
                """).replace("  labels:", "  label:"), YAML);

        JsonNode problem = assertProblem(refused, 422, "spec.template.spec.volumes", "not supported");
        assertThat(problem.get("errors").findValuesAsString("field")).contains("spec.template.spec.containers[1]",
                "metadata.label");
        assertThat(problem.toString()).contains("did you mean 'labels'?");
        assertThat(http().get(path(ns, "helloworld-go")).status()).isEqualTo(404);
    }

    @Test
    void ebbsOwnRulesNameThePathInTheManifest() {
        Http.Response refused = http().send("POST", path(ns), manifest("autoscaling").replace("autoscaling.knative.dev/window",
                "autoscaling.knative.dev/windw").replace("containerPort: 8080", "containerPort: 70000"), YAML);

        JsonNode problem = assertProblem(refused, 422, "spec.template.spec.containers[0].ports[0].containerPort", "65535");
        assertThat(problem.get("errors").findValuesAsString("field"))
                .contains("spec.template.metadata.annotations.autoscaling.knative.dev/windw");
    }

    @Test
    void theManifestsNamespaceMustBeTheUrls() {
        assertProblem(http().send("POST", path(ns), manifest("grpc").replace("namespace: " + ns, "namespace: elsewhere"), YAML),
                422, "metadata.namespace", "elsewhere");
    }

    @Test
    void duplicateKeysAreRefusedAsInJson() {
        assertProblem(http().send("POST", path(ns), "name: a\nname: b\ntemplate: {image: ghcr.io/acme/model:1}\n", YAML), 400,
                "", "duplicate key");
    }

    @Test
    void anchorsAndAliasesCannotExpandASmallBodyIntoAHugeOne() {
        String laughs = """
                a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
                b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
                c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
                d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
                e: [*d,*d,*d,*d,*d,*d,*d,*d,*d]
                """;

        assertProblem(http().send("POST", path(ns), laughs, YAML), 400, "", "anchors");
        assertProblem(http().send("POST", path(ns), "name: *x\n", YAML), 400, "", "malformed YAML");
    }

    @Test
    void tagsNonStringKeysDeepNestingAndSeveralDocumentsAreRefused() {
        assertProblem(http().send("POST", path(ns), "name: !!python/object:os.system ls\n", YAML), 400, "", "tags");
        assertProblem(http().send("POST", path(ns), "name: !!str 123\n", YAML), 400, "", "tags");
        assertProblem(http().send("POST", path(ns), "1: one\n", YAML), 400, "", "not a string");
        assertProblem(http().send("POST", path(ns), "a: " + "[".repeat(100) + "]".repeat(100) + "\n", YAML), 400, "", "nest");
        assertProblem(http().send("POST", path(ns), "name: a\n---\nname: b\n", "application/x-yaml"), 400, "", "malformed YAML");
    }

    @Test
    void aBodyOverTheLimitIsRefusedBeforeItIsRead() {
        String huge = "name: a\nannotations:\n" + "  k: \"" + "x".repeat(1024 * 1024) + "\"\n";

        assertThat(http().send("POST", path(ns), huge, YAML).status()).isEqualTo(413);
    }

    @Test
    void aKnativePutKeepsWhatKnativeCannotSay() {
        http().post(path(ns), "{\"name\": \"grpc-ping\", \"coldStartSlo\": \"3s\", \"template\": {\"image\": "
                + "\"ghcr.io/knative/grpc-ping-go:latest\"}, \"rollout\": {\"strategy\": \"canary\"}}");

        Http.Response replaced = http().send("PUT", path(ns, "grpc-ping"), manifest("grpc"), YAML);

        assertThat(replaced.status()).as(replaced.toString()).isEqualTo(200);
        assertThat(replaced.json().get("coldStartSlo").asString()).isEqualTo("3s");
        assertThat(replaced.json().get("rollout").get("strategy").asString()).isEqualTo("canary");
        assertThat(http().get(path(ns, "grpc-ping") + "/knative").raw().headers().allValues("Warning"))
                .anySatisfy(warning -> assertThat(warning).contains("canary"))
                .anySatisfy(warning -> assertThat(warning).contains("coldStartSlo 3s"));
    }

    private static JsonNode assertProblem(Http.Response response, int status, String field, String messagePart) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        JsonNode problem = response.json();
        assertThat(problem.get("errors").findValuesAsString("field")).as(response.toString()).contains(field);
        assertThat(problem.toString()).contains(messagePart);
        return problem;
    }

    private String manifest(String example) {
        try (InputStream in = getClass().getResourceAsStream("/knative/" + example + ".yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("NAMESPACE", ns);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static String name(String manifest) {
        return (String) ((Map<String, Object>) yaml(manifest).get("metadata")).get("name");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> yaml(String text) {
        return (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(text);
    }
}
