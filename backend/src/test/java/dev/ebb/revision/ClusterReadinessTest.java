package dev.ebb.revision;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterReadinessTest {

    private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");
    private static final List<String> PLACED = List.of("eu", "us");

    private static Condition ready() {
        return new Condition("Ready", Condition.TRUE, null, null, NOW);
    }

    private static Condition deploying() {
        return new Condition("Ready", Condition.UNKNOWN, "Deploying", "waiting for 1 instance to become ready", NOW);
    }

    private static Condition failed(String message) {
        return new Condition("Ready", Condition.FALSE, "ImagePullBackOff", message, NOW);
    }

    @Test
    void oneClusterWhereItIsReadyMakesItReadyWhileTheOtherRunsNoneOfItsInstances() {
        assertThat(ClusterReadiness.combine(PLACED, Map.of("eu", ready(), "us", deploying()), false, NOW).isTrue()).isTrue();
        assertThat(ClusterReadiness.combine(PLACED, Map.of("us", ready()), false, NOW).isTrue()).isTrue();
    }

    @Test
    void aFailureOnAnyClusterFailsItAndSaysWhere() {
        Condition combined = ClusterReadiness.combine(PLACED, Map.of("eu", ready(), "us", failed("image not found")), true, NOW);

        assertThat(combined.isFalse()).isTrue();
        assertThat(combined.reason()).isEqualTo("ImagePullBackOff");
        assertThat(combined.message()).isEqualTo("cluster us: image not found");
        assertThat(ClusterReadiness.combine(PLACED, Map.of("eu", failed("a"), "us", failed("b")), false, NOW).message())
                .isEqualTo("cluster eu: a; cluster us: b");
    }

    @Test
    void aReadyRevisionStaysReadyWhileAClusterAddedToItsPlacementStartsItsShare() {
        assertThat(ClusterReadiness.combine(PLACED, Map.of("us", deploying()), true, NOW).isTrue()).isTrue();
    }

    @Test
    void untilAnyClusterIsReadyItIsDeployingWithTheFirstClustersWordsAndAClusterOutsideThePlacementDoesNotCount() {
        Condition combined = ClusterReadiness.combine(PLACED, Map.of("us", deploying(), "ap", failed("gone")), false, NOW);
        assertThat(combined.status()).isEqualTo(Condition.UNKNOWN);
        assertThat(combined.message()).isEqualTo("cluster us: waiting for 1 instance to become ready");

        assertThat(ClusterReadiness.combine(PLACED, Map.of(), false, NOW).message()).isEqualTo("waiting for the clusters eu, us to report");
    }
}
