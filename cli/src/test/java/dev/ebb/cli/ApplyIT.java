package dev.ebb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.cli.support.AgainstEbb;
import dev.ebb.cli.support.Cli;
import dev.ebb.cli.support.Documents;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@code ebb apply} against the packaged control plane: waiting for ready and for failure, exit codes, TTY and not. */
class ApplyIT extends AgainstEbb {

    private static Path file(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    private static JsonNode revision(String service, String revision) {
        return ebb.api("GET", "/api/v1/namespaces/" + ns + "/services/" + service + "/revisions/" + revision, null).json();
    }

    @Test
    void anEbbServiceInYamlIsCreatedAndApplyReturnsOnceItsRevisionIsReadyWithPlainLinesInAPipe() throws IOException {
        Cli.Result result = cli.run("apply", "-f", file("hello.yaml", Documents.modelServerYaml("hello", "1")).toString());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("service " + ns + "/hello created", "waiting for revision hello-00001",
                "revision hello-00001 is ready; the service is at http://hello." + ns);
        assertThat(result.out()).as("no spinner without a terminal").doesNotContain("\r", "\033[");
        assertThat(revision("hello", "hello-00001").at("/status/conditions/0/status").asString()).isEqualTo("True");
    }

    @Test
    void onATerminalApplyShowsASpinnerWithThePhasesOfTheNewRevision() throws IOException {
        Path first = file("spin.yaml", Documents.modelServerYaml("spin", "1"));
        assertThat(cli.run("apply", "-f", first.toString()).exitCode()).isZero();
        Path changed = file("spin.yaml", Documents.modelServerYaml("spin", "2"));

        Cli.Result result = cli.runInTerminal("apply", "-f", changed.toString());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("service " + ns + "/spin configured", "\r\033[K", "spin-00002: Deploying",
                "revision spin-00002 is ready");
        assertThat(result.out()).containsPattern("\r\033\\[K[|/\\\\-] spin-00002: ");
    }

    @Test
    void aKnativeServiceInYamlIsAppliedAsWrittenAndItsWarningShown() throws IOException {
        String manifest = """
                apiVersion: serving.knative.dev/v1
                kind: Service
                metadata:
                  name: knative
                  namespace: %s
                spec:
                  template:
                    spec:
                      containers:
                        - command: ["java", "-XX:TieredStopAtLevel=1", "-jar", "%s"]
                          readinessProbe:
                            httpGet:
                              path: /healthz
                """.formatted(ns, Documents.modelServerJar());

        Cli.Result result = cli.with("EBB_NAMESPACE", "elsewhere").run("apply", "-f", file("knative.yaml", manifest).toString());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("service " + ns + "/knative created", "revision knative-00001 is ready");
        assertThat(result.err()).contains("warning: ", "cluster-local");
        assertThat(revision("knative", "knative-00001").at("/template/readiness/path").asString()).isEqualTo("/healthz");
    }

    @Test
    void aRevisionThatCannotStartFailsTheApplyWithExitCode4AndItsReason() {
        Cli.Result result = cli.runWithInput(Documents.missingCommandJson("broken"), "apply", "-f", "-");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.REVISION_FAILED);
        assertThat(result.err()).contains("revision broken-00001 failed: CommandNotFound",
                "'ebb-cli-test-no-such-command' was not found on the PATH");
    }

