package dev.ebb.knative;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ebb.problem.FieldViolation;
import dev.ebb.problem.InvalidInputException;
import dev.ebb.spec.ServiceRules;
import dev.ebb.spec.ServiceSpec;
import dev.ebb.spec.Template;
import dev.ebb.spec.TemplateDefaults;
import dev.ebb.spec.TrafficTarget;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

class KnativeServiceTest {

    private static final String MINIMAL = """
            apiVersion: serving.knative.dev/v1
            kind: Service
            metadata:
              name: hello
            spec:
              template:
                spec:
                  containers:
                    - image: ghcr.io/knative/helloworld-go:latest
            """;

    @Test
    void aMinimalServiceBecomesEbbsDocumentAndStaysClusterLocalWithAWarning() {
        KnativeService.Imported imported = read(MINIMAL, "default", null);

        assertThat(imported.spec().name()).isEqualTo("hello");
        assertThat(imported.spec().namespace()).isEqualTo("default");
        assertThat(imported.spec().visibility()).isEqualTo("cluster-local");
        assertThat(imported.spec().template().image()).isEqualTo("ghcr.io/knative/helloworld-go:latest");
        assertThat(imported.spec().traffic()).isNull();
        assertThat(imported.warnings()).singleElement().asString().contains("networking.knative.dev/visibility")
                .contains("cluster-local");
    }

    @Test
    void theVisibilityLabelKeepsItClusterLocalWithoutAWarningAndIsNotALabelOfTheService() {
        KnativeService.Imported imported = read(MINIMAL.replace("  name: hello\n", """
                  name: hello
                  labels:
                    networking.knative.dev/visibility: cluster-local
                    team: ml
                """), "default", null);

        assertThat(imported.spec().visibility()).isEqualTo("cluster-local");
        assertThat(imported.spec().labels()).containsExactly(Map.entry("team", "ml"));
        assertThat(imported.warnings()).isEmpty();
    }

    @Test
    void ebbsPublicAnnotationMakesItPublic() {
        KnativeService.Imported imported = read(MINIMAL.replace("  name: hello\n", """
                  name: hello
                  annotations:
                    ebb.dev/visibility: public
                """), "default", null);

        assertThat(imported.spec().visibility()).isEqualTo("public");
        assertThat(imported.spec().annotations()).isNull();
        assertThat(imported.warnings()).isEmpty();
    }

    @Test
    void theSingularLabelGetsTheNearestKnownName() {
        assertThat(violations(MINIMAL.replace("  name: hello\n", """
                  name: hello
                  label:
                    networking.knative.dev/visibility: cluster-local
                """))).containsExactly(new FieldViolation("metadata.label", "unknown field 'label'; did you mean 'labels'?"));
    }

    @Test
    void everyUnsupportedFieldIsReportedAtOnceUnderItsPath() {
        List<FieldViolation> violations = violations("""
                apiVersion: serving.knative.dev/v1
                kind: Service
                metadata:
                  name: hello
                  finalizers: [keep]
                  annotations:
                    serving.knative.dev/rolout-duration: 10m
                    networking.knative.dev/disable-auto-tls: "true"
                spec:
                  template:
                    metadata:
                      labels: {app: hello}
                      annotations:
                        serving.knative.dev/progress-deadline: 5m
                    spec:
                      serviceAccountName: robot
                      securityContext: {runAsNonRoot: true}
                      volumes:
                        - name: data
                          emptyDir: {}
                      initContainers:
                        - image: busybox
                      containers:
                        - image: ghcr.io/knative/helloworld-go
                          volumeMounts:
                            - name: data
                              mountPath: /data
                          env:
                            - name: SECRET
                              valueFrom: {secretKeyRef: {name: s, key: k}}
                          ports:
                            - containerPort: 8080
                            - containerPort: 9090
                          readinessProbe:
                            periodSeconds: 1
                            exec: {command: [true]}
                          livenessProbe:
                            tcpSocket: {}
                        - image: ghcr.io/acme/sidecar
                  traffic:
                    - configurationName: hello
                      percent: 100
                """);

        assertThat(violations).extracting(FieldViolation::field).containsExactlyInAnyOrder(
                "metadata.finalizers",
                "metadata.annotations.serving.knative.dev/rolout-duration",
                "metadata.annotations.networking.knative.dev/disable-auto-tls",
                "spec.template.metadata.labels",
                "spec.template.metadata.annotations.serving.knative.dev/progress-deadline",
                "spec.template.spec.serviceAccountName",
                "spec.template.spec.securityContext",
                "spec.template.spec.volumes",
                "spec.template.spec.initContainers",
                "spec.template.spec.containers[1]",
                "spec.template.spec.containers[0].volumeMounts",
                "spec.template.spec.containers[0].livenessProbe",
                "spec.template.spec.containers[0].env[0].valueFrom",
                "spec.template.spec.containers[0].ports[1]",
                "spec.template.spec.containers[0].readinessProbe.periodSeconds",
                "spec.template.spec.containers[0].readinessProbe.exec",
                "spec.traffic[0].configurationName");
        assertThat(violations).filteredOn(v -> v.field().endsWith("rolout-duration")).singleElement()
                .extracting(FieldViolation::message).asString().contains("did you mean 'serving.knative.dev/rollout-duration'?");
        assertThat(violations).filteredOn(v -> v.field().equals("spec.template.spec.volumes")).singleElement()
                .extracting(FieldViolation::message).asString().startsWith("is not supported by Ebb");
    }

