package dev.ebb.runtime.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ebb.runtime.RevisionDeployment;
import dev.ebb.runtime.RevisionKey;
import dev.ebb.runtime.RevisionObservation;
import dev.ebb.spec.ServiceRules;
import dev.ebb.spec.Template;
import dev.ebb.spec.TemplateDefaults;
import dev.ebb.support.TinyServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local runtime with real child processes on real loopback ports. */
class LocalRuntimeTest {

    static final String JAVA = TinyServer.JAVA;
    static final Duration SLOW = Duration.ofSeconds(60);

    @TempDir
    Path directory;

    private LocalRuntime runtime;
    private final RevisionKey key = new RevisionKey("ml", "hello", "hello-00001");

    static LocalRuntimeProperties properties(Duration progressDeadline, Duration stopGrace) {
        return properties(progressDeadline, stopGrace, Duration.ofMillis(200));
    }

    static LocalRuntimeProperties properties(Duration progressDeadline, Duration stopGrace, Duration drain) {
        return properties(progressDeadline, stopGrace, drain, 500);
    }

    static LocalRuntimeProperties properties(Duration progressDeadline, Duration stopGrace, Duration drain,
            int maxInstancesPerNamespace) {
        return new LocalRuntimeProperties(Duration.ofMillis(25), Duration.ofMillis(200), Duration.ofMillis(300), stopGrace,
                progressDeadline, 3, Duration.ofMillis(50), Duration.ofMillis(400), 100, drain, maxInstancesPerNamespace, 4,
                Duration.ofMinutes(10), true);
    }

    private LocalRuntime start(LocalRuntimeProperties properties) {
        runtime = new LocalRuntime(properties, directory.resolve("runtime"), Clock.systemUTC());
        runtime.start();
        return runtime;
    }

    private LocalRuntime start() {
        return start(properties(Duration.ofSeconds(120), Duration.ofSeconds(5)));
    }

    @AfterEach
    void stop() {
        if (runtime != null) {
            runtime.close();
        }
    }

    static Template template(List<String> command, List<String> args, Map<String, String> env, Template.Readiness readiness) {
        return ServiceRules.withDefaults(new Template(null, command, args, env, null, null, readiness, null, null, null),
                TemplateDefaults.standard());
    }

    static Template tinyServer(Map<String, String> env) {
        return template(List.of(JAVA), List.of(TinyServer.program(), "$(PORT)"), env, new Template.Readiness("/healthz", null));
    }

    private RevisionObservation observation() {
        return runtime.observe().stream().filter(o -> o.key().equals(key)).findFirst().orElseThrow();
    }

    private RevisionObservation awaitStatus(String status) {
        await().atMost(SLOW).until(() -> observation().readyStatus().equals(status));
        return observation();
    }

