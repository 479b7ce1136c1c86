package dev.ebb.spec;

import dev.ebb.problem.FieldViolation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** Validates a service's own fields and its template, and fills in a template's defaults. */
public final class ServiceRules {

    public static final Set<String> VISIBILITIES = Set.of("cluster-local", "public");
    public static final Set<String> PROTOCOLS = Set.of("http1", "h2c");
    public static final Set<String> METRICS = Set.of("concurrency", "rps");
    public static final Set<String> IMAGE_POLICIES = Set.of(Template.NONE, Template.FOLLOW_TAG);
    public static final int MAX_TIMEOUT_SECONDS = 600;
    public static final int MAX_CONCURRENCY = 1000;
    public static final Duration MIN_WINDOW = Duration.ofSeconds(6);
    public static final Duration MAX_WINDOW = Duration.ofHours(1);
    public static final Duration MAX_SCALE_DOWN_DELAY = Duration.ofHours(1);
    public static final Duration MAX_COLD_START_SLO = Duration.ofHours(1);
    public static final String DEFAULT_VISIBILITY = "cluster-local";
    public static final String DEFAULT_COLD_START_SLO = "10s";

    private static final Pattern LABEL_NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern ENV_NAME = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");

    private ServiceRules() {
    }

    /** Everything wrong with the service-level fields and the (already defaulted) template. */
    public static List<FieldViolation> validate(String namespace, String name, ServiceSpec spec, Template template) {
        List<FieldViolation> violations = new ArrayList<>();
        check(violations, "namespace", Names.dns1123Problem(namespace, Names.MAX_LABEL));
        if (spec.namespace() != null && !spec.namespace().equals(namespace)) {
            violations.add(new FieldViolation("namespace", "is '" + spec.namespace() + "' but the URL names namespace '"
                    + namespace + "'; leave it out or make them match"));
        }
        check(violations, "name", Names.dns1123Problem(name, Names.MAX_SERVICE_NAME));
        validateLabels(violations, spec.labels());
        if (spec.visibility() != null && !VISIBILITIES.contains(spec.visibility())) {
            violations.add(new FieldViolation("visibility", oneOf(spec.visibility(), VISIBILITIES)));
        }
        validatePlacement(violations, spec.placement());
        violations.addAll(RolloutRules.validate(spec.annotations(), RolloutRules.withDefaults(spec.rollout(), spec.annotations())));
        if (spec.coldStartSlo() != null) {
            checkDuration(violations, "coldStartSlo", spec.coldStartSlo(), Duration.ofMillis(1), MAX_COLD_START_SLO);
        }
        if (template == null) {
            violations.add(new FieldViolation("template", "is required: give at least 'image' or 'command'"));
        } else {
            validateTemplate(violations, template);
        }
        return violations;
    }

    /** The most clusters one service may be placed on, and the largest weight one cluster may have. */
    public static final int MAX_PLACEMENT_CLUSTERS = 16;
    public static final int MAX_PLACEMENT_WEIGHT = 1000;

    /**
     * The placement's own shape: one or more distinct cluster names, each a DNS-1123 label, and weights (if any) only for
     * those clusters, each from 1 to {@link #MAX_PLACEMENT_WEIGHT}. Whether the clusters are registered is the control
     * plane's business.
     */
    private static void validatePlacement(List<FieldViolation> violations, Placement placement) {
        if (placement == null) {
            return;
        }
        List<String> clusters = placement.clusters();
        if (clusters == null || clusters.isEmpty()) {
            violations.add(new FieldViolation("placement.clusters",
                    "must name the cluster to run on, e.g. \"placement\": {\"clusters\": [\"local\"]}; leave placement out for the default"));
            return;
        }
        for (int i = 0; i < clusters.size(); i++) {
            check(violations, "placement.clusters[" + i + "]", Names.dns1123Problem(clusters.get(i), Names.MAX_LABEL));
            if (clusters.indexOf(clusters.get(i)) < i) {
                violations.add(new FieldViolation("placement.clusters[" + i + "]", "names '" + clusters.get(i)
                        + "' a second time; name each cluster once"));
            }
        }
        if (clusters.size() > MAX_PLACEMENT_CLUSTERS) {
            violations.add(new FieldViolation("placement.clusters", "names " + clusters.size() + " clusters; a service runs on at most "
                    + MAX_PLACEMENT_CLUSTERS));
        }
        new TreeMap<>(placement.weights()).forEach((cluster, weight) -> {
            String field = "placement.weights." + cluster;
            if (!clusters.contains(cluster)) {
                String hint = NearestName.among(cluster, clusters).map(n -> "did you mean '" + n + "'? ").orElse("");
                violations.add(new FieldViolation(field, "weighs cluster '" + cluster + "', which placement.clusters does not name; "
                        + hint + "weights apply to the clusters listed: " + String.join(", ", clusters)));
            } else if (weight == null || weight < 1 || weight > MAX_PLACEMENT_WEIGHT) {
                violations.add(new FieldViolation(field, "is " + weight + "; a weight is a whole number from 1 to "
                        + MAX_PLACEMENT_WEIGHT + " (leave a cluster out of weights to give it 1)"));
            }
        });
    }

