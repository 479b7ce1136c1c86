package dev.ebb.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.problem.FieldViolation;
import dev.ebb.spec.TrafficTarget;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TrafficRulesTest {

    private static final Set<String> REVISIONS = Set.of("hello-00001", "hello-00002");

    private static List<FieldViolation> check(TrafficTarget... targets) {
        return TrafficRules.validate("hello", TrafficRules.normalize(List.of(targets)), REVISIONS);
    }

    private static TrafficTarget to(String revision, Integer percent, String tag) {
        return new TrafficTarget(revision, null, percent, tag);
    }

    @Test
    void aCanarySplitIsValid() {
        assertThat(check(TrafficTarget.latest(90), to("hello-00001", 10, "stable"))).isEmpty();
    }

    @Test
    void percentsMustSumToExactly100() {
        assertThat(check(TrafficTarget.latest(80), to("hello-00001", 10, null)))
                .containsExactly(new FieldViolation("traffic", "Traffic targets sum to 90, want 100"));
    }

    @Test
    void aMissingPercentCountsAsZero() {
        assertThat(check(TrafficTarget.latest(100), to("hello-00001", null, "old"))).isEmpty();
    }

    @Test
    void aNegativePercentIsNamed() {
        assertThat(check(TrafficTarget.latest(110), to("hello-00001", -10, null)))
                .extracting(FieldViolation::field).containsExactly("traffic[0].percent", "traffic[1].percent");
    }

    @Test
    void revisionAndLatestRevisionTogetherAreRejected() {
        assertThat(check(new TrafficTarget("hello-00001", true, 100, null)))
                .extracting(FieldViolation::field).containsExactly("traffic[0]");
    }

    @Test
    void aTargetMustNameSomething() {
        assertThat(check(new TrafficTarget(null, false, 100, null)))
                .extracting(FieldViolation::field).containsExactly("traffic[0]");
    }

    @Test
    void aRevisionOfAnotherServiceIsRejected() {
        assertThat(check(to("other-00001", 100, null))).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo("traffic[0].revision");
            assertThat(v.message()).contains("not a revision of service 'hello'").contains("hello-00001");
        });
    }

    @Test
    void tagsAreUniqueDnsLabels() {
        assertThat(check(TrafficTarget.latest(100), to("hello-00001", 0, "old"), to("hello-00002", 0, "old")))
                .extracting(FieldViolation::field).containsExactly("traffic[2].tag");
        assertThat(check(new TrafficTarget(null, true, 100, "Canary_1")))
                .extracting(FieldViolation::field).containsExactly("traffic[0].tag");
    }

    @Test
    void aTagsHostNameMustFitADnsLabel() {
        assertThat(check(new TrafficTarget(null, true, 100, "t".repeat(60))))
                .extracting(FieldViolation::message).singleElement().asString().contains("at most 63");
    }

    @Test
    void anEmptySplitIsRejected() {
        assertThat(TrafficRules.validate("hello", List.of(), REVISIONS)).extracting(FieldViolation::field).containsExactly("traffic");
    }

    @Test
    void noTrafficMeansAllToTheLatestRevision() {
        assertThat(TrafficRules.normalize(null)).containsExactly(TrafficTarget.latest(100));
    }

    @Test
    void latestRevisionTargetsFollowTheLatestReadyRevision() {
        List<ResolvedTarget> resolved = TrafficResolution.resolve(
                List.of(TrafficTarget.latest(90), to("hello-00001", 10, "old")), "hello-00002");
        assertThat(resolved).containsExactly(new ResolvedTarget("hello-00002", true, 90, null),
                new ResolvedTarget("hello-00001", false, 10, "old"));
    }
}