    private static String get(int port, String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void aRevisionReadyAtZeroStaysReadyWhileItsFirstInstanceStarts() throws Exception {
        Template startsSlowly = tinyServer(Map.of("STARTUP_DELAY_MS", "3000"));
        Template atZero = new Template(startsSlowly.image(), startsSlowly.command(), startsSlowly.args(), startsSlowly.env(),
                startsSlowly.port(), startsSlowly.protocol(), startsSlowly.readiness(), startsSlowly.timeoutSeconds(),
                startsSlowly.concurrency(), new Template.Scale(0, null, 0, null, null, null));
        start().apply(List.of(new RevisionDeployment(key, ServiceRules.withDefaults(atZero, TemplateDefaults.standard()), 0)));
        assertThat(awaitStatus("True").message()).contains("initial scale 0");

        // The first request wakes it: while the instance starts, the revision is still the one traffic goes to.
        runtime.apply(List.of(new RevisionDeployment(key, ServiceRules.withDefaults(atZero, TemplateDefaults.standard()), 1)));
        await().atMost(SLOW).until(() -> runtime.logBuffer(key).tail(100).stream().anyMatch(l -> l.text().startsWith("[ebb] started pid")));
        RevisionObservation starting = observation();
        assertThat(starting.endpoints()).as("the instance sleeps 3 s before it listens").isEmpty();
        assertThat(starting.readyStatus()).isEqualTo("True");

        await().atMost(SLOW).until(() -> !observation().endpoints().isEmpty());
        assertThat(observation().readyStatus()).isEqualTo("True");
    }

    @Test
    void anInstanceAnsweringItsProbeMakesTheRevisionReady() throws Exception {
        start().apply(List.of(new RevisionDeployment(key, tinyServer(Map.of("MODEL", "sentiment")), 1)));

        RevisionObservation ready = awaitStatus("True");
        assertThat(ready.endpoints()).singleElement().satisfies(e -> assertThat(e.host()).isEqualTo("127.0.0.1"));
        String env = get(ready.endpoints().get(0).port(), "/env");
        assertThat(env).contains("MODEL=sentiment", "K_REVISION=hello-00001", "K_SERVICE=hello",
                "PORT=" + ready.endpoints().get(0).port());
        assertThat(env).as("Ebb's own settings, which hold secrets, do not reach instances").doesNotContain("EBB_LEAK_CANARY");
        assertThat(get(ready.endpoints().get(0).port(), "/cwd")).contains("hello-00001");
        assertThat(runtime.logBuffer(key).tail(100)).extracting(LogBuffer.Line::text)
                .anyMatch(line -> line.startsWith("tiny server listening on"));
    }

    @Test
    void repeatedCrashesReportACrashLoopWithTheLastOutput() {
        start().apply(List.of(new RevisionDeployment(key,
                template(List.of("sh", "-c", "echo model weights missing; exit 3"), null, null, null), 1)));

        RevisionObservation failed = awaitStatus("False");
        assertThat(failed.reason()).isEqualTo("CrashLoop");
        assertThat(failed.message()).contains("exited with code 3", "model weights missing");
    }

    @Test
    void aCommandThatDoesNotExistFailsNamingIt() {
        start().apply(List.of(new RevisionDeployment(key, template(List.of("no-such-model-server"), null, null, null), 1)));

        RevisionObservation failed = awaitStatus("False");
        assertThat(failed.reason()).isEqualTo("CommandNotFound");
        assertThat(failed.message()).contains("'no-such-model-server'");
    }

    @Test
    void aRevisionWithOnlyAnImageCannotRunLocally() {
        Template imageOnly = ServiceRules.withDefaults(new Template("ghcr.io/acme/model:1", null, null, null, null, null, null,
                null, null, null), TemplateDefaults.standard());
        start().apply(List.of(new RevisionDeployment(key, imageOnly, 1)));

        RevisionObservation failed = awaitStatus("False");
        assertThat(failed.reason()).isEqualTo("NoCommand");
        assertThat(failed.message()).contains("ghcr.io/acme/model:1", "template.command");
    }

    @Test
    void aRevisionThatNeverAnswersFailsAtItsProgressDeadlineQuotingWhatItPrinted() {
        start(properties(Duration.ofSeconds(2), Duration.ofSeconds(5))).apply(List.of(new RevisionDeployment(key,
                template(List.of("sh", "-c", "echo loading weights from /models/missing; sleep 600"), null, null, null), 1)));

        RevisionObservation failed = awaitStatus("False");
        assertThat(failed.reason()).isEqualTo("ProgressDeadlineExceeded");
        assertThat(failed.message()).contains("progress deadline of 2 s", "loading weights from /models/missing");

        runtime.apply(List.of()); // what the control plane does with a failed revision nobody routes to
        await().atMost(SLOW).untilAsserted(() -> assertThat(runtime.logBuffer(key).tail(10))
                .extracting(LogBuffer.Line::text).anyMatch(line -> line.startsWith("[ebb] stopped")));
        assertThat(observation().reason()).as("the cause outlives the instances").isEqualTo("ProgressDeadlineExceeded");
        assertThat(observation().message()).contains("loading weights from /models/missing");
    }

    @Test
    void aChangeListenerThatThrowsStopsNeitherTheRuntimeNorItsLaterDeadlineChecks() {
        AtomicInteger told = new AtomicInteger();
        start(properties(Duration.ofSeconds(2), Duration.ofSeconds(5))).whenChanged(() -> {
            told.incrementAndGet();
            throw new IllegalStateException("a listener's own bug");
        });
        Template neverAnswers = template(List.of("sh", "-c", "sleep 600"), null, null, null);
        RevisionKey later = new RevisionKey("ml", "hello", "hello-00002");

        runtime.apply(List.of(new RevisionDeployment(key, neverAnswers, 1)));
        assertThat(awaitStatus("False").reason()).isEqualTo("ProgressDeadlineExceeded");
        // The failure above was announced from the periodic deadline check, to the listener that throws.
        runtime.apply(List.of(new RevisionDeployment(key, neverAnswers, 1), new RevisionDeployment(later, neverAnswers, 1)));
        await().atMost(SLOW).until(() -> runtime.observe().stream().filter(o -> o.key().equals(later))
                .anyMatch(o -> "ProgressDeadlineExceeded".equals(o.reason())));
        assertThat(told).as("told of every change all the same").hasValueGreaterThan(2);
    }

    @Test
    void aCrashLoopPastItsDeadlineStillSaysTheExitCodeAndTheLastOutput() {
        start(properties(Duration.ofSeconds(2), Duration.ofSeconds(5))).apply(List.of(new RevisionDeployment(key,
                template(List.of("sh", "-c", "echo model weights missing; exit 3"), null, null, null), 1)));

        await().atMost(SLOW).until(() -> "ProgressDeadlineExceeded".equals(observation().reason()));
        assertThat(observation().message()).contains("progress deadline of 2 s", "exited with code 3", "model weights missing");
    }

    @Test
    void aCrashedInstanceWaitsOutItsBackOffEvenWhenTheRevisionIsAppliedAgain() {
        LocalRuntimeProperties slowBackOff = new LocalRuntimeProperties(Duration.ofMillis(25), Duration.ofMillis(200),
                Duration.ofMillis(300), Duration.ofSeconds(5), Duration.ofSeconds(120), 3, Duration.ofMinutes(5),
                Duration.ofMinutes(5), 100, Duration.ofMillis(200), 500, 4, Duration.ofMinutes(10), true);
        RevisionDeployment crashing = new RevisionDeployment(key, template(List.of("sh", "-c", "exit 3"), null, null, null), 1);
        start(slowBackOff).apply(List.of(crashing));

        await().atMost(SLOW).until(() -> observation().instances().stream().anyMatch(i -> i.nextRestart() != null));
        runtime.apply(List.of(crashing));
        runtime.apply(List.of(crashing));

        assertThat(observation().instances()).singleElement().satisfies(waiting -> {
            assertThat(waiting.ready()).isFalse();
            assertThat(waiting.restarts()).isZero();
            assertThat(waiting.nextRestart()).isAfter(java.time.Instant.now().plusSeconds(200));
        });
        assertThat(runtime.logBuffer(key).tail(100)).extracting(LogBuffer.Line::text)
                .filteredOn(line -> line.startsWith("[ebb] started")).hasSize(1);
    }

    @Test
    void aCrashedInstanceStartsAgainUnderItsOwnNameAndItsPreviousRunCanBeRead() {
        start().apply(List.of(new RevisionDeployment(key,
                template(List.of("sh", "-c", "echo run of $EBB_INSTANCE; exit 3"), null, null, null), 1)));

        await().atMost(SLOW).until(() -> observation().instances().stream().anyMatch(i -> i.restarts() >= 2));
        String id = observation().instances().get(0).name();
        assertThat(runtime.logBuffer(key).tail(1000)).extracting(LogBuffer.Line::instance).containsOnly(id);
        List<String> previous = runtime.logBuffer(key).tail(1000, new LogBuffer.Selection(id, true)).stream()
                .map(LogBuffer.Line::text).toList();
        assertThat(previous.get(0)).as("a run begins with its start").startsWith("[ebb] restart ");
        assertThat(previous).contains("run of " + id).filteredOn(line -> line.contains("started pid")).hasSize(1);
    }

    @Test
    void aRetriedRevisionForgetsItsFailureAndIsTriedAgain() {
        start(properties(Duration.ofSeconds(2), Duration.ofSeconds(5))).apply(List.of(new RevisionDeployment(key,
                template(List.of("sleep", "600"), null, null, null), 1)));
        awaitStatus("False");

        runtime.retry(key);

        assertThat(observation().readyStatus()).isEqualTo("Unknown");
        assertThat(observation().reason()).isEqualTo("Deploying");
        assertThat(awaitStatus("False").reason()).as("the deadline counts again from the retry").isEqualTo("ProgressDeadlineExceeded");
    }

    @Test
    void aSlowStarterIsReadyOnlyOnceItAnswers() {
        start().apply(List.of(new RevisionDeployment(key, tinyServer(Map.of("STARTUP_DELAY_MS", "1500")), 1)));

        assertThat(observation().readyStatus()).isEqualTo("Unknown");
        assertThat(observation().reason()).isEqualTo("Deploying");
        awaitStatus("True");
    }

    @Test
    void aRevisionStaysReadyWhenScaledToZero() {
        start().apply(List.of(new RevisionDeployment(key, tinyServer(Map.of()), 1)));
        awaitStatus("True");

        runtime.apply(List.of());

        await().atMost(SLOW).until(() -> observation().endpoints().isEmpty());
        assertThat(observation().readyStatus()).isEqualTo("True");
    }

    @Test
    void aServingInstanceLeavesRoutingBeforeItIsAskedToStop() {
        start(properties(Duration.ofSeconds(120), Duration.ofSeconds(5), Duration.ofSeconds(3)))
                .apply(List.of(new RevisionDeployment(key, tinyServer(Map.of()), 1)));
        awaitStatus("True");
        long pid = startedPids().get(0);

        runtime.apply(List.of());

        assertThat(observation().endpoints()).as("out of routing at once").isEmpty();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).as("still serving what is on its way").contains(true);
        await().atMost(SLOW).untilAsserted(() -> assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive))
                .isNotEqualTo(Optional.of(true)));
    }

    private List<Long> startedPids() {
        return startedPids(runtime.logBuffer(key));
    }

    /** The pids the runtime logged starting, oldest first. */
    static List<Long> startedPids(LogBuffer logs) {
        return logs.tail(100).stream().map(LogBuffer.Line::text).filter(line -> line.startsWith("[ebb] started pid"))
                .map(line -> Long.parseLong(line.split(" ")[3])).toList();
    }

    @Test
    void scalingToZeroStopsTheInstanceAndKillsOneThatIgnoresSigterm() {
        start(properties(Duration.ofSeconds(120), Duration.ofMillis(500))).apply(List.of(new RevisionDeployment(key,
                template(List.of("sh", "-c", "trap '' TERM; echo stubborn; while true; do sleep 1; done"), null, null, null), 1)));
        await().atMost(SLOW).until(() -> runtime.logBuffer(key).tail(100).stream()
                .anyMatch(line -> line.text().equals("stubborn")));
        long pid = pidOf("stubborn");

        runtime.apply(List.of());

        await().atMost(SLOW).untilAsserted(() -> assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive))
                .isNotEqualTo(Optional.of(true)));
        assertThat(observation().desired()).isZero();
        // The line is written when the runtime learns of the exit, a moment after the process is gone.
        await().atMost(SLOW).untilAsserted(() -> assertThat(runtime.logBuffer(key).tail(10))
                .extracting(LogBuffer.Line::text).anyMatch(line -> line.startsWith("[ebb] stopped")));
    }

    @Test
    void closingTheRuntimeStopsEveryInstance() {
        start().apply(List.of(new RevisionDeployment(key, tinyServer(Map.of()), 2)));
        await().atMost(SLOW).until(() -> observation().ready() == 2);
        List<Long> pids = startedPids();

        runtime.close();
        runtime = null;

        assertThat(pids).hasSize(2).allSatisfy(pid ->
                assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true)));
    }

    /** A revision whose instances append their pid to {@code record} and then sleep, never answering a probe ({@code $$} escapes {@code $}). */
    private static Template recordingSleeper(Path record) {
        return template(List.of("sh", "-c", "echo $$$$ >> '" + record + "'; exec sleep 600"), null, null, null);
    }

    private static List<Long> recordedPids(Path record) throws IOException {
        return java.nio.file.Files.exists(record)
                ? java.nio.file.Files.readAllLines(record).stream().filter(l -> !l.isBlank()).map(Long::parseLong).toList()
                : List.of();
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    @Test
    void aSecondRuntimeOnTheSameDirectoryIsRefusedUntilTheFirstStops() {
        start();
        LocalRuntime second = new LocalRuntime(properties(Duration.ofSeconds(120), Duration.ofSeconds(5)), directory.resolve("runtime"),
                Clock.systemUTC());

        assertThatThrownBy(second::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Another Ebb (pid " + ProcessHandle.current().pid() + ") runs instances from " + directory.resolve("runtime"))
                .hasMessageContaining("EBB_RUNTIME_LOCAL_DIRECTORY");

        runtime.close();
        runtime = second;
        second.start();
        second.apply(List.of(new RevisionDeployment(key, recordingSleeper(directory.resolve("started")), 1)));
        await().atMost(SLOW).until(() -> recordedPids(directory.resolve("started")).size() == 1);
    }

    @Test
    void eachRevisionsInstancesShareOneCpuGroupEachInAGroupOfItsOwnWithWhatItStartsAndTheGroupsGoWithThem() throws IOException {
        Path record = directory.resolve("started");
        start();
        Optional<Path> group = runtime.cpuGroup(key);
        assumeTrue(group.isPresent(), "needs cgroup v1's cpu controller, writable (root)");
        RevisionKey other = new RevisionKey("ml", "ranker", "ranker-00001");
        // Each instance starts a child after it was put in its group, and records both pids.
        Template parent = template(List.of("sh", "-c", "sleep 600 & echo $$$$ $$! >> '" + record + "'; wait"), null, null, null);
        runtime.apply(List.of(new RevisionDeployment(key, parent, 2), new RevisionDeployment(other, recordingSleeper(directory.resolve("other")), 1)));
        await().atMost(SLOW).until(() -> java.nio.file.Files.exists(record) && java.nio.file.Files.readAllLines(record).size() == 2);

        List<String> instanceGroups = new ArrayList<>();
        for (String line : java.nio.file.Files.readAllLines(record)) {
            String[] instanceAndChild = line.trim().split(" ");
            String instanceGroup = cpuGroupOf(Long.parseLong(instanceAndChild[0]));
            assertThat(cpuGroupOf(Long.parseLong(instanceAndChild[1]))).as("what an instance starts is in its group").isEqualTo(instanceGroup);
            instanceGroups.add(instanceGroup);
        }
        String name = "/" + group.get().getFileName() + "/";
        assertThat(instanceGroups).as("one group per instance, in the revision's").doesNotHaveDuplicates()
                .allSatisfy(instanceGroup -> assertThat(instanceGroup).contains(name));
        assertThat(java.nio.file.Files.readString(group.get().resolve("cpu.shares")).trim()).as("the weight of one process").isEqualTo("1024");
        assertThat(java.nio.file.Files.readString(group.get().getParent().resolve("cpu.shares")).trim())
                .as("all instances together weigh half as much as one of Ebb's processes").isEqualTo("512");
        try (Stream<Path> instances = java.nio.file.Files.list(group.get())) {
            assertThat(instances.filter(java.nio.file.Files::isDirectory)).hasSize(2).allSatisfy(instance ->
                    assertThat(java.nio.file.Files.readString(instance.resolve("cpu.shares")).trim()).isEqualTo("1024"));
        }
        await().atMost(SLOW).until(() -> recordedPids(directory.resolve("other")).size() == 1);
        assertThat(cpuGroupOf(recordedPids(directory.resolve("other")).get(0))).contains("/" + runtime.cpuGroup(other).orElseThrow().getFileName() + "/");

        runtime.apply(List.of(new RevisionDeployment(other, recordingSleeper(directory.resolve("other")), 1)));
        await().atMost(SLOW).until(() -> !java.nio.file.Files.exists(group.get()));
        assertThat(runtime.cpuGroup(other).orElseThrow()).as("a revision still running keeps its group").exists();
    }

    /** The cpu controller's line of a process's {@code /proc/<pid>/cgroup}. */
    private static String cpuGroupOf(long pid) throws IOException {
        return java.nio.file.Files.readAllLines(Path.of("/proc/" + pid + "/cgroup")).stream()
                .filter(line -> java.util.Arrays.asList(line.split(":")[1].split(",")).contains("cpu")).findFirst().orElse("");
    }

    @Test
    void aDeleteInTheMiddleOfALargeStartStopsTheStartingAtOnce() throws Exception {
        Path record = directory.resolve("started");
        start();
        Thread largeStart = new Thread(() -> runtime.apply(List.of(new RevisionDeployment(key, recordingSleeper(record), 60))));
        largeStart.start();
        await().atMost(SLOW).until(() -> !recordedPids(record).isEmpty());

        runtime.apply(List.of());
        largeStart.join();

        await().atMost(SLOW).untilAsserted(() -> assertThat(recordedPids(record)).noneMatch(LocalRuntimeTest::alive));
        assertThat(observation().desired()).isZero();
        assertThat(recordedPids(record)).as("the start stopped after a batch or two, not after all 60").hasSizeLessThan(60);
    }

    @Test
    void aNamespaceNeverRunsMoreInstancesThanItsLimitAndStartsMoreWhenOthersStop() throws Exception {
        Path record = directory.resolve("started");
        RevisionKey other = new RevisionKey("ml", "other", "other-00001");
        RevisionKey elsewhere = new RevisionKey("team-b", "hello", "hello-00001");
        start(properties(Duration.ofSeconds(120), Duration.ofSeconds(5), Duration.ofMillis(200), 3));

        runtime.apply(List.of(new RevisionDeployment(key, recordingSleeper(record), 2),
                new RevisionDeployment(other, recordingSleeper(record), 2),
                new RevisionDeployment(elsewhere, recordingSleeper(directory.resolve("elsewhere")), 2)));

        await().atMost(SLOW).untilAsserted(() -> assertThat(java.util.stream.Stream.of(key, other)
                .flatMap(k -> runtime.logBuffer(k).tail(100).stream()).map(LogBuffer.Line::text))
                .anyMatch(line -> line.contains("the limit of ebb.runtime.local.max-instances-per-namespace")));
        await().atMost(SLOW).until(() -> recordedPids(record).size() == 3);
        await().atMost(SLOW).until(() -> recordedPids(directory.resolve("elsewhere")).size() == 2);

        runtime.apply(List.of(new RevisionDeployment(other, recordingSleeper(record), 2),
                new RevisionDeployment(elsewhere, recordingSleeper(directory.resolve("elsewhere")), 2)));

        await().atMost(SLOW).untilAsserted(() -> assertThat(runtime.observe(other.namespace(), other.revision()).orElseThrow()
                .message()).isEqualTo("Waiting for 2 instance(s) to answer their readiness probe."));
        await().atMost(SLOW).until(() -> recordedPids(record).stream().filter(LocalRuntimeTest::alive).count() == 2);
        assertThat(recordedPids(record)).as("the limit held while the first revision's instances stopped").hasSizeLessThanOrEqualTo(4);
    }

    private long pidOf(String outputLine) {
        assertThat(runtime.logBuffer(key).tail(100)).extracting(LogBuffer.Line::text).contains(outputLine);
        return startedPids().get(0);
    }
}
