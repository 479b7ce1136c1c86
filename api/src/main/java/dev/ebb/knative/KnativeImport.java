package dev.ebb.knative;

import dev.ebb.problem.FieldViolation;
import dev.ebb.problem.InvalidInputException;
import dev.ebb.spec.AutoscalingAnnotations;
import dev.ebb.spec.RolloutRules;
import dev.ebb.spec.ServiceRules;
import dev.ebb.spec.ServiceSpec;
import dev.ebb.spec.Template;
import dev.ebb.spec.TrafficTarget;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a Knative {@code serving.knative.dev/v1} Service as Ebb's service document. Every field is either mapped to
 * Ebb's equivalent or reported: all problems of a manifest come back at once, each under its path in the manifest
 * (such as {@code spec.template.spec.containers[0].volumeMounts}), so that nothing is dropped silently.
 */
final class KnativeImport {

    private static final String POD_SPEC = "Ebb runs one process or container per instance without Kubernetes pod settings";
    private static final String PROBE_TUNING = "Ebb probes readiness on its own schedule and has no tuning of it; leave it out";
    private static final Map<String, String> UNSUPPORTED_METADATA = Map.of(
            "generateName", "Ebb services are named; give metadata.name",
            "finalizers", "Ebb deletes a service and its revisions itself",
            "ownerReferences", "an Ebb service is owned by nobody",
            "deletionTimestamp", "read-only in Kubernetes; leave it out",
            "deletionGracePeriodSeconds", "read-only in Kubernetes; leave it out");
    /** Fields Kubernetes sets on what it returns: a manifest read from a cluster may carry them back. */
    private static final List<String> SERVER_SET_METADATA = List.of("uid", "resourceVersion", "generation", "creationTimestamp",
            "managedFields", "selfLink");
    private static final Map<String, String> UNSUPPORTED_POD = unsupportedPod();
    private static final Map<String, String> UNSUPPORTED_CONTAINER = unsupportedContainer();

    private final List<FieldViolation> violations = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    private KnativeImport() {
    }

    static KnativeService.Imported read(Map<String, Object> manifest, String namespace, String name) {
        return new KnativeImport().service(manifest, namespace, name);
    }

    private KnativeService.Imported service(Map<String, Object> manifest, String pathNamespace, String pathName) {
        Fields root = Fields.of("", manifest, violations);
        root.check(List.of("apiVersion", "kind", "metadata", "spec"), List.of("status"), Map.of());
        String apiVersion = root.string("apiVersion");
        if (!KnativeService.API_VERSION.equals(apiVersion) && root.has("apiVersion") && apiVersion != null) {
            violations.add(new FieldViolation("apiVersion", "is '" + apiVersion + "'; Ebb reads Knative Services of '"
                    + KnativeService.API_VERSION + "'"));
        }
        String kind = root.string("kind");
        if (!KnativeService.KIND.equals(kind) && kind != null) {
            violations.add(new FieldViolation("kind", "is '" + kind + "'; Ebb reads Knative 'Service' manifests only (a "
                    + "Service holds its Configuration and Route)"));
        }
        if (!root.has("apiVersion") || !root.has("kind")) {
            violations.add(new FieldViolation(root.has("kind") ? "apiVersion" : "kind", "is required: a Knative Service starts "
                    + "with apiVersion: " + KnativeService.API_VERSION + " and kind: Service"));
        }
        Fields metadata = root.object("metadata");
        String name = null;
        String namespace = null;
        Map<String, String> labels = null;
        Map<String, String> annotations = null;
        String visibility = null;
        if (metadata == null) {
            violations.add(new FieldViolation("metadata", "is required: give at least metadata.name"));
        } else {
            metadata.check(List.of("name", "namespace", "labels", "annotations"), SERVER_SET_METADATA, UNSUPPORTED_METADATA);
            name = metadata.string("name");
            namespace = metadata.string("namespace");
            labels = metadata.stringMap("labels");
            annotations = metadata.stringMap("annotations");
            visibility = visibility(labels, annotations);
            checkServiceAnnotations(annotations);
        }
        name = agree("metadata.name", name, pathName, "service");
        if (name == null && pathName == null && metadata != null && !metadata.has("name")) {
            violations.add(new FieldViolation("metadata.name", "is required: name the service, e.g. name: my-model"));
        }
        agree("metadata.namespace", namespace, pathNamespace, "namespace");
        Fields spec = root.object("spec");
        Template template = null;
        List<TrafficTarget> traffic = null;
        if (spec == null) {
            violations.add(new FieldViolation("spec", "is required: give spec.template.spec.containers"));
        } else {
            spec.check(List.of("template", "traffic"), List.of(), Map.of());
            template = template(spec.object("template"));
            traffic = traffic(spec);
        }
        if (!violations.isEmpty()) {
            throw InvalidInputException.invalid(violations);
        }
        return new KnativeService.Imported(new ServiceSpec(name, pathNamespace, labels == null || labels.isEmpty() ? null : labels,
                visibility, null, null, template, traffic, annotations == null || annotations.isEmpty() ? null : annotations, null),
                warnings);
    }

