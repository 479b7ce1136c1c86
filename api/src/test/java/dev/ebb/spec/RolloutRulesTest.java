package dev.ebb.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.problem.FieldViolation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RolloutRulesTest {

    private static List<FieldViolation> violations(Map<String, String> annotations, Rollout rollout) {
        return RolloutRules.validate(annotations, RolloutRules.withDefaults(rollout, annotations));
    }

    private static Rollout.Analysis errorsAbove(double rate) {
        return new Rollout.Analysis(rate, null, null, null, null, null);
    }

    @Test
    void leftOutARolloutIsImmediateAndStoredAsNothing() {
        assertThat(RolloutRules.withDefaults(null, null)).isNull();
        assertThat(RolloutRules.withDefaults(null, Map.of("team", "ml"))).isNull();
        assertThat(violations(null, null)).isEmpty();
    }

    @Test
    void knativesRolloutDurationAnnotationIsAGradualRolloutOverThatDuration() {
        Map<String, String> annotations = Map.of(RolloutRules.ROLLOUT_DURATION, "380s");
        assertThat(RolloutRules.withDefaults(null, annotations)).isEqualTo(new Rollout("gradual", "380s", null, null, null));
        assertThat(violations(annotations, null)).isEmpty();
        assertThat(RolloutRules.withDefaults(null, Map.of(RolloutRules.ROLLOUT_DURATION, "0s")))
                .as("Knative's default, no gradual rollout").isNull();
    }

    @Test
    void theAnnotationAndTheFieldMustAgree() {
        Map<String, String> annotations = Map.of(RolloutRules.ROLLOUT_DURATION, "2m");
        assertThat(violations(annotations, new Rollout("gradual", "120s", null, null, null))).isEmpty();
        assertThat(violations(annotations, new Rollout("gradual", "5m", null, null, null))).singleElement()
                .satisfies(v -> {
                    assertThat(v.field()).isEqualTo("annotations.serving.knative.dev/rollout-duration");
                    assertThat(v.message()).contains("gradual over '5m'").contains("give it once");
                });
        assertThat(violations(annotations, new Rollout("canary", null, null, null, null))).extracting(FieldViolation::field)
                .containsExactly("annotations.serving.knative.dev/rollout-duration");
    }

    @Test
    void aMistypedKnativeAnnotationIsRejectedWithTheNearestName() {
        assertThat(violations(Map.of("serving.knative.dev/rollout-duratoin", "1m"), null)).singleElement()
                .satisfies(v -> assertThat(v.message()).contains("did you mean 'serving.knative.dev/rollout-duration'?"));
        assertThat(violations(Map.of("example.com/owner", "ml"), null)).as("other annotations are free-form").isEmpty();
    }

    @Test
    void aCanaryGetsDefaultStepsAndIntervalAndAnAnalysisItsDefaults() {
        Rollout canary = RolloutRules.withDefaults(new Rollout("canary", null, null, null, errorsAbove(0.05)), null);
        assertThat(canary.steps()).containsExactly(5, 25, 50, 100);
        assertThat(canary.interval()).isEqualTo("1m");
        assertThat(canary.analysis()).isEqualTo(new Rollout.Analysis(0.05, null, null, 10, "wait", "5m"));
        assertThat(RolloutRules.validate(null, canary)).isEmpty();
    }

    @Test
    void aGradualRolloutNeedsADurationAndNoCanaryFields() {
        assertThat(violations(null, new Rollout("gradual", null, null, null, null))).singleElement()
                .satisfies(v -> assertThat(v.field()).isEqualTo("rollout.duration"));
        assertThat(violations(null, new Rollout("gradual", "1m", List.of(50, 100), "10s", null)))
                .extracting(FieldViolation::field).containsExactly("rollout.steps", "rollout.interval");
        assertThat(violations(null, new Rollout("gradual", "1s", null, null, null))).singleElement()
                .satisfies(v -> assertThat(v.message()).contains("between 2s and 24h"));
    }

    @Test
    void stepsMustRiseAndEndAtAHundred() {
        assertThat(violations(null, new Rollout("canary", null, List.of(10, 10, 50), null, null)))
                .extracting(FieldViolation::field).containsExactly("rollout.steps[1]", "rollout.steps");
        assertThat(violations(null, new Rollout("canary", null, List.of(0, 100), null, null)))
                .extracting(FieldViolation::field).containsExactly("rollout.steps[0]");
    }

    @Test
    void aMistypedStrategyIsNamedWithTheNearestOne() {
        assertThat(violations(null, new Rollout("bluegreen", null, null, null, null))).singleElement()
                .satisfies(v -> assertThat(v.message()).contains("did you mean 'blueGreen'?"));
    }

    @Test
    void anAnalysisMustJudgeSomethingWithinRange() {
        assertThat(violations(null, new Rollout("canary", null, null, null, new Rollout.Analysis(null, null, null, 5, null, null))))
                .extracting(FieldViolation::field).containsExactly("rollout.analysis");
        assertThat(violations(null, new Rollout("canary", null, null, null,
                new Rollout.Analysis(1.5, 0, 0.5, -1, "proceed", "1m"))))
                .extracting(FieldViolation::field).containsExactly("rollout.analysis.maxErrorRate",
                        "rollout.analysis.maxP99LatencyMs", "rollout.analysis.maxLatencyRatio", "rollout.analysis.minRequests",
                        "rollout.analysis.maxWait");
        assertThat(violations(null, new Rollout("blueGreen", null, null, null, errorsAbove(0.1))))
                .extracting(FieldViolation::field).containsExactly("rollout.analysis");
    }

    @Test
    void serviceValidationReportsTheRolloutToo() {
        Template template = ServiceRules.withDefaults(new Template("nginx", null, null, null, null, null, null, null, null, null),
                TemplateDefaults.standard());
        ServiceSpec spec = new ServiceSpec("hello", null, null, null, null, null, template, null, null,
                new Rollout("canary", null, List.of(50), null, null));
        assertThat(ServiceRules.validate("default", "hello", spec, template)).extracting(FieldViolation::field)
                .containsExactly("rollout.steps");
    }
}
