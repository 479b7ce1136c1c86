package dev.ebb.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.problem.FieldViolation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AutoscalingAnnotationsTest {

    private static Template annotated(Template.Scale scale, Map<String, String> annotations) {
        return ServiceRules.withDefaults(new Template("nginx", null, null, null, null, null, null, null, null, scale, annotations),
                TemplateDefaults.standard());
    }

    private static List<FieldViolation> violations(Template template) {
        return ServiceRules.validate("default", "hello", new ServiceSpec("hello", null, null, null, null, null, template, null), template);
    }

    @Test
    void knativeAnnotationsFillTheFieldsTheyStandFor() {
        Template t = annotated(null, Map.of(
                "autoscaling.knative.dev/min-scale", "2",
                "autoscaling.knative.dev/max-scale", "8",
                "autoscaling.knative.dev/initial-scale", "3",
                "autoscaling.knative.dev/window", "2m",
                "autoscaling.knative.dev/scale-down-delay", "30s",
                "autoscaling.knative.dev/metric", "rps",
                "autoscaling.knative.dev/target", "50",
                "autoscaling.knative.dev/target-utilization-percentage", "80"));
        assertThat(t.scale()).isEqualTo(new Template.Scale(2, 8, 3, "2m", "30s", "rps"));
        assertThat(t.concurrency()).isEqualTo(new Template.Concurrency(0, 50, 80));
        assertThat(violations(t)).isEmpty();
    }

    @Test
    void theOldCamelCaseNamesAreAliasesToo() {
        Template t = annotated(null, Map.of("autoscaling.knative.dev/minScale", "1", "autoscaling.knative.dev/maxScale", "4"));
        assertThat(t.scale().min()).isEqualTo(1);
        assertThat(t.scale().max()).isEqualTo(4);
        assertThat(violations(t)).isEmpty();
    }

    @Test
    void aFieldAndItsAnnotationThatDisagreeAreRejected() {
        Template t = annotated(new Template.Scale(1, null, null, null, null, null), Map.of("autoscaling.knative.dev/min-scale", "2"));
        assertThat(violations(t)).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo("template.annotations.autoscaling.knative.dev/min-scale");
            assertThat(v.message()).contains("template.scale.min is '1'");
        });
    }

    @Test
    void aFieldAndItsAnnotationThatAgreeAreAccepted() {
        Template t = annotated(new Template.Scale(null, null, null, "60s", null, null), Map.of("autoscaling.knative.dev/window", "1m"));
        assertThat(violations(t)).isEmpty();
    }

    @Test
    void anUnknownAutoscalingAnnotationIsRejectedWithTheNearestName() {
        Template t = annotated(null, Map.of("autoscaling.knative.dev/min-scael", "1"));
        assertThat(violations(t)).singleElement().satisfies(v ->
                assertThat(v.message()).contains("did you mean 'autoscaling.knative.dev/min-scale'?"));
    }

    @Test
    void otherAnnotationsAreKeptAsGiven() {
        Template t = annotated(null, Map.of("example.com/owner", "ml-team"));
        assertThat(t.annotations()).containsEntry("example.com/owner", "ml-team");
        assertThat(violations(t)).isEmpty();
    }

    @Test
    void annotationsWithoutAFieldAreCheckedAndRead() {
        Template good = annotated(null, Map.of(
                "autoscaling.knative.dev/activation-scale", "3",
                "autoscaling.knative.dev/panic-window-percentage", "20",
                "autoscaling.knative.dev/panic-threshold-percentage", "150",
                "autoscaling.knative.dev/scale-to-zero-pod-retention-period", "1m",
                "autoscaling.knative.dev/target-burst-capacity", "-1",
                "autoscaling.knative.dev/class", "kpa.autoscaling.knative.dev"));
        assertThat(violations(good)).isEmpty();
        assertThat(AutoscalingAnnotations.activationScale(good)).isEqualTo(3);
        assertThat(AutoscalingAnnotations.panicWindowPercentage(good)).hasValue(20);
        assertThat(AutoscalingAnnotations.panicThresholdPercentage(good)).hasValue(150);
        assertThat(AutoscalingAnnotations.scaleToZeroRetention(good)).hasValue(java.time.Duration.ofMinutes(1));

        Template bad = annotated(null, Map.of(
                "autoscaling.knative.dev/activation-scale", "0",
                "autoscaling.knative.dev/panic-window-percentage", "0",
                "autoscaling.knative.dev/panic-threshold-percentage", "100",
                "autoscaling.knative.dev/scale-to-zero-pod-retention-period", "forever",
                "autoscaling.knative.dev/class", "hpa.autoscaling.knative.dev"));
        assertThat(violations(bad)).extracting(FieldViolation::field).containsExactlyInAnyOrder(
                "template.annotations.autoscaling.knative.dev/activation-scale",
                "template.annotations.autoscaling.knative.dev/panic-window-percentage",
                "template.annotations.autoscaling.knative.dev/panic-threshold-percentage",
                "template.annotations.autoscaling.knative.dev/scale-to-zero-pod-retention-period",
                "template.annotations.autoscaling.knative.dev/class");
    }

    @Test
    void anAliasThatDoesNotParseIsReported() {
        Template t = annotated(null, Map.of("autoscaling.knative.dev/min-scale", "two"));
        assertThat(violations(t)).extracting(FieldViolation::field)
                .containsExactly("template.annotations.autoscaling.knative.dev/min-scale");
    }
}