    /** The manifest's value, which must agree with the URL's; absent, the URL's. */
    private String agree(String field, String given, String fromPath, String what) {
        if (given != null && fromPath != null && !given.equals(fromPath)) {
            violations.add(new FieldViolation(field, "is '" + given + "' but the URL names " + what + " '" + fromPath
                    + "'; leave it out or make them match"));
        }
        return given != null ? given : fromPath;
    }

    /** Takes the visibility label (and Ebb's public annotation) out of the labels and annotations. */
    private String visibility(Map<String, String> labels, Map<String, String> annotations) {
        String label = labels == null ? null : labels.remove(KnativeService.VISIBILITY_LABEL);
        String publicly = annotations == null ? null : annotations.remove(KnativeService.EBB_VISIBILITY_ANNOTATION);
        if (label != null && !KnativeService.CLUSTER_LOCAL.equals(label)) {
            violations.add(new FieldViolation("metadata.labels." + KnativeService.VISIBILITY_LABEL, "is '" + label
                    + "'; Knative knows only 'cluster-local' (leave the label out for a public service, and in Ebb add the "
                    + "annotation " + KnativeService.EBB_VISIBILITY_ANNOTATION + ": public)"));
        }
        if (publicly != null && !KnativeService.PUBLIC.equals(publicly)) {
            violations.add(new FieldViolation("metadata.annotations." + KnativeService.EBB_VISIBILITY_ANNOTATION, "is '"
                    + publicly + "'; the only value is 'public' (cluster-local is the label "
                    + KnativeService.VISIBILITY_LABEL + ": cluster-local)"));
        }
        if (label != null && publicly != null) {
            violations.add(new FieldViolation("metadata.annotations." + KnativeService.EBB_VISIBILITY_ANNOTATION,
                    "makes the service public, but the label " + KnativeService.VISIBILITY_LABEL
                    + " makes it cluster-local; keep one"));
        }
        if (publicly != null) {
            return KnativeService.PUBLIC;
        }
        if (label == null) {
            warnings.add(KnativeService.DEFAULT_VISIBILITY_WARNING);
        }
        return ServiceRules.DEFAULT_VISIBILITY;
    }

    private void checkServiceAnnotations(Map<String, String> annotations) {
        if (annotations == null) {
            return;
        }
        annotations.keySet().forEach(key -> {
            String field = "metadata.annotations." + key;
            if (key.startsWith(AutoscalingAnnotations.PREFIX)) {
                violations.add(new FieldViolation(field, "autoscaling annotations act on revisions: move it to "
                        + "spec.template.metadata.annotations"));
            } else if (key.startsWith(RolloutRules.ANNOTATION_PREFIX) && !KnativeService.SERVICE_ANNOTATIONS.contains(key)) {
                violations.add(new FieldViolation(field, unknownKnativeKey(key, KnativeService.SERVICE_ANNOTATIONS)));
            } else if (KnativeService.isKnativeOwned(key) && !key.startsWith(RolloutRules.ANNOTATION_PREFIX)) {
                violations.add(new FieldViolation(field, "is not supported by Ebb: it has no equivalent of this Knative "
                        + "networking or feature setting"));
            }
        });
    }

