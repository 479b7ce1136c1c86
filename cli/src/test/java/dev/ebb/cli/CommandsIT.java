package dev.ebb.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ebb.cli.support.AgainstEbb;
import dev.ebb.cli.support.Cli;
import dev.ebb.cli.support.Documents;
import dev.ebb.cli.support.RunningEbb;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Every command but apply against the packaged control plane: login, services, revisions, traffic, rollouts and more. */
class CommandsIT extends AgainstEbb {

    private static Cli.Result ok(Cli.Result result) {
        assertThat(result.exitCode()).as(result.toString()).isZero();
        return result;
    }

    /** Applies the model server as {@code service}, version by version, each waited for until ready. */
    private static void modelServer(String service, String more, String... versions) throws IOException {
        for (String version : versions) {
            Path file = Files.writeString(dir.resolve(service + ".yaml"), Documents.modelServerYaml(service, version, more));
            ok(cli.run("apply", "-f", file.toString()));
        }
    }

    private static JsonNode service(String name) {
        return ebb.api("GET", "/api/v1/namespaces/" + ns + "/services/" + name, null).json();
    }

    @Test
    void loginStoresTheContextReadableByItsOwnerOnlyAndLaterCommandsUseIt() throws IOException {
        Path config = dir.resolve("login/ebb/config");
        Cli fresh = new Cli(config);

        Cli.Result refused = fresh.run("login", "--server", ebb.server(), "--token", "wrong");
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCode.REJECTED);
        assertThat(config).as("nothing stored for a refused token").doesNotExist();

        Cli.Result login = ok(fresh.runWithInput(RunningEbb.TOKEN + "\n", "login", "--server", ebb.server() + "/", "--token-stdin",
                "--context", "it", "-n", ns));

