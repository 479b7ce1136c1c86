package dev.ebb.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.runtime.RevisionKey;
import dev.ebb.runtime.RevisionObservation;
import io.kubernetes.client.openapi.models.V1ContainerState;
import io.kubernetes.client.openapi.models.V1ContainerStateRunning;
import io.kubernetes.client.openapi.models.V1ContainerStateTerminated;
import io.kubernetes.client.openapi.models.V1ContainerStateWaiting;
import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1DeploymentCondition;
import io.kubernetes.client.openapi.models.V1DeploymentSpec;
import io.kubernetes.client.openapi.models.V1DeploymentStatus;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodCondition;
import io.kubernetes.client.openapi.models.V1PodStatus;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A revision's state in words from its Deployment and Pods, without an API server. */
class PodStatesTest {

    private static final RevisionKey KEY = new RevisionKey("ml", "hello", "hello-00001");
    private static final Instant T = Instant.parse("2026-12-02T10:00:00Z");

    private static OffsetDateTime at(int seconds) {
        return T.plusSeconds(seconds).atOffset(ZoneOffset.UTC);
    }

    private static V1Deployment deployment(int replicas) {
        return new V1Deployment().metadata(new V1ObjectMeta().name("hello-00001")).spec(new V1DeploymentSpec().replicas(replicas));
    }

    private static V1Pod pod(String name, V1ContainerStatus container, V1PodCondition... conditions) {
        return new V1Pod().metadata(new V1ObjectMeta().name(name).uid(name + "-uid"))
                .status(new V1PodStatus().phase("Running").podIP("10.1.0.7").startTime(at(1))
                        .containerStatuses(List.of(container.name(DesiredObjects.CONTAINER))).conditions(List.of(conditions)));
    }

    private static V1PodCondition condition(String type, String status, int seconds) {
        return new V1PodCondition().type(type).status(status).lastTransitionTime(at(seconds));
    }

    @Test
    void aReadyPodIsAnEndpointWithTheTimesOfEachStepOfItsStart() {
        V1Pod ready = pod("hello-00001-abc", new V1ContainerStatus().ready(true).restartCount(0)
                        .state(new V1ContainerState().running(new V1ContainerStateRunning().startedAt(at(4)))),
                condition("PodScheduled", "True", 0), condition("Ready", "True", 6));

        RevisionObservation observed = PodStates.observe(KEY, deployment(1), List.of(ready), 8080, false, false,
                new PodStates.History(Map.of(), Map.of("hello-00001-abc", T.plusSeconds(3)), Map.of()));

        assertThat(observed.readyStatus()).isEqualTo("True");
        assertThat(observed.endpoints()).singleElement().satisfies(e -> {
            assertThat(e.host()).isEqualTo("10.1.0.7");
            assertThat(e.scheduled()).isEqualTo(T);
            assertThat(e.imagePulled()).isEqualTo(T.plusSeconds(3));
            assertThat(e.started()).as("the container's start, not the pod's").isEqualTo(T.plusSeconds(4));
            assertThat(e.ready()).isEqualTo(T.plusSeconds(6));
        });
        assertThat(observed.instances()).singleElement().satisfies(i -> {
            assertThat(i.name()).isEqualTo("hello-00001-abc");
            assertThat(i.ip()).isEqualTo("10.1.0.7");
            assertThat(i.ready()).isTrue();
            assertThat(i.restarts()).isZero();
        });
    }