    /**
     * What the cluster's policy forbids in a (defaulted) template: as in Knative, a revision may start at zero
     * only where the cluster allows it, since it then never shows that it works before traffic reaches it.
     */
    public static List<FieldViolation> clusterPolicy(Template template, TemplateDefaults defaults) {
        if (template == null) {
            return List.of();
        }
        List<FieldViolation> violations = new ArrayList<>();
        if (template.scale().initial() == 0 && !defaults.allowZeroInitialScale()) {
            violations.add(new FieldViolation("template.scale.initial", "is 0, which this cluster does not allow: a revision "
                    + "that starts at zero cannot show it works before it gets traffic. Use 1 or more, or set "
                    + "ebb.autoscaler.allow-zero-initial-scale=true (Knative's allow-zero-initial-scale)"));
        }
        Template.Scale s = template.scale();
        checkScaleLimit(violations, template, "template.scale.min", s.min(), defaults.maxScaleLimit(), "min-scale", "minScale");
        checkScaleLimit(violations, template, "template.scale.max", s.max(), defaults.maxScaleLimit(), "max-scale", "maxScale");
        checkScaleLimit(violations, template, "template.scale.initial", s.initial(), defaults.maxScaleLimit(), "initial-scale");
        return violations;
    }

    /**
     * One instance count against the cluster's limit, so that no single request can ask a cluster for more
     * processes than it can run. The violation names the annotation when the count came from one.
     */
    private static void checkScaleLimit(List<FieldViolation> v, Template template, String field, int count, int limit,
            String... annotations) {
        if (count <= limit) {
            return;
        }
        String named = field;
        Map<String, String> given = template.annotations() == null ? Map.of() : template.annotations();
        for (String annotation : annotations) {
            if (given.containsKey(AutoscalingAnnotations.PREFIX + annotation)) {
                named = "template.annotations." + AutoscalingAnnotations.PREFIX + annotation;
            }
        }
        v.add(new FieldViolation(named, "is " + count + ", more than this cluster's limit of " + limit
                + " instances per revision; use at most " + limit + ", or have an operator raise "
                + "ebb.runtime.max-scale-limit (EBB_RUNTIME_MAX_SCALE_LIMIT)"));
    }

    /** The template with every absent field set from the defaults and durations in canonical form. */
    public static Template withDefaults(Template given, TemplateDefaults d) {
        Template t = AutoscalingAnnotations.fold(given);
        Template.Concurrency c = t.concurrency() == null ? new Template.Concurrency(null, null, null) : t.concurrency();
        Template.Scale s = t.scale() == null ? new Template.Scale(null, null, null, null, null, null) : t.scale();
        String metric = s.metric() == null ? d.metric() : s.metric();
        int defaultTarget = "rps".equals(metric) ? d.rpsTarget() : d.concurrencyTarget();
        return new Template(
                t.image(),
                t.command() == null || t.command().isEmpty() ? null : t.command(),
                t.args() == null || t.args().isEmpty() ? null : t.args(),
                t.env() == null ? Map.of() : new TreeMap<>(t.env()),
                t.port() == null ? d.port() : t.port(),
                t.protocol() == null ? d.protocol() : t.protocol(),
                readinessWithDefault(t.readiness()),
                t.timeoutSeconds() == null ? d.timeoutSeconds() : t.timeoutSeconds(),
                new Template.Concurrency(
                        c.limit() == null ? d.concurrencyLimit() : c.limit(),
                        c.target() == null ? defaultTarget : c.target(),
                        c.utilization() == null ? d.utilization() : c.utilization()),
                new Template.Scale(
                        s.min() == null ? d.minScale() : s.min(),
                        s.max() == null ? d.maxScale() : s.max(),
                        s.initial() == null ? d.initialScale() : s.initial(),
                        canonicalDuration(s.window(), d.window()),
                        canonicalDuration(s.scaleDownDelay(), d.scaleDownDelay()),
                        metric),
                t.annotations() == null || t.annotations().isEmpty() ? null : new TreeMap<>(t.annotations()),
                resourcesWithoutEmpty(t.resources()),
                t.imagePolicy(),
                t.revisionName());
    }

