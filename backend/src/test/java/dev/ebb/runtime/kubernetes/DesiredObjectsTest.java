package dev.ebb.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.registry.RegistryLogin;
import dev.ebb.runtime.RevisionKey;
import dev.ebb.spec.Template;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The desired objects against golden files under {@code src/test/resources/golden/kubernetes}. A change to what Ebb
 * asks of a cluster shows as a diff of those files; regenerate them with {@code -Debb.golden.update=true} and review it.
 */
class DesiredObjectsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final RevisionKey KEY = new RevisionKey("ml", "sentiment", "sentiment-00002");

    private static Template modelServer() {
        return new Template("registry.example/acme/sentiment@sha256:" + "ab".repeat(32), List.of("python3"),
                List.of("-m", "server", "--port", "$(PORT)"), Map.of("MODEL", "/models/sentiment", "LOG_LEVEL", "info"), 8080,
                "http1", new Template.Readiness("/healthz", null), 300, new Template.Concurrency(0, 100, 70),
                new Template.Scale(0, 0, 1, "1m", "0s", "concurrency"), null,
                new Template.Resources(Map.of("cpu", "500m", "memory", "1Gi"), Map.of("memory", "2Gi", "nvidia.com/gpu", "1")));
    }

    private static void assertGolden(String file, Object object) throws IOException {
        Path golden = Path.of("src/test/resources/golden/kubernetes", file);
        String actual = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(DesiredObjects.json(object))) + "\n";
        if (Boolean.getBoolean("ebb.golden.update")) {
            Files.writeString(golden, actual, StandardCharsets.UTF_8);
        }
        assertThat(actual).isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
    }

    @Test
    void aRevisionIsADeploymentOfItsTemplateWithoutSidecarLabelledAndHashed() throws IOException {
        assertGolden("deployment.json", DesiredObjects.deployment(KEY, modelServer(), 3));
    }

    @Test
    void aTcpReadinessAndNoCommandKeepTheImagesOwnEntrypoint() {
        Template template = new Template("nginx:1.27", null, null, null, 8080, "h2c", new Template.Readiness(null, true), 30,
                null, null);
        var deployment = DesiredObjects.deployment(KEY, template, 1);
        var container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getCommand()).isNullOrEmpty();
        assertThat(container.getReadinessProbe().getTcpSocket().getPort().getIntValue()).isEqualTo(8080);
        assertThat(container.getPorts().get(0).getName()).isEqualTo("h2c");
        assertThat(deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds()).isEqualTo(40L);
    }

    @Test
    void theSpecHashIgnoresTheReplicaCountButNotTheTemplate() {
        String one = DesiredObjects.deployment(KEY, modelServer(), 1).getMetadata().getAnnotations().get(DesiredObjects.SPEC_HASH);
        String five = DesiredObjects.deployment(KEY, modelServer(), 5).getMetadata().getAnnotations().get(DesiredObjects.SPEC_HASH);
        Template other = new Template("nginx:1.27", null, null, null, 8080, "http1", null, 300, null, null);
        String changed = DesiredObjects.deployment(KEY, other, 1).getMetadata().getAnnotations().get(DesiredObjects.SPEC_HASH);
        assertThat(one).isEqualTo(five).isNotEqualTo(changed);
    }

    @Test
    void aServiceNameResolvesToTheGatewayAndIsNeverExposed() throws IOException {
        assertGolden("service.json", DesiredObjects.service("ml", "stable-sentiment", "sentiment",
                new DesiredObjects.Gateway("ebb-gateway", "ebb-system")));
        assertThat(DesiredObjects.serviceNames("sentiment", List.of("stable", "canary")))
                .containsExactly("sentiment", "canary-sentiment", "stable-sentiment");
    }

    @Test
    void aNamespacesRegistryCredentialsBecomeOneDockerConfigPullSecretThatItsPodsReference() throws IOException {
        var all = DesiredObjects.pullSecret("ml", List.of(
                new RegistryLogin("ci", "localhost:32000", "ci", "s3cret", false, null),
                new RegistryLogin("bot", "https://ghcr.io", "bot", "token-1", false, null),
                new RegistryLogin("other", "ghcr.io", "other", "token-2", false, null),
                new RegistryLogin("hub", "docker.io", "hub", "hub-pass", false, null)));
        assertGolden("pull-secret.json", all);
        var auths = JSON.readTree(all.getData().get(".dockerconfigjson")).get("auths");
        assertThat(auths.propertyNames()).containsExactly("localhost:32000", "ghcr.io", "https://index.docker.io/v1/");
        assertThat(auths.at("/ghcr.io/username").asString()).as("the first credential for a server").isEqualTo("bot");
        var secret = DesiredObjects.pullSecret("ml", List.of(new RegistryLogin("ci", "localhost:32000", "ci", "s3cret", false, null)));
        assertThat(JSON.readTree(secret.getData().get(".dockerconfigjson")).at("/auths/localhost:32000/auth").asString())
                .as("base64 of user:password").isEqualTo("Y2k6czNjcmV0");

        var pulling = DesiredObjects.deployment(KEY, modelServer(), 1, DesiredObjects.PROGRESS_DEADLINE, true);
        assertThat(pulling.getSpec().getTemplate().getSpec().getImagePullSecrets()).singleElement()
                .satisfies(reference -> assertThat(reference.getName()).isEqualTo("ebb-registry-credentials"));
        assertThat(pulling.getMetadata().getAnnotations().get(DesiredObjects.SPEC_HASH)).as("a new pod template")
                .isNotEqualTo(DesiredObjects.deployment(KEY, modelServer(), 1).getMetadata().getAnnotations().get(DesiredObjects.SPEC_HASH));
    }

    @Test
    void aNamespaceEbbCreatesSaysSo() {
        assertThat(DesiredObjects.namespace("ml").getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "ebb");
    }
}