    private static String unknownKnativeKey(String key, List<String> known) {
        return "is not a Knative annotation Ebb supports" + dev.ebb.spec.NearestName.among(key, known)
                .map(n -> "; did you mean '" + n + "'?").orElse("; Ebb supports " + String.join(", ", known) + " here");
    }

    private Template template(Fields template) {
        if (template == null) {
            violations.add(new FieldViolation("spec.template", "is required: give spec.template.spec.containers"));
            return null;
        }
        template.check(List.of("metadata", "spec"), List.of(), Map.of());
        String revisionName = null;
        Map<String, String> annotations = null;
        Fields metadata = template.object("metadata");
        if (metadata != null) {
            metadata.check(List.of("name", "annotations"), List.of("creationTimestamp"), Map.of(
                    "labels", "an Ebb revision carries its service's labels and none of its own",
                    "namespace", "a revision is in its service's namespace; leave it out",
                    "generateName", "give spec.template.metadata.name, or leave it out and Ebb names the revision",
                    "finalizers", UNSUPPORTED_METADATA.get("finalizers")));
            revisionName = metadata.string("name");
            annotations = metadata.stringMap("annotations");
            checkTemplateAnnotations(metadata, annotations);
        }
        Fields spec = template.object("spec");
        if (spec == null) {
            violations.add(new FieldViolation("spec.template.spec", "is required: give spec.template.spec.containers"));
            return null;
        }
        spec.check(List.of("containers", "containerConcurrency", "timeoutSeconds"), List.of(), UNSUPPORTED_POD);
        Integer concurrency = spec.integer("containerConcurrency");
        Integer timeout = spec.integer("timeoutSeconds");
        List<Object> containers = spec.list("containers");
        if (containers == null || containers.isEmpty()) {
            violations.add(new FieldViolation(spec.at("containers"), "must hold one container, e.g. - image: ghcr.io/acme/model:1"));
            return null;
        }
        for (int i = 1; i < containers.size(); i++) {
            violations.add(new FieldViolation(spec.at("containers") + "[" + i + "]", "is not supported by Ebb: a revision runs "
                    + "one container (no sidecars); run the others as services of their own"));
        }
        Fields container = Fields.of(spec.at("containers") + "[0]", containers.get(0), violations);
        if (container == null) {
            return null;
        }
        container.check(List.of("image", "command", "args", "env", "ports", "readinessProbe", "resources"), List.of(),
                UNSUPPORTED_CONTAINER);
        String image = container.string("image");
        Port port = port(container);
        return new Template(image, container.strings("command"), container.strings("args"), env(container), port.number(),
                port.protocol(), readiness(container, port.number()), timeout,
                concurrency == null ? null : new Template.Concurrency(concurrency, null, null), null,
                annotations == null || annotations.isEmpty() ? null : annotations, resources(container), null, revisionName);
    }

    /** Ebb checks the autoscaling ones with the template; other Knative-owned keys it does not know are refused here. */
    private void checkTemplateAnnotations(Fields metadata, Map<String, String> annotations) {
        if (annotations == null) {
            return;
        }
        annotations.keySet().forEach(key -> {
            if (KnativeService.isKnativeOwned(key) && !key.startsWith(AutoscalingAnnotations.PREFIX)) {
                violations.add(new FieldViolation(metadata.at("annotations") + "." + key, "is not supported by Ebb: it has "
                        + "no equivalent of this Knative revision setting"));
            }
        });
    }

    private record Port(Integer number, String protocol) {
    }