    private static Template.Resources resourcesWithoutEmpty(Template.Resources r) {
        if (r == null) {
            return null;
        }
        Map<String, String> requests = r.requests() == null || r.requests().isEmpty() ? null : new TreeMap<>(r.requests());
        Map<String, String> limits = r.limits() == null || r.limits().isEmpty() ? null : new TreeMap<>(r.limits());
        return requests == null && limits == null ? null : new Template.Resources(requests, limits);
    }

    /** The canonical spelling of a duration field, or the text unchanged when it does not parse (validation reports it). */
    public static String canonicalDuration(String text, Duration fallback) {
        if (text == null) {
            return Durations.format(fallback);
        }
        return Durations.parse(text).map(Durations::format).orElse(text);
    }

    private static Template.Readiness readinessWithDefault(Template.Readiness readiness) {
        if (readiness == null) {
            return new Template.Readiness(null, true);
        }
        if (readiness.path() != null && Boolean.FALSE.equals(readiness.tcp())) {
            return new Template.Readiness(readiness.path(), null);
        }
        return readiness;
    }

    private static void validateTemplate(List<FieldViolation> v, Template t) {
        boolean hasImage = t.image() != null;
        boolean hasCommand = t.command() != null && !t.command().isEmpty();
        if (!hasImage && !hasCommand) {
            v.add(new FieldViolation("template", "needs 'image' or 'command' (or both): nothing says what to run"));
        }
        if (hasImage) {
            check(v, "template.image", ImageReference.problem(t.image()));
        }
        checkImagePolicy(v, t);
        Quantities.validate(v, "template.resources", t.resources());
        checkArgv(v, "template.command", t.command());
        checkArgv(v, "template.args", t.args());
        t.env().forEach((key, value) -> {
            if (key == null || !ENV_NAME.matcher(key).matches()) {
                v.add(new FieldViolation("template.env." + key, "is not a valid environment variable name (letters, digits, '_', '-', '.', not starting with a digit)"));
            } else if ("PORT".equals(key)) {
                v.add(new FieldViolation("template.env.PORT", "is set by Ebb to the port each instance must listen on; set 'template.port' instead"));
            } else if (value == null) {
                v.add(new FieldViolation("template.env." + key, "must be a string; use \"\" for an empty value"));
            }
        });
        checkRange(v, "template.port", t.port(), 1, 65535);
        if (!PROTOCOLS.contains(t.protocol())) {
            v.add(new FieldViolation("template.protocol", oneOf(t.protocol(), PROTOCOLS) + " (h2c is how gRPC is served)"));
        }
        Template.Readiness r = t.readiness();
        boolean tcp = Boolean.TRUE.equals(r.tcp());
        if (r.path() != null && tcp) {
            v.add(new FieldViolation("template.readiness", "set either 'path' (an HTTP GET) or 'tcp: true', not both"));
        } else if (r.path() == null && !tcp) {
            v.add(new FieldViolation("template.readiness", "set 'path' (an HTTP GET such as '/healthz') or 'tcp: true'"));
        } else if (r.path() != null && !r.path().startsWith("/")) {
            v.add(new FieldViolation("template.readiness.path", "must start with '/', e.g. '/healthz'"));
        } else if (r.path() != null && !r.path().chars().allMatch(ch -> ch > ' ' && ch < 0x7f)) {
            v.add(new FieldViolation("template.readiness.path", "must be printable ASCII without spaces, line breaks or "
                    + "other control characters; percent-encode anything else (e.g. '%20')"));
        }
        checkRange(v, "template.timeoutSeconds", t.timeoutSeconds(), 1, MAX_TIMEOUT_SECONDS);
        Template.Concurrency c = t.concurrency();
        checkRange(v, "template.concurrency.limit", c.limit(), 0, MAX_CONCURRENCY);
        checkRange(v, "template.concurrency.target", c.target(), 1, MAX_CONCURRENCY);
        checkRange(v, "template.concurrency.utilization", c.utilization(), 1, 100);
        Template.Scale s = t.scale();
        checkRange(v, "template.scale.min", s.min(), 0, Integer.MAX_VALUE);
        checkRange(v, "template.scale.max", s.max(), 0, Integer.MAX_VALUE);
        checkRange(v, "template.scale.initial", s.initial(), 0, Integer.MAX_VALUE);
        if (s.max() > 0 && s.min() > s.max()) {
            v.add(new FieldViolation("template.scale.min", "is " + s.min() + ", more than scale.max " + s.max()));
        }
        if (s.max() > 0 && s.initial() > s.max()) {
            v.add(new FieldViolation("template.scale.initial", "is " + s.initial() + ", more than scale.max " + s.max()));
        }
        checkDuration(v, "template.scale.window", s.window(), MIN_WINDOW, MAX_WINDOW);
        checkDuration(v, "template.scale.scaleDownDelay", s.scaleDownDelay(), Duration.ZERO, MAX_SCALE_DOWN_DELAY);
        if (!METRICS.contains(s.metric())) {
            v.add(new FieldViolation("template.scale.metric", oneOf(s.metric(), METRICS)));
        }
        v.addAll(AutoscalingAnnotations.validate(t));
    }

