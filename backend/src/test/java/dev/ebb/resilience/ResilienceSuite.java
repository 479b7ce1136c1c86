package dev.ebb.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ebb.support.TinyServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Issue 15's resilience suite on the local runtime: the ten scenarios of {@link ResilienceScenarios} with the revisions'
 * instances run as processes by the control plane, which caps them at 40 per namespace. Writes {@code RELIABILITY.md}
 * at the repository root, keeping its section "On Kubernetes". Run with
 * {@code mvn -pl backend test -Dtest=ResilienceSuite -Dsurefire.failIfNoSpecifiedTests=false} after
 * {@code mvn -pl api,gateway install -DskipTests}; surefire's default pattern never picks it.
 */
class ResilienceSuite extends ResilienceScenarios {

    private static final int SCENARIOS = 10;
    private static final int INSTANCES_PER_NAMESPACE = 40;

    @Override
    String ns() {
        return "resilience";
    }

    @Override
    void startPlatform() {
    }

    @Override
    List<String> controlPlaneSettings() {
        return List.of("--ebb.runtime.local.max-instances-per-namespace=" + INSTANCES_PER_NAMESPACE);
    }

    @Override
    String placement() {
        return "";
    }

    @Override
    String tinyTemplate(String extra) {
        return TinyServer.template(extra);
    }

    @Override
    String crowdTemplate() {
        return TinyServer.template("\"scale\": {\"min\": 1}");
    }

    @Override
    String crowdPlaced(String namespace, int accepted) {
        await().atMost(SLOW).until(() -> processesInNamespace(namespace) >= INSTANCES_PER_NAMESPACE);
        int alive = processesInNamespace(namespace);
        assertThat(alive).as("the namespace's cap on live instances").isLessThanOrEqualTo(INSTANCES_PER_NAMESPACE);
        return alive + " instance processes at most (the namespace cap, " + INSTANCES_PER_NAMESPACE + " in this run; the rest wait, "
                + "saying so in their logs)";
    }

    @Override
    void crowdRemoved(String namespace) {
        await().atMost(SLOW).until(() -> processesInNamespace(namespace) == 0);
    }

    @Override
    void stopPlatform() {
    }

    @Override
    void writeReport() throws IOException {
        List<String> out = new ArrayList<>();
        out.add("# Reliability");
        out.add("");
        out.add("What Ebb does when things go wrong, measured by the resilience suite (issue 15; method and scenarios in "
                + "`bench/resilience/README.md`). Every scenario ran against real processes on 127.0.0.1: an embedded "
                + "PostgreSQL 14 (zonky), the control plane (its own JVM), the standalone gateway "
                + "(`gateway/target/ebb-gateway-exec.jar`, its own JVM) and the revisions' instances (the test suite's "
                + "TinyServer, each its own JVM, run by the local runtime).");
        out.add("");
        out.addAll(report.table());
        out.add("Failed: an answer the scenario does not allow (a 5xx where none may be, a broken connection, an error that is "
                + "not problem+json). Lost: sent and never answered, or a committed write missing afterwards. What the figures "
                + "show, what the suite found and fixed, and what is not met: the Resilience section of `BENCHMARKS.md`.");
        out.add("");
        out.add("## Figures per scenario");
        out.add("");
        out.addAll(report.figures());
        out.add("");
        out.add("## Run");
        out.add("");
        out.addAll(report.run("mvn -B -pl backend test -Dtest=ResilienceSuite -Dsurefire.failIfNoSpecifiedTests=false"));
        // A run of some scenarios only (-Dtest=ResilienceSuite#...) does not replace the whole suite's report.
        Path file = report.size() == SCENARIOS ? Path.of("..", "RELIABILITY.md") : work.resolve("RELIABILITY.md");
        // The Kubernetes scenarios' section, written by KubernetesResilienceSuite, stays until that suite runs again.
        String kubernetes = "";
        if (Files.exists(file)) {
            String before = Files.readString(file);
            int at = before.indexOf("\n" + KubernetesResilienceSuite.SECTION);
            kubernetes = at < 0 ? "" : "\n" + before.substring(at + 1).stripTrailing() + "\n";
        }
        Files.writeString(file, String.join("\n", out) + "\n" + kubernetes);
        System.out.println("resilience: report written to " + file.toAbsolutePath().normalize());
    }
}