    @Test
    void aRevisionNotReadyByTheTimeoutEndsTheWaitWithExitCode5() {
        String neverListens = "{\"name\": \"slow\", \"template\": {\"command\": [\"sleep\", \"600\"]}}";

        Cli.Result result = cli.runWithInput(neverListens, "apply", "-f", "-", "--timeout", "2s");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.TIMEOUT);
        assertThat(result.err()).contains("Timed out after 2s waiting for revision slow-00001 to be ready; it is still Deploying");
    }

    @Test
    void invalidInputExitsWith2FromTheCliOrFromEbbNamingTheField() throws IOException {
        Cli.Result duplicate = cli.run("apply", "-f", file("dup.yaml", "name: a\nname: b\n").toString());
        Cli.Result unknownField = cli.runWithInput("{\"name\": \"typo\", \"template\": {\"comand\": [\"x\"]}}", "apply", "-f", "-");
        Cli.Result badPort = cli.runWithInput("{\"name\": \"port\", \"template\": {\"command\": [\"x\"], \"port\": 99999}}",
                "apply", "-f", "-");
        Cli.Result missingFile = cli.run("apply", "-f", dir.resolve("nothing.yaml").toString());
        Cli.Result badTimeout = cli.run("apply", "-f", "-", "--timeout", "soon");
        Cli.Result noFile = cli.run("apply");

        assertThat(duplicate.exitCode()).as(duplicate.toString()).isEqualTo(ExitCode.INVALID);
        assertThat(duplicate.err()).contains("dup.yaml:2:", "Duplicate", "\"name\"");
        assertThat(unknownField.exitCode()).as(unknownField.toString()).isEqualTo(ExitCode.INVALID);
        assertThat(unknownField.err()).contains("(400 ", "template.comand: unknown field 'comand'; did you mean 'command'?");
        assertThat(badPort.exitCode()).as(badPort.toString()).isEqualTo(ExitCode.INVALID);
        assertThat(badPort.err()).contains("(422 ", "template.port: must be between 1 and 65535");
        assertThat(missingFile.exitCode()).isEqualTo(ExitCode.INVALID);
        assertThat(missingFile.err()).contains("There is no file");
        assertThat(badTimeout.exitCode()).isEqualTo(ExitCode.INVALID);
        assertThat(badTimeout.err()).contains("'soon' is not a duration");
        assertThat(noFile.exitCode()).isEqualTo(ExitCode.INVALID);
        assertThat(noFile.err()).contains("Missing required option: '--filename=FILE'");
        assertThat(ebb.api("GET", "/api/v1/namespaces/" + ns + "/services/typo", null).status()).as("nothing stored").isEqualTo(404);
    }

    @Test
    void anEbbServiceInYamlIsReadByEbbItselfSoOnStaysAStringAndAnAnchorIsRefused() throws IOException {
        String withFlag = Documents.modelServerYaml("flag", "1").replace("    MODEL_VERSION: \"1\"\n",
                "    MODEL_VERSION: \"1\"\n    MODE: on\n");
        Cli.Result flag = cli.run("apply", "-f", file("flag.yaml", withFlag).toString(), "--no-wait");
        Cli.Result anchored = cli.run("apply", "-f", file("anchored.yaml", "name: &n anchored\ntemplate:\n  command: [*n]\n").toString());

        assertThat(flag.exitCode()).as(flag.toString()).isZero();
        assertThat(ebb.api("GET", "/api/v1/namespaces/" + ns + "/services/flag", null).json().at("/template/env/MODE").asString())
                .as("YAML 1.2: on is a string, not true").isEqualTo("on");
        assertThat(anchored.exitCode()).as(anchored.toString()).isEqualTo(ExitCode.INVALID);
        assertThat(anchored.err()).contains("(400 ", "YAML anchors (&name) are not accepted");
        assertThat(ebb.api("GET", "/api/v1/namespaces/" + ns + "/services/anchored", null).status()).as("nothing stored").isEqualTo(404);
    }

    @Test
    void aCallerEbbRefusesExitsWith3() {
        String viewer = ebb.api("POST", "/api/v1/tokens", "{\"name\": \"viewer-" + ns + "\", \"grants\": [{\"namespace\": \"" + ns
                + "\", \"role\": \"viewer\"}]}").json().get("value").asString();

        Cli.Result wrongToken = cli.with("EBB_TOKEN", "not-a-token").runWithInput(Documents.missingCommandJson("x"), "apply", "-f", "-");
        Cli.Result tooSmallARole = cli.with("EBB_TOKEN", viewer).runWithInput(Documents.missingCommandJson("x"), "apply", "-f", "-");

        assertThat(wrongToken.exitCode()).as(wrongToken.toString()).isEqualTo(ExitCode.REJECTED);
        assertThat(wrongToken.err()).contains("(401 ");
        assertThat(tooSmallARole.exitCode()).as(tooSmallARole.toString()).isEqualTo(ExitCode.REJECTED);
        assertThat(tooSmallARole.err()).contains("(403 ");
    }

    @Test
    void withOutputJsonStandardOutputHoldsOnlyTheServiceDocumentAndNoWaitReturnsOnceStored() {
        Cli.Result stored = cli.runWithInput(Documents.missingCommandJson("quick"), "apply", "-f", "-", "--no-wait", "-o", "json");
        Cli.Result yaml = cli.runWithInput(Documents.missingCommandJson("quick"), "apply", "-f", "-", "--no-wait", "-o", "yaml");

        assertThat(stored.exitCode()).as(stored.toString()).isZero();
        JsonNode service = JSON.readTree(stored.out());
        assertThat(service.get("name").asString()).isEqualTo("quick");
        assertThat(service.at("/status/latestCreatedRevision").asString()).isEqualTo("quick-00001");
        assertThat(stored.err()).contains("service " + ns + "/quick created");
        assertThat(yaml.exitCode()).as(yaml.toString()).isZero();
        assertThat(yaml.out()).contains("name: \"quick\"", "latestCreatedRevision: \"quick-00001\"");
        assertThat(yaml.err()).contains("service " + ns + "/quick configured");
    }

    @Test
    void anEbbThatIsNotThereExitsWith1SayingSo() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }

        Cli.Result result = cli.with("EBB_SERVER", "http://127.0.0.1:" + closed).run("service", "list");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.ERROR);
        assertThat(result.err()).contains("Cannot reach Ebb at http://127.0.0.1:" + closed);
    }
}