    private Port port(Fields container) {
        List<Object> ports = container.list("ports");
        if (ports == null || ports.isEmpty()) {
            return new Port(null, null);
        }
        for (int i = 1; i < ports.size(); i++) {
            violations.add(new FieldViolation(container.at("ports") + "[" + i + "]", "is not supported: a revision serves one "
                    + "port, as in Knative"));
        }
        Fields port = Fields.of(container.at("ports") + "[0]", ports.get(0), violations);
        if (port == null) {
            return new Port(null, null);
        }
        port.check(List.of("name", "containerPort"), List.of("protocol"), Map.of("hostPort", "Ebb routes to the port itself",
                "hostIP", "Ebb routes to the port itself"));
        String protocol = port.string("name");
        if (protocol != null && !ServiceRules.PROTOCOLS.contains(protocol)) {
            violations.add(new FieldViolation(port.at("name"), ServiceRules.oneOf(protocol, ServiceRules.PROTOCOLS)
                    + " (h2c is how gRPC is served)"));
        }
        String transport = port.string("protocol");
        if (transport != null && !"TCP".equals(transport)) {
            violations.add(new FieldViolation(port.at("protocol"), "is '" + transport + "'; Ebb serves TCP only"));
        }
        Integer number = port.integer("containerPort");
        if (number == null && !port.has("containerPort")) {
            violations.add(new FieldViolation(port.at("containerPort"), "is required: the port the container listens on"));
        }
        return new Port(number, protocol);
    }

    private Map<String, String> env(Fields container) {
        List<Object> items = container.list("env");
        if (items == null) {
            return null;
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i++) {
            Fields variable = Fields.of(container.at("env") + "[" + i + "]", items.get(i), violations);
            if (variable == null) {
                continue;
            }
            variable.check(List.of("name", "value"), List.of(), Map.of("valueFrom", "Ebb has no ConfigMaps or Secrets to read "
                    + "from; give the value"));
            String name = variable.string("name");
            String value = variable.string("value");
            if (name == null) {
                if (!variable.has("name")) {
                    violations.add(new FieldViolation(variable.at("name"), "is required"));
                }
            } else if (env.containsKey(name)) {
                violations.add(new FieldViolation(variable.at("name"), "'" + name + "' is set twice; set each variable once"));
            } else {
                env.put(name, value == null ? "" : value);
            }
        }
        return env;
    }

    private Template.Readiness readiness(Fields container, Integer port) {
        Fields probe = container.object("readinessProbe");
        if (probe == null) {
            return null;
        }
        probe.check(List.of("httpGet", "tcpSocket"), List.of("successThreshold"), Map.of(
                "exec", "Ebb probes over HTTP or TCP; use httpGet or tcpSocket",
                "grpc", "Ebb probes over HTTP or TCP; use httpGet or tcpSocket",
                "periodSeconds", PROBE_TUNING, "failureThreshold", PROBE_TUNING, "timeoutSeconds", PROBE_TUNING,
                "initialDelaySeconds", PROBE_TUNING, "terminationGracePeriodSeconds", PROBE_TUNING));
        Integer successes = probe.integer("successThreshold");
        if (successes != null && successes != 1) {
            violations.add(new FieldViolation(probe.at("successThreshold"), "is " + successes + "; Ebb takes one success as "
                    + "ready (1, Knative's default); leave it out"));
        }
        Fields http = probe.object("httpGet");
        Fields tcp = probe.object("tcpSocket");
        if (http != null && tcp != null) {
            violations.add(new FieldViolation(probe.path(), "give httpGet or tcpSocket, not both"));
        }
        Map<String, String> remote = Map.of("host", "Ebb probes the instance itself", "httpHeaders",
                "Ebb's probe sends no headers of your choice");
        if (http != null) {
            http.check(List.of("path", "port", "scheme"), List.of(), remote);
            probePort(http, port);
            String scheme = http.string("scheme");
            if (scheme != null && !"HTTP".equals(scheme)) {
                violations.add(new FieldViolation(http.at("scheme"), "is '" + scheme + "'; Ebb probes over plain HTTP"));
            }
            String path = http.string("path");
            return new Template.Readiness(path == null ? "/" : path, null);
        }
        if (tcp != null) {
            tcp.check(List.of("port"), List.of(), remote);
            probePort(tcp, port);
            return new Template.Readiness(null, true);
        }
        return null;
    }