    /** {@code follow-tag} needs a tag to follow: an image named by tag, not by digest. */
    private static void checkImagePolicy(List<FieldViolation> v, Template t) {
        String policy = t.imagePolicy();
        if (policy == null) {
            return;
        }
        if (!IMAGE_POLICIES.contains(policy)) {
            v.add(new FieldViolation("template.imagePolicy", oneOf(policy, IMAGE_POLICIES)));
        } else if (t.followsTag() && t.image() == null) {
            v.add(new FieldViolation("template.imagePolicy", "is 'follow-tag', but the template names no image whose tag "
                    + "could be followed; add 'image' with a tag, e.g. \"registry.example.com/acme/model:stable\""));
        } else if (t.followsTag() && t.image().contains("@")) {
            v.add(new FieldViolation("template.imagePolicy", "is 'follow-tag', but the image names a digest, which never "
                    + "moves; name the tag to follow instead, e.g. \"" + t.image().substring(0, t.image().indexOf('@'))
                    + ":stable\""));
        }
    }

    private static void validateLabels(List<FieldViolation> v, Map<String, String> labels) {
        if (labels == null) {
            return;
        }
        labels.forEach((key, value) -> {
            String field = "labels." + key;
            String name = key;
            int slash = key.indexOf('/');
            if (slash >= 0) {
                String prefix = key.substring(0, slash);
                name = key.substring(slash + 1);
                if (prefix.length() > 253 || !DNS_SUBDOMAIN.matcher(prefix).matches()) {
                    v.add(new FieldViolation(field, "the prefix '" + prefix + "' must be a DNS subdomain such as 'example.com'"));
                }
            }
            if (name.isEmpty() || name.length() > Names.MAX_LABEL || !LABEL_NAME.matcher(name).matches()) {
                v.add(new FieldViolation(field, "a label key must be at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit"));
            }
            if (value == null) {
                v.add(new FieldViolation(field, "a label value must be a string; use \"\" for an empty value"));
            } else if (value.length() > Names.MAX_LABEL || (!value.isEmpty() && !LABEL_NAME.matcher(value).matches())) {
                v.add(new FieldViolation(field, "the value '" + value + "' must be at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit"));
            }
        });
    }

    private static void checkArgv(List<FieldViolation> v, String field, List<String> argv) {
        if (argv == null) {
            return;
        }
        for (int i = 0; i < argv.size(); i++) {
            if (argv.get(i) == null) {
                v.add(new FieldViolation(field + "[" + i + "]", "must be a string"));
            }
        }
        if (field.endsWith("command") && !argv.isEmpty() && argv.get(0) != null && argv.get(0).isBlank()) {
            v.add(new FieldViolation(field + "[0]", "the program to run must not be blank"));
        }
    }

    private static void checkRange(List<FieldViolation> v, String field, int value, int min, int max) {
        if (value < min || value > max) {
            String range = max == Integer.MAX_VALUE ? "at least " + min : "between " + min + " and " + max;
            v.add(new FieldViolation(field, "must be " + range + ", is " + value));
        }
    }

    private static void checkDuration(List<FieldViolation> v, String field, String text, Duration min, Duration max) {
        Optional<Duration> parsed = Durations.parse(text);
        if (parsed.isEmpty()) {
            v.add(new FieldViolation(field, "'" + text + "' is not a duration; write it like '500ms', '10s', '1m30s' or '1h'"));
        } else if (parsed.get().compareTo(min) < 0 || parsed.get().compareTo(max) > 0) {
            v.add(new FieldViolation(field, "must be between " + Durations.format(min) + " and " + Durations.format(max) + ", is " + text));
        }
    }

    private static void check(List<FieldViolation> v, String field, String problem) {
        if (problem != null) {
            v.add(new FieldViolation(field, problem));
        }
    }

    /** A message for a value outside an enumeration, suggesting the nearest allowed value. */
    public static String oneOf(String value, Set<String> allowed) {
        String list = String.join("', '", allowed.stream().sorted().toList());
        String hint = value == null ? "" : NearestName.among(value, allowed).map(s -> "; did you mean '" + s + "'?").orElse("");
        return "'" + value + "' is not allowed: use one of '" + list + "'" + hint;
    }
}