    @Test
    void aCrashLoopSaysTheExitCodeAndQuotesTheLastLinesOfTheCrashedRun() {
        V1Pod crashing = pod("hello-00001-abc", new V1ContainerStatus().ready(false).restartCount(3)
                .state(new V1ContainerState().waiting(new V1ContainerStateWaiting().reason("CrashLoopBackOff").message("back-off 40s")))
                .lastState(new V1ContainerState().terminated(new V1ContainerStateTerminated().exitCode(3).reason("Error"))));

        RevisionObservation observed = PodStates.observe(KEY, deployment(1), List.of(crashing), 8080, false, false,
                new PodStates.History(Map.of("hello-00001-abc", List.of("loading model", "model file missing")), Map.of(), Map.of()));

        assertThat(observed.readyStatus()).isEqualTo("False");
        assertThat(observed.reason()).isEqualTo("CrashLoop");
        assertThat(observed.message()).contains("exited with 3 (Error)", "restarted 3 times", "back-off 40s")
                .endsWith("last output:\nloading model\nmodel file missing");
        assertThat(PodStates.crashLooping(crashing)).isTrue();
        assertThat(observed.instances()).singleElement().satisfies(i -> {
            assertThat(i.ready()).isFalse();
            assertThat(i.restarts()).isEqualTo(3);
        });
    }

    @Test
    void aRunningPodThatFailsItsReadinessProbeSaysWhatTheKubeletSaid() {
        V1Pod running = pod("hello-00001-abc", new V1ContainerStatus().ready(false).restartCount(0)
                .state(new V1ContainerState().running(new V1ContainerStateRunning().startedAt(at(4)))), condition("Ready", "False", 4));

        RevisionObservation observed = PodStates.observe(KEY, deployment(1), List.of(running), 8080, false, false, new PodStates.History(
                Map.of(), Map.of(), Map.of("hello-00001-abc", "Readiness probe failed: HTTP probe failed with statuscode: 404")));

        assertThat(observed.readyStatus()).isEqualTo("Unknown");
        assertThat(observed.reason()).isEqualTo("ReadinessProbeFailing");
        assertThat(observed.message()).contains("hello-00001-abc", "HTTP probe failed with statuscode: 404");
    }

    @Test
    void aReplicaSetThatCannotCreatePodsFailsTheRevisionWithTheClustersWords() {
        V1Deployment refused = deployment(1).status(new V1DeploymentStatus().conditions(List.of(new V1DeploymentCondition()
                .type("ReplicaFailure").status("True").reason("FailedCreate")
                .message("pods \"hello-00001-abc\" is forbidden: exceeded quota: compute, requested: cpu=2, limited: cpu=1"))));

        RevisionObservation observed = PodStates.observe(KEY, refused, List.of(), 8080, false, false, PodStates.History.NONE);

        assertThat(observed.readyStatus()).isEqualTo("False");
        assertThat(observed.reason()).isEqualTo("ReplicaFailure");
        assertThat(observed.message()).contains("FailedCreate", "exceeded quota");
    }

    @Test
    void aRevisionThatServedBeforeStaysReadyAtZero() {
        RevisionObservation observed = PodStates.observe(KEY, deployment(0), List.of(), 8080, true, false, PodStates.History.NONE);

        assertThat(observed.readyStatus()).isEqualTo("True");
        assertThat(observed.endpoints()).isEmpty();
    }

    @Test
    void aRevisionStartedAtZeroIsReadyWithoutAPodStaysReadyWhileItsFirstPodStartsAndFailsWhenItCrashes() {
        RevisionObservation atZero = PodStates.observe(KEY, deployment(0), List.of(), 8080, false, true, PodStates.History.NONE);
        assertThat(atZero.readyStatus()).isEqualTo("True");
        assertThat(atZero.message()).isEqualTo("Started at zero (initial scale 0); the first request starts a pod.");

        V1Pod starting = pod("hello-00001-abc", new V1ContainerStatus().ready(false).restartCount(0)
                .state(new V1ContainerState().running(new V1ContainerStateRunning().startedAt(at(4)))), condition("Ready", "False", 4));
        RevisionObservation woken = PodStates.observe(KEY, deployment(1), List.of(starting), 8080, false, true, PodStates.History.NONE);
        assertThat(woken.readyStatus()).as("still routed: the request that woke it waits for the pod").isEqualTo("True");
        assertThat(woken.message()).startsWith("Starting its first pod");
        assertThat(woken.endpoints()).isEmpty();

        V1Pod crashing = pod("hello-00001-abc", new V1ContainerStatus().ready(false).restartCount(3)
                .state(new V1ContainerState().waiting(new V1ContainerStateWaiting().reason("CrashLoopBackOff").message("back-off 40s")))
                .lastState(new V1ContainerState().terminated(new V1ContainerStateTerminated().exitCode(3).reason("Error"))));
        RevisionObservation crashed = PodStates.observe(KEY, deployment(1), List.of(crashing), 8080, false, true, PodStates.History.NONE);
        assertThat(crashed.readyStatus()).isEqualTo("False");
        assertThat(crashed.reason()).isEqualTo("CrashLoop");
    }