    @Test
    void valuesOfTheWrongTypeAreRefusedNotConverted() {
        List<FieldViolation> violations = violations("""
                apiVersion: serving.knative.dev/v1
                kind: Service
                metadata:
                  name: hello
                  labels: {replicas: 3}
                spec:
                  template:
                    metadata:
                      annotations:
                        autoscaling.knative.dev/min-scale: 1
                    spec:
                      containerConcurrency: "10"
                      timeoutSeconds: 30.5
                      containers:
                        - image: ghcr.io/knative/helloworld-go
                          args: [--port, 8080]
                          ports:
                            - containerPort: "8080"
                  traffic:
                    - latestRevision: "true"
                      percent: 100
                """);

        assertThat(violations).extracting(FieldViolation::field).containsExactlyInAnyOrder(
                "metadata.labels.replicas",
                "spec.template.metadata.annotations.autoscaling.knative.dev/min-scale",
                "spec.template.spec.containerConcurrency",
                "spec.template.spec.timeoutSeconds",
                "spec.template.spec.containers[0].args[1]",
                "spec.template.spec.containers[0].ports[0].containerPort",
                "spec.traffic[0].latestRevision");
    }

    @Test
    void theManifestsNameAndNamespaceMustAgreeWithTheUrl() {
        assertThat(violations(MINIMAL.replace("  name: hello\n", "  name: hello\n  namespace: prod\n"), "staging", "other"))
                .extracting(FieldViolation::field).containsExactlyInAnyOrder("metadata.name", "metadata.namespace");
    }

    @Test
    void anotherKindOrVersionIsNamed() {
        assertThat(violations(MINIMAL.replace("kind: Service", "kind: Route").replace("/v1", "/v1alpha1"), "default", null))
                .extracting(FieldViolation::field).containsExactlyInAnyOrder("apiVersion", "kind");
    }

    @Test
    void everySupportedFieldMapsToEbbsEquivalent() {
        KnativeService.Imported imported = read("""
                apiVersion: serving.knative.dev/v1
                kind: Service
                metadata:
                  name: grpc-ping
                  annotations:
                    serving.knative.dev/rollout-duration: 380s
                spec:
                  template:
                    metadata:
                      name: grpc-ping-v2
                      annotations:
                        autoscaling.knative.dev/target: "10"
                    spec:
                      containerConcurrency: 50
                      timeoutSeconds: 120
                      containers:
                        - image: ghcr.io/knative/grpc-ping-go
                          command: [/ko-app/grpc-ping]
                          args: [--port, "9000"]
                          env:
                            - name: TARGET
                              value: world
                          ports:
                            - name: h2c
                              containerPort: 9000
                          readinessProbe:
                            httpGet:
                              path: /healthz
                              port: 9000
                          resources:
                            requests: {cpu: 100m, memory: 128Mi}
                            limits: {cpu: 1, memory: 1Gi}
                  traffic:
                    - revisionName: grpc-ping-v1
                      percent: 90
                      tag: stable
                    - latestRevision: true
                      percent: 10
                """, "default", "grpc-ping");

        ServiceSpec s = imported.spec();
        Template t = s.template();
        assertThat(s.annotations()).containsExactly(Map.entry("serving.knative.dev/rollout-duration", "380s"));
        assertThat(t.revisionName()).isEqualTo("grpc-ping-v2");
        assertThat(t.annotations()).containsExactly(Map.entry("autoscaling.knative.dev/target", "10"));
        assertThat(t.concurrency().limit()).isEqualTo(50);
        assertThat(t.timeoutSeconds()).isEqualTo(120);
        assertThat(t.command()).containsExactly("/ko-app/grpc-ping");
        assertThat(t.args()).containsExactly("--port", "9000");
        assertThat(t.env()).containsExactly(Map.entry("TARGET", "world"));
        assertThat(t.port()).isEqualTo(9000);
        assertThat(t.protocol()).isEqualTo("h2c");
        assertThat(t.readiness()).isEqualTo(new Template.Readiness("/healthz", null));
        assertThat(t.resources().requests()).containsExactly(Map.entry("cpu", "100m"), Map.entry("memory", "128Mi"));
        assertThat(t.resources().limits()).containsExactly(Map.entry("cpu", "1"), Map.entry("memory", "1Gi"));
        assertThat(s.traffic()).containsExactly(new TrafficTarget("grpc-ping-v1", null, 90, "stable"),
                new TrafficTarget(null, true, 10, null));
    }

