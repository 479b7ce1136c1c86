package dev.ebb.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.revision.Condition;
import dev.ebb.revision.RevisionState;
import dev.ebb.spec.TrafficTarget;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceStatusCalculatorTest {

    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    private final ServiceStatusCalculator calculator = new ServiceStatusCalculator(
            new DomainProperties("svc.cluster.local", "ebb.example.com"));

    private static RevisionState revision(int generation, String status, String reason) {
        return new RevisionState(1, String.format("hello-%05d", generation), generation, status, reason,
                reason == null ? null : reason + " happened", T0.plusSeconds(generation));
    }

    private static ServiceStatusCalculator.Facts service(int latestGeneration, List<TrafficTarget> traffic) {
        return new ServiceStatusCalculator.Facts("default", "hello", "cluster-local", latestGeneration, traffic, T0);
    }

    private static Condition condition(ServiceView.Status status, String type) {
        return status.conditions().stream().filter(c -> c.type().equals(type)).findFirst().orElseThrow();
    }

    @Test
    void aServiceWhoseOnlyRevisionIsReadyIsReady() {
        ServiceView.Status status = calculator.compute(service(1, List.of(TrafficTarget.latest(100))),
                List.of(revision(1, "True", null)));
        assertThat(status.latestReadyRevision()).isEqualTo("hello-00001");
        assertThat(status.traffic()).singleElement().satisfies(t -> assertThat(t.revision()).isEqualTo("hello-00001"));
        assertThat(status.conditions()).allMatch(Condition::isTrue);
    }

    @Test
    void trafficStaysOnPreviousRevisionWhenNewOneFails() {
        ServiceView.Status status = calculator.compute(service(2, List.of(TrafficTarget.latest(100))),
                List.of(revision(1, "True", null), revision(2, "False", "CrashLoop")));
        assertThat(status.latestCreatedRevision()).isEqualTo("hello-00002");
        assertThat(status.latestReadyRevision()).isEqualTo("hello-00001");
        assertThat(status.traffic()).singleElement().satisfies(t -> assertThat(t.revision()).isEqualTo("hello-00001"));
        Condition ready = condition(status, "Ready");
        assertThat(ready.status()).isEqualTo("False");
        assertThat(ready.reason()).isEqualTo("RevisionFailed");
        assertThat(ready.message()).contains("hello-00002").contains("CrashLoop");
        assertThat(condition(status, "RoutesReady").isTrue()).isTrue();
    }

    @Test
    void aRevisionBecomingReadyOrFailingIsATransitionButARewordedCrashMessageIsNot() {
        ServiceStatusCalculator.Facts facts = service(2, List.of(TrafficTarget.latest(100)));
        ServiceView.Status deploying = calculator.compute(facts, List.of(revision(1, "True", null), revision(2, "Unknown", "Deploying")));
        ServiceView.Status failed = calculator.compute(facts, List.of(revision(1, "True", null), revision(2, "False", "CrashLoop")));
        ServiceView.Status failedAgain = calculator.compute(facts, List.of(revision(1, "True", null),
                new RevisionState(1, "hello-00002", 2, "False", "CrashLoop", "Instance 7 exited, 12 crashes in a row", T0.plusSeconds(60))));
        ServiceView.Status ready = calculator.compute(facts, List.of(revision(1, "True", null), revision(2, "True", null)));

        assertThat(ServiceStatusCalculator.transitioned(deploying, failed)).isTrue();
        assertThat(ServiceStatusCalculator.transitioned(failed, ready)).as("traffic moves to the new revision").isTrue();
        assertThat(failedAgain).isNotEqualTo(failed);
        assertThat(ServiceStatusCalculator.transitioned(failed, failedAgain)).isFalse();
        assertThat(ServiceStatusCalculator.transitioned(ready, ready)).isFalse();
    }

    @Test
    void aServiceWithNoReadyRevisionEverReportsRevisionMissing() {
        ServiceView.Status status = calculator.compute(service(1, List.of(TrafficTarget.latest(100))),
                List.of(revision(1, "False", "ExitCode1")));
        assertThat(status.latestReadyRevision()).isNull();
        Condition ready = condition(status, "Ready");
        assertThat(ready.status()).isEqualTo("False");
        assertThat(ready.reason()).isEqualTo("RevisionMissing");
    }

    @Test
    void aRevisionStillDeployingLeavesTheServiceUnknownWithItsReason() {
        ServiceView.Status status = calculator.compute(service(1, List.of(TrafficTarget.latest(100))),
                List.of(revision(1, "Unknown", "Deploying")));
        Condition ready = condition(status, "Ready");
        assertThat(ready.status()).isEqualTo("Unknown");
        assertThat(ready.message()).contains("Deploying");
        assertThat(condition(status, "ConfigurationsReady").reason()).isEqualTo("Deploying");
    }

    @Test
    void aPinnedRevisionThatIsNotReadyKeepsRoutesFromBeingReady() {
        ServiceView.Status status = calculator.compute(
                service(2, List.of(TrafficTarget.latest(50), new TrafficTarget("hello-00001", null, 50, null))),
                List.of(revision(1, "False", "CrashLoop"), revision(2, "True", null)));
        Condition routes = condition(status, "RoutesReady");
        assertThat(routes.status()).isEqualTo("False");
        assertThat(routes.reason()).isEqualTo("RevisionNotReady");
        assertThat(routes.message()).contains("hello-00001");
    }

    @Test
    void aTagAtZeroPercentStillGetsItsOwnUrl() {
        ServiceView.Status status = calculator.compute(
                service(2, List.of(TrafficTarget.latest(100), new TrafficTarget("hello-00001", null, 0, "old"))),
                List.of(revision(1, "True", null), revision(2, "True", null)));
        assertThat(status.traffic().get(1).url()).isEqualTo("http://old-hello.default.svc.cluster.local");
    }

    @Test
    void aPublicServiceGetsAnExternalUrlAndKeepsItsClusterAddress() {
        ServiceView.Status status = calculator.compute(
                new ServiceStatusCalculator.Facts("ml", "hello", "public", 1, List.of(TrafficTarget.latest(100)), T0),
                List.of(revision(1, "True", null)));
        assertThat(status.url()).isEqualTo("http://hello.ml.ebb.example.com");
        assertThat(status.address().url()).isEqualTo("http://hello.ml.svc.cluster.local");
    }
}
