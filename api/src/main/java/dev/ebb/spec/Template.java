package dev.ebb.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * How to run one revision. Absent fields take the defaults in {@link TemplateDefaults} when a revision
 * is created, and the defaulted template is what the revision stores, so it never changes later.
 * {@code imagePolicy} is {@code none} (left out: the tag is resolved once, when the revision is made) or
 * {@code follow-tag} (a push of the tag, seen by a registry hook or the poll, makes a new revision with the new digest).
 * {@code annotations} are free-form, except that Knative's {@code autoscaling.knative.dev/*} names are
 * understood as aliases of the scale and concurrency fields (see {@link AutoscalingAnnotations}).
 * {@code revisionName}, left out, lets Ebb name the revision {@code <service>-<generation>}; given (Knative's
 * {@code spec.template.metadata.name}), it names the revision this template makes, starts with {@code <service>-}, and
 * cannot name a second, different template.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Template(
        String image,
        List<String> command,
        List<String> args,
        Map<String, String> env,
        Integer port,
        String protocol,
        Readiness readiness,
        Integer timeoutSeconds,
        Concurrency concurrency,
        Scale scale,
        Map<String, String> annotations,
        Resources resources,
        String imagePolicy,
        String revisionName) {

    /** {@code imagePolicy} that rolls out a new revision whenever the template's tag points to a new digest. */
    public static final String FOLLOW_TAG = "follow-tag";
    /** {@code imagePolicy} that keeps the digest the tag named when the revision was made (what leaving it out means). */
    public static final String NONE = "none";

    /** A template whose revision Ebb names. */
    public Template(String image, List<String> command, List<String> args, Map<String, String> env, Integer port,
            String protocol, Readiness readiness, Integer timeoutSeconds, Concurrency concurrency, Scale scale,
            Map<String, String> annotations, Resources resources, String imagePolicy) {
        this(image, command, args, env, port, protocol, readiness, timeoutSeconds, concurrency, scale, annotations, resources,
                imagePolicy, null);
    }

    /** A template that runs its image as given (no {@code imagePolicy}). */
    public Template(String image, List<String> command, List<String> args, Map<String, String> env, Integer port,
            String protocol, Readiness readiness, Integer timeoutSeconds, Concurrency concurrency, Scale scale,
            Map<String, String> annotations, Resources resources) {
        this(image, command, args, env, port, protocol, readiness, timeoutSeconds, concurrency, scale, annotations, resources,
                null);
    }

    /** Whether a push of the template's tag rolls out a new revision ({@code imagePolicy: follow-tag}). */
    public boolean followsTag() {
        return FOLLOW_TAG.equals(imagePolicy);
    }

    /** A template without annotations or resources. */
    public Template(String image, List<String> command, List<String> args, Map<String, String> env, Integer port,
            String protocol, Readiness readiness, Integer timeoutSeconds, Concurrency concurrency, Scale scale) {
        this(image, command, args, env, port, protocol, readiness, timeoutSeconds, concurrency, scale, null, null);
    }

    /** A template without resources. */
    public Template(String image, List<String> command, List<String> args, Map<String, String> env, Integer port,
            String protocol, Readiness readiness, Integer timeoutSeconds, Concurrency concurrency, Scale scale,
            Map<String, String> annotations) {
        this(image, command, args, env, port, protocol, readiness, timeoutSeconds, concurrency, scale, annotations, null);
    }

    /**
     * CPU and memory (and extended resources such as {@code nvidia.com/gpu}) an instance asks for and may use, in
     * Kubernetes' names and quantities: {@code {"requests": {"cpu": "500m", "memory": "1Gi"}, "limits": {...}}}. The
     * Kubernetes driver puts them on the container; the local runtime does not limit its processes.
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Resources(Map<String, String> requests, Map<String, String> limits) {
    }

    /** Either an HTTP GET of {@code path} or, with {@code tcp: true}, a TCP connect to the port. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Readiness(String path, Boolean tcp) {
    }

    /**
     * @param limit hard limit of in-flight requests per instance, 0 = unlimited (Knative containerConcurrency)
     * @param target in-flight requests (or requests per second with metric rps) per instance the autoscaler aims for
     * @param utilization percent of the target the autoscaler actually fills before adding instances
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Concurrency(Integer limit, Integer target, Integer utilization) {
    }

    /**
     * @param min instances kept even without traffic
     * @param max upper bound of instances, 0 = unlimited
     * @param initial instances started for a new revision
     * @param window stable window of the autoscaler, a duration such as {@code 60s}
     * @param scaleDownDelay how long a lower desired count must hold before scaling down
     * @param metric {@code concurrency} or {@code rps}
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Scale(Integer min, Integer max, Integer initial, String window, String scaleDownDelay, String metric) {
    }
}