        assertThat(login.out()).contains("Logged in to " + ebb.server() + " as token:bootstrap", "context 'it' is current");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config.getParent()))).isEqualTo("rwx------");
        assertThat(Files.readString(config)).contains("currentContext: \"it\"", "token: \"" + RunningEbb.TOKEN + "\"");
        ok(fresh.runWithInput(Documents.missingCommandJson("from-context"), "apply", "-f", "-", "--no-wait"));
        assertThat(service("from-context").get("name").asString()).as("applied in the context's namespace").isEqualTo("from-context");
        assertThat(ok(fresh.run("context", "list")).out()).containsPattern("\\*\\s+it\\s+" + ebb.server() + "\\s+" + ns);
        Cli.Result unknown = fresh.run("context", "use", "ti");
        assertThat(unknown.exitCode()).isEqualTo(ExitCode.INVALID);
        assertThat(unknown.err()).contains("did you mean 'it'?");
    }

    @Test
    void servicesAreListedReadAndDeletedInTablesJsonAndYaml() {
        ok(cli.runWithInput(Documents.missingCommandJson("listed"), "apply", "-f", "-", "--no-wait"));

        Cli.Result table = ok(cli.run("service", "list"));
        Cli.Result json = ok(cli.run("service", "list", "-o", "json"));
        Cli.Result everywhere = ok(cli.run("service", "list", "-A", "-o", "yaml"));
        Cli.Result get = ok(cli.run("service", "get", "listed"));
        Cli.Result getYaml = ok(cli.run("service", "get", "listed", "-o", "yaml"));

        assertThat(table.out()).containsPattern("NAMESPACE\\s+NAME\\s+READY").containsPattern(ns + "\\s+listed\\s+");
        List<String> names = new ArrayList<>();
        JSON.readTree(json.out()).get("items").forEach(item -> names.add(item.get("name").asString()));
        assertThat(names).contains("listed");
        assertThat(everywhere.out()).contains("namespace: \"" + ns + "\"", "name: \"listed\"");
        assertThat(get.out()).contains("Name:", ns + "/listed", "Latest created:    listed-00001", "Traffic:");
        assertThat(getYaml.out()).contains("latestCreatedRevision: \"listed-00001\"");

        Cli.Result deleted = ok(cli.run("service", "delete", "listed"));
        Cli.Result gone = cli.run("service", "get", "listed");

        assertThat(deleted.out()).contains("service " + ns + "/listed deleted");
        assertThat(gone.exitCode()).as(gone.toString()).isEqualTo(ExitCode.INVALID);
        assertThat(gone.err()).contains("(404 ");
    }

    @Test
    void trafficIsSplitAndTaggedAndRevisionsAreListedDiffedAndTheirLogsRead() throws IOException {
        modelServer("split", "", "1", "2");

        Cli.Result set = ok(cli.run("traffic", "set", "split", "split-00001=90", "@latest=10", "--tag", "stable=split-00001",
                "--change-cause", "canary of 2"));
        Cli.Result wrongSum = cli.run("traffic", "set", "split", "split-00001=90", "@latest=20");

        assertThat(set.out()).contains("split-00001 90% tag stable", "split-00002 (@latest) 10%");
        JsonNode traffic = service("split").at("/status/traffic");
        assertThat(traffic.get(0).get("revision").asString()).isEqualTo("split-00001");
        assertThat(traffic.get(0).get("tag").asString()).isEqualTo("stable");
        assertThat(traffic.get(1).get("percent").asInt()).isEqualTo(10);
        assertThat(wrongSum.exitCode()).as(wrongSum.toString()).isEqualTo(ExitCode.INVALID);
        assertThat(wrongSum.err()).contains("sum to 110, want 100");

        Cli.Result revisions = ok(cli.run("revision", "list", "split"));
        Cli.Result diff = ok(cli.run("revision", "diff", "split", "split-00001", "split-00002"));
        Cli.Result diffJson = ok(cli.run("revision", "diff", "split", "split-00001", "split-00002", "-o", "json"));
        Cli.Result logs = ok(cli.run("revision", "logs", "split", "split-00001", "--tail", "20"));

        assertThat(revisions.out()).containsPattern("split-00002\\s+True").containsPattern("split-00001\\s+True");
        assertThat(revisions.out().indexOf("split-00002")).as("newest first").isLessThan(revisions.out().indexOf("split-00001"));
        assertThat(diff.out()).containsPattern("env.MODEL_VERSION\\s+\\S+\\s+1\\s+2");
        assertThat(JSON.readTree(diffJson.out()).get("identical").asBoolean()).isFalse();
        assertThat(logs.out()).contains("[ebb] started pid");
        assertThat(ok(cli.run("audit", "--service", "split", "--action", "traffic.update")).out()).contains("traffic.update", "canary of 2");
    }

    @Test
    void rolloutCommandsPauseResumeAndPromoteTheRolloutInProgressAndRefuseWhatDoesNotApply() throws IOException {
        // The document carries its rollout: apply replaces the whole service, as a declarative tool does.
        modelServer("canary", "rollout: {strategy: canary, steps: [50, 100], interval: 1h}\n", "1", "2");

        await().atMost(Duration.ofMinutes(2)).untilAsserted(() ->
                assertThat(ok(cli.run("rollout", "status", "canary")).out()).contains("Rollout of canary-00002 from canary-00001 (canary): progressing"));
        Cli.Result paused = ok(cli.run("rollout", "pause", "canary", "-o", "json"));
        Cli.Result pausedAgain = cli.run("rollout", "pause", "canary");
        Cli.Result resumed = ok(cli.run("rollout", "resume", "canary"));
        Cli.Result promoted = ok(cli.run("rollout", "promote", "canary"));
        Cli.Result abortNone = cli.run("rollout", "abort", "canary");

        assertThat(JSON.readTree(paused.out()).get("state").asString()).isEqualTo("paused");
        assertThat(pausedAgain.exitCode()).as(pausedAgain.toString()).isEqualTo(ExitCode.REJECTED);
        assertThat(pausedAgain.err()).contains("(409 ");
        assertThat(resumed.out()).contains(": progressing");
        assertThat(promoted.out()).doesNotContain(": progressing", ": paused");
        assertThat(abortNone.exitCode()).as(abortNone.toString()).isEqualTo(ExitCode.REJECTED);
        await().atMost(Duration.ofMinutes(1)).untilAsserted(() ->
                assertThat(service("canary").at("/status/traffic/0/revision").asString()).isEqualTo("canary-00002"));
    }

    @Test
    void coldStartsWarmRequestsAndTheAuditTrailAreRead() {
        ok(cli.runWithInput(Documents.missingCommandJson("warmed"), "apply", "-f", "-", "--no-wait"));

        Cli.Result coldstarts = ok(cli.run("coldstarts", "warmed"));
        Cli.Result warm = ok(cli.run("warm", "warmed", "--revision", "warmed-00001", "--instances", "1", "--duration", "5m"));
        Cli.Result listed = ok(cli.run("warm", "warmed", "--list", "-o", "json"));
        Cli.Result ended = ok(cli.run("warm", "warmed", "--end"));
        Cli.Result audit = ok(cli.run("audit", "--service", "warmed", "--action", "warm.create,warm.delete", "-o", "json"));
        Cli.Result firstPage = ok(cli.run("audit", "--service", "warmed", "--limit", "1"));
        Cli.Result conflicting = cli.run("warm", "warmed", "--list", "--end");

        assertThat(coldstarts.out()).contains("SLO: 10s").containsPattern("REVISION\\s+COUNT\\s+P50 MS");
        assertThat(warm.out()).contains("keeping warmed-00001 at 1 instance(s) or more until");
        assertThat(JSON.readTree(listed.out()).at("/items/0/revision").asString()).isEqualTo("warmed-00001");
        assertThat(ended.out()).contains("warm requests of " + ns + "/warmed ended");
        List<String> actions = new ArrayList<>();
        JSON.readTree(audit.out()).get("items").forEach(event -> actions.add(event.get("action").asString()));
        assertThat(actions).containsExactly("warm.delete", "warm.create");
        assertThat(firstPage.err()).contains("more: add --continue ");
        assertThat(conflicting.exitCode()).isEqualTo(ExitCode.INVALID);
    }

    @Test
    void theBashCompletionScriptCompletesCommandsAndOutputFormats() throws IOException, InterruptedException {
        Path script = dir.resolve("ebb.bash");
        Files.writeString(script, ok(cli.run("completion", "bash")).out());

        Process bash = new ProcessBuilder("bash", "-c", "source " + script + "\n"
                + "COMP_WORDS=(ebb rol); COMP_CWORD=1; COMP_LINE='ebb rol'; _complete_ebb; echo \"commands: ${COMPREPLY[*]}\"\n"
                + "COMP_WORDS=(ebb service list -o ''); COMP_CWORD=4; COMP_LINE='ebb service list -o '; _complete_ebb; "
                + "echo \"formats: ${COMPREPLY[*]}\"").redirectErrorStream(true).start();
        String out = new String(bash.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);

        assertThat(bash.waitFor()).as(out).isZero();
        assertThat(out).contains("commands: rollout").containsPattern("formats: .*json").contains("yaml");
    }
}
