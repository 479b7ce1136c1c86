package dev.ebb.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.problem.FieldViolation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceRulesTest {

    private static final TemplateDefaults DEFAULTS = TemplateDefaults.standard();

    private static Template image(String image) {
        return new Template(image, null, null, null, null, null, null, null, null, null);
    }

    private static ServiceSpec spec(Template template) {
        return new ServiceSpec("hello", null, null, null, null, null, template, null);
    }

    private static List<String> fieldsWrongWith(ServiceSpec spec) {
        Template template = spec.template() == null ? null : ServiceRules.withDefaults(spec.template(), DEFAULTS);
        return ServiceRules.validate("default", spec.name(), spec, template).stream().map(FieldViolation::field).toList();
    }

    @Test
    void anEmptyTemplateTakesKnativeDefaults() {
        Template t = ServiceRules.withDefaults(image("nginx"), DEFAULTS);
        assertThat(t.port()).isEqualTo(8080);
        assertThat(t.protocol()).isEqualTo("http1");
        assertThat(t.timeoutSeconds()).isEqualTo(300);
        assertThat(t.readiness().tcp()).isTrue();
        assertThat(t.concurrency()).isEqualTo(new Template.Concurrency(0, 100, 70));
        assertThat(t.scale()).isEqualTo(new Template.Scale(0, 0, 1, "1m", "0s", "concurrency"));
    }

    @Test
    void theRpsMetricDefaultsItsTargetTo200() {
        Template rps = new Template("nginx", null, null, null, null, null, null, null, null,
                new Template.Scale(null, null, null, null, null, "rps"));
        assertThat(ServiceRules.withDefaults(rps, DEFAULTS).concurrency().target()).isEqualTo(200);
    }

    @Test
    void aValidServiceHasNoViolations() {
        assertThat(fieldsWrongWith(spec(image("ghcr.io/acme/model:1.0")))).isEmpty();
    }

    @Test
    void aTemplateNeedsAnImageOrACommand() {
        assertThat(fieldsWrongWith(spec(image(null)))).containsExactly("template");
        assertThat(fieldsWrongWith(spec(null))).containsExactly("template");
    }

    @Test
    void limitsFollowKnative() {
        Template t = new Template("nginx", null, null, null, 0, "http3", new Template.Readiness("healthz", null), 601,
                new Template.Concurrency(1001, 0, 101), new Template.Scale(3, 2, 5, "5s", "2h", "cpu"));
        assertThat(fieldsWrongWith(spec(t))).containsExactlyInAnyOrder("template.port", "template.protocol",
                "template.readiness.path", "template.timeoutSeconds", "template.concurrency.limit",
                "template.concurrency.target", "template.concurrency.utilization", "template.scale.min",
                "template.scale.initial", "template.scale.window", "template.scale.scaleDownDelay", "template.scale.metric");
    }

    private static List<FieldViolation> clusterPolicyOf(Template given) {
        return ServiceRules.clusterPolicy(ServiceRules.withDefaults(given, DEFAULTS), DEFAULTS);
    }

    @Test
    void instanceCountsAboveTheClusterLimitAreRefusedNamingTheLimitAndHowToRaiseIt() {
        Template huge = new Template("nginx", null, null, null, null, null, null, null, null,
                new Template.Scale(101, 200, 100_000, null, null, null));

        List<FieldViolation> violations = clusterPolicyOf(huge);

        assertThat(violations).extracting(FieldViolation::field)
                .containsExactlyInAnyOrder("template.scale.min", "template.scale.max", "template.scale.initial");
        assertThat(violations).filteredOn(v -> v.field().equals("template.scale.initial")).singleElement()
                .satisfies(v -> assertThat(v.message()).contains("100000", "limit of 100", "ebb.runtime.max-scale-limit"));
    }

    @Test
    void aKnativeAnnotationAboveTheClusterLimitIsNamedAsGiven() {
        Template annotated = new Template("nginx", null, null, null, null, null, null, null, null, null,
                Map.of("autoscaling.knative.dev/initial-scale", "100000", "autoscaling.knative.dev/max-scale", "1000"));

        assertThat(clusterPolicyOf(annotated)).extracting(FieldViolation::field).containsExactlyInAnyOrder(
                "template.annotations.autoscaling.knative.dev/initial-scale", "template.annotations.autoscaling.knative.dev/max-scale");
    }

    @Test
    void countsAtTheLimitAndAnUnboundedMaximumAreAccepted() {
        Template atLimit = new Template("nginx", null, null, null, null, null, null, null, null,
                new Template.Scale(100, 0, 100, null, null, null));

        assertThat(clusterPolicyOf(atLimit)).isEmpty();
    }

    @Test
    void readinessIsEitherAPathOrTcp() {
        Template both = new Template("nginx", null, null, null, null, null, new Template.Readiness("/healthz", true), null, null, null);
        Template neither = new Template("nginx", null, null, null, null, null, new Template.Readiness(null, false), null, null, null);
        assertThat(fieldsWrongWith(spec(both))).containsExactly("template.readiness");
        assertThat(fieldsWrongWith(spec(neither))).containsExactly("template.readiness");
    }

    @Test
    void portIsReservedForEbb() {
        Template t = new Template("nginx", null, null, Map.of("PORT", "9000", "MODEL", "x"), null, null, null, null, null, null);
        assertThat(fieldsWrongWith(spec(t))).containsExactly("template.env.PORT");
    }

    @Test
    void aMisspelledVisibilityGetsASuggestion() {
        ServiceSpec spec = new ServiceSpec("hello", null, null, "publik", null, null, image("nginx"), null);
        List<FieldViolation> violations = ServiceRules.validate("default", "hello", spec,
                ServiceRules.withDefaults(spec.template(), DEFAULTS));
        assertThat(violations).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo("visibility");
            assertThat(v.message()).contains("did you mean 'public'?");
        });
    }

    @Test
    void labelsFollowKubernetesSyntax() {
        ServiceSpec spec = new ServiceSpec("hello", null, Map.of("team", "ml", "example.com/tier", "gold", "bad key", "x"),
                null, null, null, image("nginx"), null);
        assertThat(fieldsWrongWith(spec)).containsExactly("labels.bad key");
    }

    @Test
    void theNamespaceInTheBodyMustMatchTheUrl() {
        ServiceSpec spec = new ServiceSpec("hello", "other", null, null, null, null, image("nginx"), null);
        assertThat(fieldsWrongWith(spec)).containsExactly("namespace");
    }

    @Test
    void theColdStartSloIsADuration() {
        ServiceSpec spec = new ServiceSpec("hello", null, null, null, null, "fast", image("nginx"), null);
        assertThat(fieldsWrongWith(spec)).containsExactly("coldStartSlo");
    }

    @Test
    void aPlacementNamesOneClusterByItsDnsName() {
        ServiceSpec on = new ServiceSpec("hello", null, null, null, Placement.on("prod-eu"), null, image("nginx"), null);
        assertThat(fieldsWrongWith(on)).isEmpty();

        ServiceSpec badName = new ServiceSpec("hello", null, null, null, Placement.on("Prod_EU"), null, image("nginx"), null);
        assertThat(fieldsWrongWith(badName)).containsExactly("placement.clusters[0]");
    }

    @Test
    void anEmptyPlacementIsRefusedWithTheFix() {
        ServiceSpec empty = new ServiceSpec("hello", null, null, null, new Placement(List.of()), null, image("nginx"), null);
        List<FieldViolation> violations = ServiceRules.validate("default", "hello", empty, ServiceRules.withDefaults(image("nginx"), DEFAULTS));
        assertThat(violations).singleElement().satisfies(v -> assertThat(v.message()).contains("leave placement out"));
    }

    @Test
    void aServiceIsPlacedOnSeveralDistinctClustersWithWeightsForThoseOnly() {
        assertThat(fieldsWrongWith(placed(new Placement(List.of("eu", "us"), Map.of("eu", 3))))).isEmpty();

        assertThat(fieldsWrongWith(placed(new Placement(List.of("eu", "us", "eu"))))).containsExactly("placement.clusters[2]");
        List<FieldViolation> weighs = ServiceRules.validate("default", "hello", placed(new Placement(List.of("eu", "us"),
                Map.of("ue", 2, "us", 0))), ServiceRules.withDefaults(image("nginx"), DEFAULTS));
        assertThat(weighs).extracting(FieldViolation::field).containsExactly("placement.weights.ue", "placement.weights.us");
        assertThat(weighs.get(0).message()).contains("did you mean 'eu'?");
        assertThat(weighs.get(1).message()).contains("from 1 to 1000");
    }

    private static ServiceSpec placed(Placement placement) {
        return new ServiceSpec("hello", null, null, null, placement, null, image("nginx"), null);
    }

    private static Template following(String image, String policy) {
        return new Template(image, null, null, null, null, null, null, null, null, null, null, null, policy);
    }

    @Test
    void aTagIsFollowedOnlyWhenAskedAndKeptThroughTheDefaults() {
        assertThat(fieldsWrongWith(spec(following("registry.example.com/acme/model:stable", "follow-tag")))).isEmpty();
        assertThat(fieldsWrongWith(spec(following("registry.example.com/acme/model:stable", "none")))).isEmpty();
        assertThat(ServiceRules.withDefaults(following("acme/model:stable", "follow-tag"), DEFAULTS).followsTag()).isTrue();
        assertThat(ServiceRules.withDefaults(image("acme/model:stable"), DEFAULTS).imagePolicy()).as("left out stays out, "
                + "so that the hash of every template stored before the field existed stays the same").isNull();
    }

    @Test
    void aMisspelledImagePolicyGetsASuggestion() {
        List<FieldViolation> violations = ServiceRules.validate("default", "hello", spec(following("nginx:1", "follow-tags")),
                ServiceRules.withDefaults(following("nginx:1", "follow-tags"), DEFAULTS));
        assertThat(violations).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo("template.imagePolicy");
            assertThat(v.message()).contains("did you mean 'follow-tag'?");
        });
    }

    @Test
    void followingNeedsAnImageNamedByTag() {
        Template pinned = following("acme/model@sha256:" + "a".repeat(64), "follow-tag");
        assertThat(ServiceRules.validate("default", "hello", spec(pinned), ServiceRules.withDefaults(pinned, DEFAULTS)))
                .singleElement().satisfies(v -> assertThat(v.message()).contains("names a digest")
                        .contains("\"acme/model:stable\""));
        Template command = new Template(null, List.of("python3", "serve.py"), null, null, null, null, null, null, null, null,
                null, null, "follow-tag");
        assertThat(fieldsWrongWith(spec(command))).containsExactly("template.imagePolicy");
    }

    private static Template withResources(Map<String, String> requests, Map<String, String> limits) {
        return new Template("nginx", null, null, null, null, null, null, null, null, null, null,
                new Template.Resources(requests, limits));
    }

    @Test
    void resourcesUseKubernetesNamesAndQuantities() {
        assertThat(fieldsWrongWith(spec(withResources(Map.of("cpu", "500m", "memory", "1.5Gi", "nvidia.com/gpu", "1"),
                Map.of("cpu", "2", "memory", "2e9"))))).isEmpty();

        List<FieldViolation> wrong = ServiceRules.validate("default", "hello", spec(withResources(
                Map.of("cpu", "half", "GPU", "1"), null)), ServiceRules.withDefaults(withResources(Map.of("cpu", "half", "GPU", "1"), null), DEFAULTS));
        assertThat(wrong).extracting(FieldViolation::field)
                .containsExactlyInAnyOrder("template.resources.requests.cpu", "template.resources.requests.GPU");
        assertThat(wrong).anySatisfy(v -> assertThat(v.message()).contains("\"500m\""));
    }

    @Test
    void aRequestAboveItsLimitIsRefused() {
        assertThat(fieldsWrongWith(spec(withResources(Map.of("memory", "2Gi"), Map.of("memory", "1024Mi")))))
                .containsExactly("template.resources.requests.memory");
    }

    @Test
    void quantitiesParseAsKubernetesReadsThem() {
        assertThat(Quantities.parse("500m")).hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo("0.5"));
        assertThat(Quantities.parse("1Gi")).hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo("1073741824"));
        assertThat(Quantities.parse("1k")).hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo("1000"));
        assertThat(Quantities.parse(".5")).hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo("0.5"));
        assertThat(Quantities.parse("1 Gi")).isEmpty();
        assertThat(Quantities.parse("-1")).isEmpty();
    }
}
