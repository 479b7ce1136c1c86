package dev.ebb.runtime.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ebb.runtime.RevisionDeployment;
import dev.ebb.runtime.RevisionKey;
import dev.ebb.spec.Template;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Instances outlive a crash of the Ebb that started them; the next Ebb adopts those it wants and stops the others. */
class OrphanTest {

    private static final RevisionKey HELLO = new RevisionKey("ml", "hello", "hello-00001");
    private static final RevisionKey BYE = new RevisionKey("ml", "bye", "bye-00001");

    @TempDir
    Path directory;

    private static Template sleeper() {
        return LocalRuntimeTest.template(List.of("sh", "-c", "echo sleeping; exec sleep 600"), null, null, null);
    }

    /** Runs a local runtime with a ready instance of hello and a sleeping one of bye, prints their pids, and waits to be killed. */
    public static void main(String[] args) throws Exception {
        LocalRuntime runtime = new LocalRuntime(LocalRuntimeTest.properties(Duration.ofSeconds(600), Duration.ofSeconds(5)),
                Path.of(args[0]), Clock.systemUTC());
        runtime.start();
        runtime.apply(List.of(new RevisionDeployment(HELLO, LocalRuntimeTest.tinyServer(Map.of()), 1),
                new RevisionDeployment(BYE, sleeper(), 1)));
        while (runtime.observe("ml", HELLO.revision()).orElseThrow().ready() < 1
                || LocalRuntimeTest.startedPids(runtime.logBuffer(BYE)).isEmpty()) {
            Thread.sleep(20);
        }
        System.out.println("instance-pids " + LocalRuntimeTest.startedPids(runtime.logBuffer(HELLO)).get(0) + " "
                + LocalRuntimeTest.startedPids(runtime.logBuffer(BYE)).get(0));
        System.out.flush();
        Thread.sleep(Duration.ofMinutes(10).toMillis());
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    @Test
    void instancesOutliveAnEbbKilledWithSigkillAndTheNextOneAdoptsTheWantedAndStopsTheRest() throws Exception {
        Path runtimeDirectory = directory.resolve("runtime");
        Process ebb = new ProcessBuilder(LocalRuntimeTest.JAVA, "-cp", System.getProperty("java.class.path"),
                OrphanTest.class.getName(), runtimeDirectory.toString()).redirectErrorStream(true).start();
        long hello;
        long bye;
        try (BufferedReader output = new BufferedReader(new InputStreamReader(ebb.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            do {
                line = output.readLine();
            } while (line != null && !line.startsWith("instance-pids "));
            assertThat(line).as("the child runtime reported its instances").isNotNull();
            String[] pids = line.split(" ");
            hello = Long.parseLong(pids[1]);
            bye = Long.parseLong(pids[2]);

            ebb.destroyForcibly().waitFor();
        }

        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(20))
                .until(() -> alive(hello) && alive(bye));
        // What the killed Ebb left for the next one, for the message should it not adopt (seen once on a clean clone).
        Path recorded = runtimeDirectory.resolve("instances.pids");
        String left = (Files.exists(recorded) ? Files.readString(recorded) : "no " + recorded) + "; hello pid " + hello
                + " started " + ProcessHandle.of(hello).flatMap(p -> p.info().startInstant()).map(Object::toString).orElse("?");

        try (LocalRuntime next = new LocalRuntime(LocalRuntimeTest.properties(Duration.ofSeconds(600), Duration.ofSeconds(5)),
                runtimeDirectory, Clock.systemUTC())) {
            next.start();
            next.apply(List.of(new RevisionDeployment(HELLO, LocalRuntimeTest.tinyServer(Map.of()), 1)));

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(next.observe("ml", HELLO.revision()).orElseThrow().ready()).isEqualTo(1));
            assertThat(next.logBuffer(HELLO).tail(100)).extracting(LogBuffer.Line::text).as(left)
                    .contains("[ebb] adopted pid " + hello + " on port "
                            + next.observe("ml", HELLO.revision()).orElseThrow().endpoints().get(0).port()
                            + ", left running by a previous Ebb")
                    .anyMatch(text -> text.startsWith("tiny server listening on"));
            assertThat(LocalRuntimeTest.startedPids(next.logBuffer(HELLO))).as("no new instance was started").isEmpty();
            await().atMost(Duration.ofSeconds(20)).until(() -> !alive(bye));
            assertThat(alive(hello)).as("the adopted instance keeps serving").isTrue();
        }
        assertThat(alive(hello)).as("a clean stop of Ebb stops its instances").isFalse();
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
