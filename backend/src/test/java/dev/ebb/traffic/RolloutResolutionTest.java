package dev.ebb.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.spec.TrafficTarget;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a rollout holds a service's latestRevision share, and leaves targets that name a revision alone. */
class RolloutResolutionTest {

    private static final List<TrafficTarget> PINNED_AND_LATEST = List.of(
            new TrafficTarget("web-00001", null, 20, "old"), TrafficTarget.latest(80));

    @Test
    void aRolloutInProgressSplitsOnlyTheLatestRevisionShareAndTagsTheCandidate() {
        List<ResolvedTarget> resolved = TrafficResolution.resolve("web", PINNED_AND_LATEST, "web-00003",
                new RolloutPin("web-00002", "web-00003", "progressing", 25));
        assertThat(resolved).containsExactly(
                new ResolvedTarget("web-00001", false, 20, "old"),
                new ResolvedTarget("web-00002", true, 60, null),
                new ResolvedTarget("web-00003", true, 20, null),
                new ResolvedTarget("web-00003", false, 0, "candidate"));
    }

    @Test
    void aFailedRolloutSendsTheShareBackToStableAndKeepsTheCandidateReachable() {
        List<ResolvedTarget> resolved = TrafficResolution.resolve("web", List.of(TrafficTarget.latest(100)), "web-00003",
                new RolloutPin("web-00002", "web-00003", "failed", 0));
        assertThat(resolved).containsExactly(new ResolvedTarget("web-00002", true, 100, null),
                new ResolvedTarget("web-00003", false, 0, "candidate"));
    }

    @Test
    void aNewerReadyRevisionWaitsOnTheEstablishedOneUntilItsRolloutStarts() {
        assertThat(TrafficResolution.resolve("web", List.of(TrafficTarget.latest(100)), "web-00004",
                new RolloutPin("web-00002", "web-00003", "succeeded", 100)))
                .containsExactly(new ResolvedTarget("web-00003", true, 100, null));
        assertThat(TrafficResolution.resolve("web", List.of(TrafficTarget.latest(100)), "web-00004",
                new RolloutPin("web-00002", "web-00003", "progressing", 50)))
                .as("superseded: back to the stable one").containsExactly(new ResolvedTarget("web-00002", true, 100, null));
    }

    @Test
    void aSucceededRolloutOrNoneResolvesAsKnativeDoes() {
        assertThat(TrafficResolution.resolve("web", List.of(TrafficTarget.latest(100)), "web-00003",
                new RolloutPin("web-00002", "web-00003", "succeeded", 100)))
                .containsExactly(new ResolvedTarget("web-00003", true, 100, null));
        assertThat(TrafficResolution.resolve("web", List.of(TrafficTarget.latest(100)), "web-00003", null))
                .containsExactly(new ResolvedTarget("web-00003", true, 100, null));
    }
}