    /** Knative probes the container's one port: a probe's port may only repeat it (0 is what Knative's defaults write). */
    private void probePort(Fields probe, Integer port) {
        Object given = probe.raw("port");
        if (given == null) {
            return;
        }
        Integer number = Fields.integer(probe.at("port"), given, violations);
        int served = port == null ? 8080 : port;
        if (number != null && number != 0 && number != served) {
            violations.add(new FieldViolation(probe.at("port"), "is " + number + " but the container serves port " + served
                    + "; Ebb probes the port it routes to, leave port out"));
        }
    }

    private Template.Resources resources(Fields container) {
        Fields resources = container.object("resources");
        if (resources == null) {
            return null;
        }
        resources.check(List.of("requests", "limits"), List.of(), Map.of("claims", "Ebb has no dynamic resource claims"));
        return new Template.Resources(quantities(resources, "requests"), quantities(resources, "limits"));
    }

    /** Kubernetes quantities are strings or whole numbers ({@code cpu: 1}); Ebb keeps them as strings. */
    private Map<String, String> quantities(Fields resources, String name) {
        Fields map = resources.object(name);
        if (map == null) {
            return null;
        }
        Map<String, String> quantities = new LinkedHashMap<>();
        Object raw = resources.raw(name);
        ((Map<?, ?>) raw).forEach((key, value) -> {
            if (value instanceof String || value instanceof Integer || value instanceof Long || value instanceof BigInteger) {
                quantities.put(String.valueOf(key), String.valueOf(value));
            } else {
                violations.add(new FieldViolation(map.at(String.valueOf(key)), "must be a quantity such as \"500m\" or \"1Gi\", is "
                        + Fields.describe(value)));
            }
        });
        return quantities;
    }

    private List<TrafficTarget> traffic(Fields spec) {
        List<Object> items = spec.list("traffic");
        if (items == null) {
            return null;
        }
        List<TrafficTarget> traffic = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Fields target = Fields.of(spec.at("traffic") + "[" + i + "]", items.get(i), violations);
            if (target == null) {
                continue;
            }
            target.check(List.of("revisionName", "latestRevision", "percent", "tag"), List.of(), Map.of(
                    "configurationName", "a service has one configuration, its template; use latestRevision: true",
                    "url", "it is status, set by Ebb; leave it out"));
            traffic.add(new TrafficTarget(target.string("revisionName"), target.bool("latestRevision"),
                    target.integer("percent"), target.string("tag")));
        }
        return traffic;
    }

    private static Map<String, String> unsupportedPod() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String field : List.of("volumes", "initContainers", "serviceAccountName", "automountServiceAccountToken",
                "imagePullSecrets", "affinity", "nodeSelector", "tolerations", "securityContext", "enableServiceLinks",
                "hostAliases", "dnsPolicy", "dnsConfig", "priorityClassName", "runtimeClassName", "schedulerName",
                "topologySpreadConstraints", "hostIPC", "hostPID", "hostNetwork", "shareProcessNamespace")) {
            m.put(field, POD_SPEC);
        }
        m.put("responseStartTimeoutSeconds", "Ebb has one request timeout, timeoutSeconds");
        m.put("idleTimeoutSeconds", "Ebb has one request timeout, timeoutSeconds");
        return m;
    }

    private static Map<String, String> unsupportedContainer() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("name", "a revision runs one container, which Ebb does not name");
        m.put("livenessProbe", "Ebb restarts an instance whose process exits, and probes readiness only");
        m.put("startupProbe", "Ebb probes readiness only");
        m.put("volumeMounts", "Ebb mounts no volumes");
        m.put("securityContext", POD_SPEC);
        m.put("envFrom", "Ebb has no ConfigMaps or Secrets to read from; list the variables in env");
        m.put("workingDir", POD_SPEC);
        m.put("imagePullPolicy", "Ebb resolves the image's tag to a digest when it makes the revision");
        m.put("lifecycle", POD_SPEC);
        m.put("terminationMessagePath", POD_SPEC);
        m.put("terminationMessagePolicy", POD_SPEC);
        m.put("stdin", POD_SPEC);
        m.put("tty", POD_SPEC);
        return m;
    }
}
