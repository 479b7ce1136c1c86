package dev.ebb.knative;

import dev.ebb.spec.AutoscalingAnnotations;
import dev.ebb.spec.Durations;
import dev.ebb.spec.Rollout;
import dev.ebb.spec.RolloutRules;
import dev.ebb.spec.ServiceRules;
import dev.ebb.spec.ServiceSpec;
import dev.ebb.spec.Template;
import dev.ebb.spec.TemplateDefaults;
import dev.ebb.spec.TrafficTarget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** Writes an Ebb service as the Knative Service that runs the same way; see {@link KnativeService#write}. */
final class KnativeExport {

    private final TemplateDefaults defaults;
    private final List<String> warnings = new ArrayList<>();

    private KnativeExport(TemplateDefaults defaults) {
        this.defaults = defaults;
    }

    static KnativeService.Exported write(ServiceSpec service, TemplateDefaults defaults) {
        KnativeExport export = new KnativeExport(defaults);
        return new KnativeService.Exported(export.service(service), export.warnings);
    }

    private Map<String, Object> service(ServiceSpec s) {
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("apiVersion", KnativeService.API_VERSION);
        manifest.put("kind", KnativeService.KIND);
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", s.name());
        metadata.put("namespace", s.namespace());
        Map<String, String> labels = new TreeMap<>(s.labels() == null ? Map.of() : s.labels());
        Map<String, String> annotations = new TreeMap<>(s.annotations() == null ? Map.of() : s.annotations());
        if (s.rollout() != null && Rollout.GRADUAL.equals(s.rollout().strategy()) && s.rollout().duration() != null) {
            annotations.putIfAbsent(RolloutRules.ROLLOUT_DURATION, s.rollout().duration());
        }
        if (KnativeService.PUBLIC.equals(s.visibility())) {
            annotations.put(KnativeService.EBB_VISIBILITY_ANNOTATION, KnativeService.PUBLIC);
        } else {
            labels.put(KnativeService.VISIBILITY_LABEL, KnativeService.CLUSTER_LOCAL);
        }
        putIfAny(metadata, "labels", labels);
        putIfAny(metadata, "annotations", annotations);
        manifest.put("metadata", metadata);
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("template", template(s.template()));
        spec.put("traffic", traffic(s.traffic()));
        manifest.put("spec", spec);
        warnAboutEbbOnly(s);
        return manifest;
    }

    private Map<String, Object> template(Template t) {
        Map<String, Object> template = new LinkedHashMap<>();
        Map<String, Object> metadata = new LinkedHashMap<>();
        if (t.revisionName() != null) {
            metadata.put("name", t.revisionName());
        }
        putIfAny(metadata, "annotations", annotations(t));
        if (!metadata.isEmpty()) {
            template.put("metadata", metadata);
        }
        Map<String, Object> spec = new LinkedHashMap<>();
        if (t.concurrency() != null && t.concurrency().limit() != null) {
            spec.put("containerConcurrency", t.concurrency().limit());
        }
        if (t.timeoutSeconds() != null) {
            spec.put("timeoutSeconds", t.timeoutSeconds());
        }
        spec.put("containers", List.of(container(t)));
        template.put("spec", spec);
        return template;
    }

    private Map<String, Object> container(Template t) {
        Map<String, Object> container = new LinkedHashMap<>();
        if (t.image() == null) {
            warnings.add("the template runs a command and names no image, which Knative needs: "
                    + "spec.template.spec.containers[0].image is missing");
        } else {
            container.put("image", t.image());
        }
        if (t.command() != null && !t.command().isEmpty()) {
            container.put("command", t.command());
        }
        if (t.args() != null && !t.args().isEmpty()) {
            container.put("args", t.args());
        }
        if (t.env() != null && !t.env().isEmpty()) {
            List<Map<String, Object>> env = new ArrayList<>();
            // By name: the order Ebb stores is not kept, and Ebb expands no $(VAR) references, for which order would matter.
            new TreeMap<>(t.env()).forEach((name, value) -> {
                Map<String, Object> variable = new LinkedHashMap<>();
                variable.put("name", name);
                variable.put("value", value);
                env.add(variable);
            });
            container.put("env", env);
        }
        Map<String, Object> port = new LinkedHashMap<>();
        port.put("name", t.protocol() == null ? defaults.protocol() : t.protocol());
        port.put("containerPort", t.port() == null ? defaults.port() : t.port());
        container.put("ports", List.of(port));
        Map<String, Object> probe = new LinkedHashMap<>();
        if (t.readiness() != null && t.readiness().path() != null) {
            probe.put("httpGet", Map.of("path", t.readiness().path()));
        } else {
            probe.put("tcpSocket", Map.of());
        }
        container.put("readinessProbe", probe);
        if (t.resources() != null) {
            Map<String, Object> resources = new LinkedHashMap<>();
            putIfAny(resources, "requests", t.resources().requests());
            putIfAny(resources, "limits", t.resources().limits());
            putIfAny(container, "resources", resources);
        }
        return container;
    }

    /** The template's annotations, plus one for each scale setting that differs from the default and has none. */
    private Map<String, String> annotations(Template t) {
        Map<String, String> a = new TreeMap<>(t.annotations() == null ? Map.of() : t.annotations());
        Template.Scale s = t.scale();
        if (s != null) {
            String metric = s.metric() == null ? defaults.metric() : s.metric();
            derive(a, s.min(), defaults.minScale(), "min-scale", "minScale");
            derive(a, s.max(), defaults.maxScale(), "max-scale", "maxScale");
            derive(a, s.initial(), defaults.initialScale(), "initial-scale");
            deriveDuration(a, s.window(), defaults.window(), "window");
            deriveDuration(a, s.scaleDownDelay(), defaults.scaleDownDelay(), "scale-down-delay");
            derive(a, metric, defaults.metric(), "metric");
            Template.Concurrency c = t.concurrency();
            if (c != null) {
                derive(a, c.target(), "rps".equals(metric) ? defaults.rpsTarget() : defaults.concurrencyTarget(), "target");
                derive(a, c.utilization(), defaults.utilization(), "target-utilization-percentage");
            }
        }
        return a;
    }

    private static void derive(Map<String, String> a, Object value, Object fallback, String... names) {
        for (String name : names) {
            if (a.containsKey(AutoscalingAnnotations.PREFIX + name)) {
                return;
            }
        }
        if (value != null && !Objects.equals(value, fallback)) {
            a.put(AutoscalingAnnotations.PREFIX + names[0], String.valueOf(value));
        }
    }

    private static void deriveDuration(Map<String, String> a, String value, Duration fallback, String name) {
        if (value != null && !Durations.parse(value).equals(java.util.Optional.of(fallback))) {
            derive(a, value, null, name);
        }
    }

    private static List<Map<String, Object>> traffic(List<TrafficTarget> targets) {
        List<TrafficTarget> given = targets == null ? List.of(TrafficTarget.latest(100)) : targets;
        List<Map<String, Object>> traffic = new ArrayList<>();
        for (TrafficTarget t : given) {
            Map<String, Object> target = new LinkedHashMap<>();
            if (t.followsLatest()) {
                target.put("latestRevision", true);
            } else {
                target.put("revisionName", t.revision());
            }
            target.put("percent", t.percentOrZero());
            if (t.tag() != null) {
                target.put("tag", t.tag());
            }
            traffic.add(target);
        }
        return traffic;
    }

    private void warnAboutEbbOnly(ServiceSpec s) {
        if (s.coldStartSlo() != null && !s.coldStartSlo().equals(ServiceRules.DEFAULT_COLD_START_SLO)) {
            warnings.add("coldStartSlo " + s.coldStartSlo() + " has no Knative equivalent and is not in the manifest");
        }
        if (s.rollout() != null && !s.rollout().isImmediate() && !Rollout.GRADUAL.equals(s.rollout().strategy())) {
            warnings.add("the " + s.rollout().strategy() + " rollout has no Knative equivalent and is not in the manifest");
        }
        if (s.template() != null && s.template().followsTag()) {
            warnings.add("imagePolicy follow-tag has no Knative equivalent and is not in the manifest");
        }
        if (s.placement() != null && s.placement().clusters() != null && s.placement().clusters().size() > 1) {
            warnings.add("the placement on " + s.placement().clusters().size()
                    + " clusters has no Knative equivalent and is not in the manifest");
        }
    }

    private static void putIfAny(Map<String, Object> into, String name, Map<String, ?> value) {
        if (value != null && !value.isEmpty()) {
            into.put(name, value);
        }
    }
}
