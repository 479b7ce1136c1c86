package dev.ebb.runtime.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ebb.runtime.RevisionDeployment;
import dev.ebb.runtime.RevisionKey;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** No instance outlives the Ebb that started it, however that Ebb ends. */
class OrphanTest {

    @TempDir
    Path directory;

    /** Runs a local runtime with one sleeping instance, prints the instance's pid, and waits to be killed. */
    public static void main(String[] args) throws Exception {
        LocalRuntime runtime = new LocalRuntime(LocalRuntimeTest.properties(Duration.ofSeconds(600), Duration.ofSeconds(5)),
                Path.of(args[0]), Clock.systemUTC());
        runtime.start();
        RevisionKey key = new RevisionKey("ml", "hello", "hello-00001");
        runtime.apply(List.of(new RevisionDeployment(key,
                LocalRuntimeTest.template(List.of("sh", "-c", "echo sleeping; exec sleep 600"), null, null, null), 1)));
        while (LocalRuntimeTest.startedPids(runtime.logBuffer(key)).isEmpty()) {
            Thread.sleep(20);
        }
        System.out.println("instance-pid " + LocalRuntimeTest.startedPids(runtime.logBuffer(key)).get(0));
        System.out.flush();
        Thread.sleep(Duration.ofMinutes(10).toMillis());
    }

    @Test
    void instancesOfAnEbbKilledWithSigkillAreStopped() throws Exception {
        Process ebb = new ProcessBuilder(LocalRuntimeTest.JAVA, "-cp", System.getProperty("java.class.path"),
                OrphanTest.class.getName(), directory.toString()).redirectErrorStream(true).start();
        long instance;
        try (BufferedReader output = new BufferedReader(new InputStreamReader(ebb.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            do {
                line = output.readLine();
            } while (line != null && !line.startsWith("instance-pid "));
            assertThat(line).as("the child runtime reported its instance").isNotNull();
            instance = Long.parseLong(line.substring("instance-pid ".length()));
            assertThat(ProcessHandle.of(instance).map(ProcessHandle::isAlive)).contains(true);

            ebb.destroyForcibly().waitFor();
        }

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(ProcessHandle.of(instance).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true)));
    }

    @Test
    void aNewRuntimeStopsInstancesAPreviousRunLeftBehind() throws Exception {
        Process leftover = new ProcessBuilder("sleep", "600").start();
        long start = leftover.info().startInstant().orElseThrow().toEpochMilli();
        Path runtimeDirectory = directory.resolve("runtime");
        Files.createDirectories(runtimeDirectory);
        Files.writeString(runtimeDirectory.resolve("instances.pids"), leftover.pid() + " " + start + "\n");
        Process unrelated = new ProcessBuilder("sleep", "600").start();
        Files.writeString(runtimeDirectory.resolve("instances.pids"), unrelated.pid() + " 12345\n", java.nio.file.StandardOpenOption.APPEND);

        try (LocalRuntime runtime = new LocalRuntime(LocalRuntimeTest.properties(Duration.ofSeconds(60), Duration.ofSeconds(5)),
                runtimeDirectory, Clock.systemUTC())) {
            runtime.start();

            await().atMost(Duration.ofSeconds(20)).until(() -> !leftover.isAlive());
            assertThat(unrelated.isAlive()).as("a process whose start time does not match is someone else's").isTrue();
        } finally {
            unrelated.destroyForcibly();
        }
    }
}
