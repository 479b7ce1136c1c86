package dev.ebb.cli.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ebb.cli.CliFailure;
import dev.ebb.cli.ExitCode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ManifestTest {

    private static Manifest parse(String text, String source) {
        return Manifest.parse(text.getBytes(StandardCharsets.UTF_8), source);
    }

    private static void assertInvalid(String text, String source, String... fragments) {
        assertThatThrownBy(() -> parse(text, source)).isInstanceOf(CliFailure.class)
                .satisfies(e -> assertThat(((CliFailure) e).exitCode()).isEqualTo(ExitCode.INVALID))
                .hasMessageContainingAll(fragments);
    }

    @Test
    void anEbbServiceInYamlIsSentAsWrittenForEbbToReadByItsOwnRules() {
        String yaml = "name: hello\nnamespace: ml\ntemplate:\n  port: 8080\n  env:\n    MODE: on\n";

        Manifest manifest = parse(yaml, "hello.yaml");

        assertThat(manifest.kind()).isEqualTo(Manifest.Kind.EBB);
        assertThat(manifest.name()).isEqualTo("hello");
        assertThat(manifest.namespace()).isEqualTo("ml");
        assertThat(manifest.contentType()).isEqualTo("application/yaml");
        assertThat(new String(manifest.body(), StandardCharsets.UTF_8)).isEqualTo(yaml);
    }

    @Test
    void anEbbServiceInJsonIsSentAsWritten() {
        String json = "{\"name\": \"hello\",  \"template\": {\"command\": [\"x\"]}}";

        Manifest manifest = parse(json, "standard input");

        assertThat(manifest.namespace()).isNull();
        assertThat(new String(manifest.body(), StandardCharsets.UTF_8)).isEqualTo(json);
    }

    @Test
    void aKnativeServiceGoesAsWrittenWithItsMediaTypeAndItsMetadataName() {
        String yaml = """
                apiVersion: serving.knative.dev/v1
                kind: Service
                metadata:
                  name: hello
                  namespace: web
                spec:
                  template:
                    spec:
                      containers:
                        - image: ghcr.io/knative/helloworld-go:latest
                """;

        Manifest manifest = parse(yaml, "hello.yml");

        assertThat(manifest.kind()).isEqualTo(Manifest.Kind.KNATIVE);
        assertThat(manifest.name()).isEqualTo("hello");
        assertThat(manifest.namespace()).isEqualTo("web");
        assertThat(manifest.contentType()).isEqualTo("application/yaml");
        assertThat(new String(manifest.body(), StandardCharsets.UTF_8)).isEqualTo(yaml);
    }

    @Test
    void aKnativeServiceInJsonIsSentAsJson() {
        Manifest manifest = parse("{\"apiVersion\": \"serving.knative.dev/v1\", \"kind\": \"Service\", \"metadata\": {\"name\": \"a\"}}",
                "-");

        assertThat(manifest.contentType()).isEqualTo("application/json");
        assertThat(manifest.namespace()).isNull();
    }

    @Test
    void otherKubernetesKindsAreRefusedSayingWhatIsApplied() {
        assertInvalid("apiVersion: serving.knative.dev/v1\nkind: Route\nmetadata:\n  name: a\n", "r.yaml",
                "kind 'Route'", "Knative Services");
        assertInvalid("apiVersion: apps/v1\nkind: Deployment\n", "d.yaml", "apiVersion 'apps/v1'");
    }

    @Test
    void aDocumentWithoutANameIsRefusedNamingTheField() {
        assertInvalid("template:\n  command: [x]\n", "a.yaml", "a.yaml has no name");
        assertInvalid("apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata: {}\n", "k.yaml", "no metadata.name");
        assertInvalid("name: 12\n", "a.yaml", "name must be a string, not number");
    }

    @Test
    void syntaxErrorsAndDuplicateKeysAreReportedWithTheirLine() {
        assertInvalid("name: a\ntemplate:\n  port: 1\nname: b\n", "dup.yaml", "dup.yaml:4:", "Duplicate", "name");
        assertInvalid("{\"name\": \"a\",", "broken.json", "broken.json:1:");
    }

    @Test
    void severalDocumentsOrNoneAreRefused() {
        assertInvalid("name: a\n---\nname: b\n", "two.yaml", "holds 2 documents");
        assertInvalid("", "empty.yaml", "empty.yaml is empty");
        assertInvalid("- a\n- b\n", "list.yaml", "not a service");
    }

    @Test
    void theDocumentsNamespaceWinsAndMustAgreeWithTheFlag() {
        Manifest inMl = parse("name: a\nnamespace: ml\n", "a.yaml");
        Manifest anywhere = parse("name: a\n", "a.yaml");

        assertThat(inMl.namespaceWith(null, "default")).isEqualTo("ml");
        assertThat(inMl.namespaceWith("ml", "default")).isEqualTo("ml");
        assertThat(anywhere.namespaceWith("web", "default")).isEqualTo("web");
        assertThat(anywhere.namespaceWith(null, "team")).isEqualTo("team");
        assertThatThrownBy(() -> inMl.namespaceWith("web", "default")).isInstanceOf(CliFailure.class)
                .hasMessageContaining("namespace 'ml' but -n says 'web'");
    }
}
