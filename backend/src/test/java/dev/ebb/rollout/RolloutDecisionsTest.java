package dev.ebb.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.spec.Rollout;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pure decisions of a rollout: its plan and the judgement of a step. */
class RolloutDecisionsTest {

    private static final Rollout.Analysis ANALYSIS = new Rollout.Analysis(0.05, 500, 2.0, 10, "wait", "30s");

    private static RevisionFigures figures(long answers, long errors, Double warmP99Ms) {
        return new RevisionFigures(answers, errors, 0, answers, warmP99Ms);
    }

    @Test
    void aGradualRolloutOverAMinuteMovesInKnativesStepsOfTwoPercentEverySecond() {
        List<RolloutPlan.Step> plan = RolloutPlan.gradual(Duration.ofSeconds(60), Duration.ofSeconds(1));
        assertThat(plan.get(0)).isEqualTo(new RolloutPlan.Step(1, 1000));
        assertThat(plan.get(1)).isEqualTo(new RolloutPlan.Step(3, 1000));
        assertThat(plan.get(plan.size() - 1).percent()).isEqualTo(100);
        for (int i = 1; i < plan.size(); i++) {
            assertThat(plan.get(i).percent() - plan.get(i - 1).percent()).as("Knative's step size").isBetween(1, 2);
        }
        long total = plan.stream().mapToLong(RolloutPlan.Step::ms).sum();
        assertThat(total).isBetween(50_000L, 61_000L);
    }

    @Test
    void aShortGradualRolloutTakesFewerLargerSteps() {
        List<RolloutPlan.Step> plan = RolloutPlan.gradual(Duration.ofSeconds(10), Duration.ofSeconds(1));
        assertThat(plan).extracting(RolloutPlan.Step::percent).containsExactly(1, 12, 23, 34, 45, 56, 67, 78, 89, 100);
    }

    @Test
    void aLongGradualRolloutStepsOnePercentAtATime() {
        List<RolloutPlan.Step> plan = RolloutPlan.gradual(Duration.ofMinutes(10), Duration.ofSeconds(1));
        assertThat(plan).hasSize(100);
        assertThat(plan.get(1)).isEqualTo(new RolloutPlan.Step(2, Math.round(599_000 / 99.0)));
    }

    @Test
    void aCanaryFollowsItsStepsAndABlueGreenWaitsToBePromoted() {
        assertThat(RolloutPlan.of(new Rollout("canary", null, List.of(10, 100), "30s", null)))
                .containsExactly(new RolloutPlan.Step(10, 30_000), new RolloutPlan.Step(100, 30_000));
        assertThat(RolloutPlan.of(new Rollout("blueGreen", null, null, null, null)).get(0).percent()).isZero();
        assertThat(StepJudge.judge(null, 1_000_000, RolloutPlan.UNTIL_PROMOTED, RevisionFigures.NONE, RevisionFigures.NONE)
                .outcome()).isEqualTo(StepJudge.Outcome.WAIT);
    }

    @Test
    void aStepIsJudgedOnlyOnceItsIntervalIsOver() {
        assertThat(StepJudge.judge(ANALYSIS, 9_999, 10_000, figures(100, 100, 1.0), figures(100, 0, 1.0)).outcome())
                .isEqualTo(StepJudge.Outcome.WAIT);
    }

    @Test
    void tooManyErrorsFailAStepWithTheNumbers() {
        StepJudge.Verdict verdict = StepJudge.judge(ANALYSIS, 10_000, 10_000, figures(40, 10, 5.0), figures(100, 0, 5.0));
        assertThat(verdict.outcome()).isEqualTo(StepJudge.Outcome.FAIL);
        assertThat(verdict.reason()).contains("error rate 0.250 (10 of 40 answers 5xx)").contains("maxErrorRate 0.050");
    }

    @Test
    void aSlowP99OrOneMuchSlowerThanTheStableRevisionsFailsAStep() {
        assertThat(StepJudge.judge(ANALYSIS, 10_000, 10_000, figures(40, 0, 800.0), figures(100, 0, 700.0)).reason())
                .contains("above maxP99LatencyMs 500");
        assertThat(StepJudge.judge(ANALYSIS, 10_000, 10_000, figures(40, 0, 300.0), figures(100, 0, 100.0)).reason())
                .contains("3.00 times the stable revision's 100.0 ms");
    }

    @Test
    void withoutWarmRequestsLatencyIsNotJudgedSoColdStartsNeverFailAStep() {
        RevisionFigures allCold = new RevisionFigures(20, 0, 0, 0, null);
        assertThat(StepJudge.judge(ANALYSIS, 10_000, 10_000, allCold, figures(100, 0, 10.0)).outcome())
                .isEqualTo(StepJudge.Outcome.PASS);
    }

    @Test
    void tooFewRequestsWaitUpToMaxWaitThenMoveOnUnjudged() {
        RevisionFigures few = figures(3, 3, 900.0);
        assertThat(StepJudge.judge(ANALYSIS, 39_999, 10_000, few, RevisionFigures.NONE).outcome())
                .isEqualTo(StepJudge.Outcome.WAIT);
        StepJudge.Verdict after = StepJudge.judge(ANALYSIS, 40_000, 10_000, few, RevisionFigures.NONE);
        assertThat(after.outcome()).isEqualTo(StepJudge.Outcome.PASS);
        assertThat(after.reason()).contains("3 of the 10 answers").contains("unjudged");
        Rollout.Analysis proceed = new Rollout.Analysis(0.05, null, null, 10, "proceed", null);
        assertThat(StepJudge.judge(proceed, 10_000, 10_000, few, RevisionFigures.NONE).outcome())
                .isEqualTo(StepJudge.Outcome.PASS);
    }

    @Test
    void aHealthyStepPasses() {
        assertThat(StepJudge.judge(ANALYSIS, 10_000, 10_000, figures(50, 1, 120.0), figures(500, 2, 100.0)).outcome())
                .isEqualTo(StepJudge.Outcome.PASS);
    }
}
