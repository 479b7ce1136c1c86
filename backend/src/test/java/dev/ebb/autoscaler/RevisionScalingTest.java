package dev.ebb.autoscaler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.spec.ServiceRules;
import dev.ebb.spec.Template;
import dev.ebb.spec.TemplateDefaults;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RevisionScalingTest {

    private static final AutoscalerProperties CLUSTER = AutoscalerProperties.knativeDefaults();

    private static Template template(Template.Concurrency concurrency, Template.Scale scale, Map<String, String> annotations) {
        return ServiceRules.withDefaults(new Template("nginx", null, null, null, null, null, null, null, concurrency, scale, annotations),
                CLUSTER.templateDefaults(TemplateDefaults.STANDARD_MAX_SCALE_LIMIT));
    }

    @Test
    void aPlainTemplateGetsKnativesDefaults() {
        ScalingSettings s = RevisionScaling.settings(template(null, null, null), CLUSTER);
        ScalingSettings knative = ScalingSettings.knativeDefaults();
        assertThat(s).isEqualTo(knative);
        assertThat(s.target()).isEqualTo(70.0);
    }

    @Test
    void aConcurrencyLimitCapsTheTarget() {
        ScalingSettings s = RevisionScaling.settings(template(new Template.Concurrency(1, null, null), null, null), CLUSTER);
        assertThat(s.targetPerInstance()).isEqualTo(1);
        assertThat(s.target()).isEqualTo(0.7);
    }

    @Test
    void theRpsMetricUsesItsOwnTargetWhateverTheLimit() {
        Template t = template(new Template.Concurrency(1, null, null), new Template.Scale(null, null, null, null, null, "rps"), null);
        assertThat(RevisionScaling.byRequestsPerSecond(t)).isTrue();
        assertThat(RevisionScaling.settings(t, CLUSTER).targetPerInstance()).isEqualTo(200);
    }

    @Test
    void thePanicWindowIsAShareOfTheStableWindow() {
        Template t = template(null, new Template.Scale(null, null, null, "2m", null, null),
                Map.of("autoscaling.knative.dev/panic-window-percentage", "25",
                        "autoscaling.knative.dev/panic-threshold-percentage", "300"));
        ScalingSettings s = RevisionScaling.settings(t, CLUSTER);
        assertThat(s.stableWindow()).isEqualTo(Duration.ofMinutes(2));
        assertThat(s.panicWindow()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.panicThreshold()).isEqualTo(3.0);
    }

    @Test
    void aTargetBurstCapacityAnnotationTakesThePlaceOfTheClustersAndMinusOneStaysMinusOne() {
        assertThat(RevisionScaling.settings(template(null, null, null), CLUSTER).targetBurstCapacity()).isEqualTo(211);
        Template always = template(null, null, Map.of("autoscaling.knative.dev/target-burst-capacity", "-1"));
        assertThat(RevisionScaling.settings(always, CLUSTER).targetBurstCapacity()).isEqualTo(-1);
    }

    @Test
    void clusterSettingsApplyWhereTheRevisionSaysNothing() {
        AutoscalerProperties cluster = new AutoscalerProperties(10, 20, 50, Duration.ofSeconds(6), 0, 0, 0, Duration.ZERO, 10, 200,
                1000, 2, Duration.ZERO, Duration.ofSeconds(5), 0, Duration.ofSeconds(1), true);
        Template t = ServiceRules.withDefaults(new Template("nginx", null, null, null, null, null, null, null, null, null),
                cluster.templateDefaults(TemplateDefaults.STANDARD_MAX_SCALE_LIMIT));
        ScalingSettings s = RevisionScaling.settings(t, cluster);
        assertThat(s.targetPerInstance()).isEqualTo(10);
        assertThat(s.utilization()).isEqualTo(0.5);
        assertThat(s.stableWindow()).isEqualTo(Duration.ofSeconds(6));
        assertThat(s.panicWindow()).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.initialScale()).isZero();
        assertThat(s.scaleToZeroGrace()).isZero();
        assertThat(s.scaleToZeroRetention()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.targetBurstCapacity()).isZero();
    }
}