    private static V1Deployment pastDeadline() {
        return deployment(1).status(new V1DeploymentStatus().conditions(List.of(new V1DeploymentCondition().type("Progressing")
                .status("False").reason("ProgressDeadlineExceeded")
                .message("ReplicaSet \"hello-00001-5d9\" has timed out progressing."))));
    }

    @Test
    void pastItsDeadlineACrashLoopingRevisionFailsAndStillSaysTheExitCodeAndTheLastOutput() {
        V1Pod crashing = pod("hello-00001-abc", new V1ContainerStatus().ready(false).restartCount(7)
                .state(new V1ContainerState().waiting(new V1ContainerStateWaiting().reason("CrashLoopBackOff").message("back-off 5m0s")))
                .lastState(new V1ContainerState().terminated(new V1ContainerStateTerminated().exitCode(3).reason("Error"))));

        RevisionObservation observed = PodStates.observe(KEY, pastDeadline(), List.of(crashing), 8080, false, false,
                new PodStates.History(Map.of("hello-00001-abc", List.of("model file missing")), Map.of(), Map.of()));

        assertThat(observed.readyStatus()).isEqualTo("False");
        assertThat(observed.reason()).isEqualTo("ProgressDeadlineExceeded");
        assertThat(observed.message()).contains("timed out progressing", "exited with 3 (Error)", "restarted 7 times")
                .endsWith("last output:\nmodel file missing");
    }

    @Test
    void pastItsDeadlineAPodRunningAgainAfterACrashStillSaysHowItLastEnded() {
        V1Pod running = pod("hello-00001-abc", new V1ContainerStatus().ready(false).restartCount(4)
                .state(new V1ContainerState().running(new V1ContainerStateRunning().startedAt(at(4))))
                .lastState(new V1ContainerState().terminated(new V1ContainerStateTerminated().exitCode(1).reason("Error"))),
                condition("Ready", "False", 4));

        RevisionObservation observed = PodStates.observe(KEY, pastDeadline(), List.of(running), 8080, false, false, PodStates.History.NONE);

        assertThat(observed.reason()).isEqualTo("ProgressDeadlineExceeded");
        assertThat(observed.message()).contains("hello-00001-abc", "last exited with 1 (Error)", "restarted 4 times");
    }

    @Test
    void aContainerInCrashLoopBackOffStartsAgainWhenTheKubeletsBackOffFromItsLastExitIsOver() {
        V1Pod crashing = pod("hello-00001-abc", new V1ContainerStatus().ready(false).restartCount(5)
                .state(new V1ContainerState().waiting(new V1ContainerStateWaiting().reason("CrashLoopBackOff")
                        .message("back-off 2m40s restarting failed container=app pod=hello-00001-abc_ml(uid)")))
                .lastState(new V1ContainerState().terminated(new V1ContainerStateTerminated().exitCode(3).finishedAt(at(10)))));

        RevisionObservation observed = PodStates.observe(KEY, deployment(1), List.of(crashing), 8080, false, false, PodStates.History.NONE);

        assertThat(observed.instances()).singleElement()
                .satisfies(i -> assertThat(i.nextRestart()).isEqualTo(T.plusSeconds(10 + 160)));
        V1Pod running = pod("hello-00001-def", new V1ContainerStatus().ready(true).restartCount(0)
                .state(new V1ContainerState().running(new V1ContainerStateRunning().startedAt(at(4)))));
        assertThat(PodStates.nextRestart(running)).isNull();
    }
}