    @Test
    void theExportSpellsOutWhatEbbRunsAndRoundTripsThroughTheImport() {
        KnativeService.Imported imported = read(MINIMAL, "default", null);
        ServiceSpec stored = new ServiceSpec(imported.spec().name(), "default", null, imported.spec().visibility(), null, null,
                ServiceRules.withDefaults(imported.spec().template(), TemplateDefaults.standard()),
                List.of(TrafficTarget.latest(100)));

        KnativeService.Exported exported = KnativeService.write(stored, TemplateDefaults.standard());

        assertThat(exported.manifest()).isEqualTo(yaml("""
                apiVersion: serving.knative.dev/v1
                kind: Service
                metadata:
                  name: hello
                  namespace: default
                  labels:
                    networking.knative.dev/visibility: cluster-local
                spec:
                  template:
                    spec:
                      containerConcurrency: 0
                      timeoutSeconds: 300
                      containers:
                        - image: ghcr.io/knative/helloworld-go:latest
                          ports:
                            - name: http1
                              containerPort: 8080
                          readinessProbe:
                            tcpSocket: {}
                  traffic:
                    - latestRevision: true
                      percent: 100
                """));
        assertThat(exported.warnings()).isEmpty();
        assertThat(read(exported.manifest(), "default", "hello").warnings()).isEmpty();
    }

    @Test
    void scaleSettingsWithoutAnnotationsAreExportedAsKnativesAnnotations() {
        Template template = ServiceRules.withDefaults(new Template("ghcr.io/acme/model:1", null, null, null, null, null, null,
                null, new Template.Concurrency(null, 20, 80), new Template.Scale(1, 5, null, "2m", null, null)),
                TemplateDefaults.standard());
        ServiceSpec service = new ServiceSpec("model", "ml", null, "public", null, null, template, null);

        Map<String, Object> manifest = KnativeService.write(service, TemplateDefaults.standard()).manifest();

        assertThat(manifest).extractingByKey("metadata").asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("annotations", Map.of("ebb.dev/visibility", "public")).doesNotContainKey("labels");
        @SuppressWarnings("unchecked")
        Map<String, Object> templateMetadata = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>)
                manifest.get("spec")).get("template")).get("metadata");
        assertThat(templateMetadata.get("annotations")).isEqualTo(Map.of(
                "autoscaling.knative.dev/min-scale", "1",
                "autoscaling.knative.dev/max-scale", "5",
                "autoscaling.knative.dev/window", "2m",
                "autoscaling.knative.dev/target", "20",
                "autoscaling.knative.dev/target-utilization-percentage", "80"));
    }

    @Test
    void ebbsRulesFoundInAnImportNameTheManifestsPaths() {
        assertThat(KnativeService.manifestPath("template.port")).isEqualTo("spec.template.spec.containers[0].ports[0].containerPort");
        assertThat(KnativeService.manifestPath("template.annotations.autoscaling.knative.dev/min-scal"))
                .isEqualTo("spec.template.metadata.annotations.autoscaling.knative.dev/min-scal");
        assertThat(KnativeService.manifestPath("traffic[1].revision")).isEqualTo("spec.traffic[1].revisionName");
        assertThat(KnativeService.manifestPath("labels.team")).isEqualTo("metadata.labels.team");
        assertThat(KnativeService.manifestPath("template.concurrency.limit")).isEqualTo("spec.template.spec.containerConcurrency");
        assertThat(KnativeService.manifestPath("template.revisionName")).isEqualTo("spec.template.metadata.name");
    }

    private static KnativeService.Imported read(String manifest, String namespace, String name) {
        return read(yaml(manifest), namespace, name);
    }

    private static KnativeService.Imported read(Map<String, Object> manifest, String namespace, String name) {
        return KnativeService.read(manifest, namespace, name);
    }

    private static List<FieldViolation> violations(String manifest) {
        return violations(manifest, "default", null);
    }

    private static List<FieldViolation> violations(String manifest, String namespace, String name) {
        Map<String, Object> tree = yaml(manifest);
        InvalidInputException e = (InvalidInputException) org.assertj.core.api.Assertions.catchThrowable(
                () -> KnativeService.read(tree, namespace, name));
        assertThat(e).as("the import is refused").isNotNull();
        assertThat(e.status()).isEqualTo(422);
        return e.violations();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> yaml(String text) {
        return (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(text);
    }

    @Test
    void aBodyIsAKnativeServiceByItsApiVersionAndKind() {
        assertThat(KnativeService.isKnativeService(yaml(MINIMAL))).isTrue();
        assertThat(KnativeService.isKnativeService(Map.of("name", "hello"))).isFalse();
        assertThat(KnativeService.isManifest(Map.of("kind", "Service"))).isTrue();
        assertThatThrownBy(() -> KnativeService.read(Map.of("kind", "Service"), "default", null))
                .isInstanceOf(InvalidInputException.class);
    }
}
