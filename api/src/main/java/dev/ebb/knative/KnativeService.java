package dev.ebb.knative;

import dev.ebb.problem.FieldViolation;
import dev.ebb.spec.RolloutRules;
import dev.ebb.spec.ServiceSpec;
import dev.ebb.spec.TemplateDefaults;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Knative Serving's {@code serving.knative.dev/v1} Service, read as and written from Ebb's service document. A manifest is
 * the parsed tree of YAML or JSON: maps with string keys, lists, strings, whole numbers, booleans.
 *
 * <p>Ebb keeps services cluster-local unless told otherwise, where Knative makes them public: a manifest without the
 * label {@code networking.knative.dev/visibility: cluster-local} stays cluster-local and the import says so in a
 * warning. Ebb's own annotation {@code ebb.dev/visibility: public} (which Knative ignores) makes it public.
 */
public final class KnativeService {

    public static final String API_VERSION = "serving.knative.dev/v1";
    public static final String KIND = "Service";
    public static final String VISIBILITY_LABEL = "networking.knative.dev/visibility";
    public static final String CLUSTER_LOCAL = "cluster-local";
    public static final String PUBLIC = "public";
    /** Ebb's annotation for a public service: Knative's default, which Ebb does not take from a missing label. */
    public static final String EBB_VISIBILITY_ANNOTATION = "ebb.dev/visibility";
    public static final String DEFAULT_VISIBILITY_WARNING = "metadata.labels has no " + VISIBILITY_LABEL + ": " + CLUSTER_LOCAL
            + "; Knative would make this service public, Ebb keeps it cluster-local. To make it public, add the annotation "
            + EBB_VISIBILITY_ANNOTATION + ": public; to keep it cluster-local and silence this warning, add the label";
    /** The Knative annotations of a Service (not of its template) that Ebb understands or keeps. */
    static final List<String> SERVICE_ANNOTATIONS = List.of(RolloutRules.ROLLOUT_DURATION, "serving.knative.dev/creator",
            "serving.knative.dev/lastModifier");
    private static final List<String> KNATIVE_PREFIXES = List.of("serving.knative.dev/", "autoscaling.knative.dev/",
            "networking.knative.dev/", "features.knative.dev/", "networking.internal.knative.dev/");

    private KnativeService() {
    }

    /** An Ebb service document read from a Knative manifest, with what the reader should know about it. */
    public record Imported(ServiceSpec spec, List<String> warnings) {
        public Imported {
            warnings = List.copyOf(warnings);
        }
    }

    /** A Knative manifest written from an Ebb service, with what it could not say. */
    public record Exported(Map<String, Object> manifest, List<String> warnings) {
        public Exported {
            warnings = List.copyOf(warnings);
        }
    }

    /** Whether a parsed body names itself a Knative Service ({@code apiVersion} and {@code kind} as Knative's). */
    public static boolean isKnativeService(Object body) {
        return body instanceof Map<?, ?> map && API_VERSION.equals(map.get("apiVersion")) && KIND.equals(map.get("kind"));
    }

    /** Whether a parsed body looks like a Kubernetes object ({@code apiVersion} or {@code kind}), which Ebb's document never has. */
    public static boolean isManifest(Object body) {
        return body instanceof Map<?, ?> map && (map.containsKey("apiVersion") || map.containsKey("kind"));
    }

    /**
     * Ebb's service document for a Knative Service, or an {@link dev.ebb.problem.InvalidInputException} listing every
     * field Ebb cannot take, each by its path in the manifest.
     *
     * @param namespace the namespace the URL names; the manifest's must agree, or be left out
     * @param name the service the URL names, null when creating; the manifest's must agree
     */
    public static Imported read(Map<String, Object> manifest, String namespace, String name) {
        return KnativeImport.read(manifest, namespace, name);
    }

    /**
     * The Knative Service for an Ebb service whose template is defaulted (as stored), spelling out what Knative's own
     * defaulting would spell out ({@code containerConcurrency}, {@code timeoutSeconds}, the port, the readiness probe,
     * the traffic), and as autoscaling annotations the scale settings that differ from {@code defaults}.
     */
    public static Exported write(ServiceSpec service, TemplateDefaults defaults) {
        return KnativeExport.write(service, defaults);
    }

    /** Whether an annotation or label key belongs to one of Knative's own prefixes. */
    static boolean isKnativeOwned(String key) {
        return KNATIVE_PREFIXES.stream().anyMatch(key::startsWith);
    }

    private static final Pattern TEMPLATE_FIELD = Pattern.compile("template\\.(\\w+)(.*)");

    /**
     * The path in a Knative manifest of a field of Ebb's document, so that problems Ebb's rules find in an imported
     * manifest name what the manifest says: {@code template.port} is {@code spec.template.spec.containers[0].ports[0].containerPort}.
     */
    public static FieldViolation inManifest(FieldViolation violation) {
        return new FieldViolation(manifestPath(violation.field()), violation.message());
    }

    static String manifestPath(String field) {
        if (field == null || field.isEmpty()) {
            return field;
        }
        String container = "spec.template.spec.containers[0]";
        if (field.equals("name") || field.equals("namespace")) {
            return "metadata." + field;
        }
        if (field.startsWith("labels") || field.startsWith("annotations")) {
            return "metadata." + field;
        }
        if (field.startsWith("traffic")) {
            return "spec." + field.replaceFirst("^(traffic\\[\\d+])\\.revision$", "$1.revisionName");
        }
        Matcher m = TEMPLATE_FIELD.matcher(field);
        if (!m.matches()) {
            return field;
        }
        String rest = m.group(2);
        return switch (m.group(1)) {
            case "image", "command", "args", "env", "resources" -> container + "." + m.group(1) + rest;
            case "port" -> container + ".ports[0].containerPort";
            case "protocol" -> container + ".ports[0].name";
            case "readiness" -> container + ".readinessProbe";
            case "timeoutSeconds" -> "spec.template.spec.timeoutSeconds";
            case "concurrency" -> rest.equals(".limit") ? "spec.template.spec.containerConcurrency"
                    : "spec.template.metadata.annotations";
            case "scale" -> "spec.template.metadata.annotations";
            case "annotations" -> "spec.template.metadata.annotations" + rest;
            case "revisionName" -> "spec.template.metadata.name";
            default -> field;
        };
    }
}
