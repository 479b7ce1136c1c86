package dev.ebb.spec;

import dev.ebb.problem.FieldViolation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * Knative's per-revision autoscaling annotations ({@code autoscaling.knative.dev/*}), so that templates written
 * for Knative keep their meaning. Those with a field of their own are aliases: the annotation fills the field
 * when the field is absent, and the two must agree when both are given. The others are read from the
 * annotation itself. An unknown name under the prefix is an error, never silently ignored.
 */
public final class AutoscalingAnnotations {

    public static final String PREFIX = "autoscaling.knative.dev/";
    public static final String ACTIVATION_SCALE = PREFIX + "activation-scale";
    public static final String PANIC_WINDOW_PERCENTAGE = PREFIX + "panic-window-percentage";
    public static final String PANIC_THRESHOLD_PERCENTAGE = PREFIX + "panic-threshold-percentage";
    public static final String SCALE_TO_ZERO_RETENTION = PREFIX + "scale-to-zero-pod-retention-period";
    /** Whether the gateway buffers a revision's requests, from the burst it should take at once (Knative's activator). */
    public static final String TARGET_BURST_CAPACITY = PREFIX + "target-burst-capacity";
    public static final String CLASS = PREFIX + "class";
    public static final String KPA_CLASS = "kpa.autoscaling.knative.dev";

    /** Annotation name to the template field it stands for. */
    private static final Map<String, String> ALIASES = new LinkedHashMap<>();

    static {
        ALIASES.put(PREFIX + "min-scale", "template.scale.min");
        ALIASES.put(PREFIX + "minScale", "template.scale.min");
        ALIASES.put(PREFIX + "max-scale", "template.scale.max");
        ALIASES.put(PREFIX + "maxScale", "template.scale.max");
        ALIASES.put(PREFIX + "initial-scale", "template.scale.initial");
        ALIASES.put(PREFIX + "window", "template.scale.window");
        ALIASES.put(PREFIX + "scale-down-delay", "template.scale.scaleDownDelay");
        ALIASES.put(PREFIX + "metric", "template.scale.metric");
        ALIASES.put(PREFIX + "target", "template.concurrency.target");
        ALIASES.put(PREFIX + "target-utilization-percentage", "template.concurrency.utilization");
    }

    private static final List<String> OWN = List.of(ACTIVATION_SCALE, PANIC_WINDOW_PERCENTAGE, PANIC_THRESHOLD_PERCENTAGE,
            SCALE_TO_ZERO_RETENTION, TARGET_BURST_CAPACITY, CLASS);

    private AutoscalingAnnotations() {
    }

    /** Every name understood under the prefix. */
    public static List<String> known() {
        List<String> names = new ArrayList<>(ALIASES.keySet());
        names.addAll(OWN);
        return names;
    }

    /** The template with absent scale and concurrency fields taken from their annotations (values that do not parse are left for validation). */
    static Template fold(Template t) {
        Map<String, String> a = t.annotations();
        if (a == null || a.isEmpty()) {
            return t;
        }
        Template.Scale s = t.scale() == null ? new Template.Scale(null, null, null, null, null, null) : t.scale();
        Template.Concurrency c = t.concurrency() == null ? new Template.Concurrency(null, null, null) : t.concurrency();
        Template.Scale scale = new Template.Scale(
                s.min() != null ? s.min() : integer(a, "min-scale", "minScale"),
                s.max() != null ? s.max() : integer(a, "max-scale", "maxScale"),
                s.initial() != null ? s.initial() : integer(a, "initial-scale"),
                s.window() != null ? s.window() : a.get(PREFIX + "window"),
                s.scaleDownDelay() != null ? s.scaleDownDelay() : a.get(PREFIX + "scale-down-delay"),
                s.metric() != null ? s.metric() : a.get(PREFIX + "metric"));
        Template.Concurrency concurrency = new Template.Concurrency(c.limit(),
                c.target() != null ? c.target() : integer(a, "target"),
                c.utilization() != null ? c.utilization() : integer(a, "target-utilization-percentage"));
        return new Template(t.image(), t.command(), t.args(), t.env(), t.port(), t.protocol(), t.readiness(), t.timeoutSeconds(),
                concurrency, scale, a, t.resources(), t.imagePolicy());
    }

    /** What is wrong with the annotations of a defaulted template. */
    static List<FieldViolation> validate(Template t) {
        List<FieldViolation> v = new ArrayList<>();
        Map<String, String> a = t.annotations();
        if (a == null) {
            return v;
        }
        a.forEach((name, value) -> {
            String field = "template.annotations." + name;
            if (name == null || name.isBlank() || name.length() > 317) {
                v.add(new FieldViolation("template.annotations", "an annotation name must be 1 to 317 characters"));
                return;
            }
            if (value == null) {
                v.add(new FieldViolation(field, "must be a string; use \"\" for an empty value"));
                return;
            }
            if (!name.startsWith(PREFIX)) {
                return;
            }
            if (!ALIASES.containsKey(name) && !OWN.contains(name)) {
                String hint = NearestName.among(name, known()).map(n -> "; did you mean '" + n + "'?").orElse("");
                v.add(new FieldViolation(field, "is not an autoscaling annotation Ebb knows" + hint));
                return;
            }
            String alias = ALIASES.get(name);
            if (alias != null) {
                Object current = fieldValue(t, alias);
                if (!sameValue(alias, value, current)) {
                    v.add(new FieldViolation(field, "is '" + value + "' but " + alias + " is '" + current
                            + "'; they are the same setting, give it once"));
                }
                return;
            }
            switch (name.substring(PREFIX.length())) {
                case "activation-scale" -> {
                    OptionalInt n = parseInt(value);
                    if (n.isEmpty() || n.getAsInt() < 1) {
                        v.add(new FieldViolation(field, "must be a whole number of at least 1, is '" + value + "'"));
                    } else if (t.scale().max() > 0 && n.getAsInt() > t.scale().max()) {
                        v.add(new FieldViolation(field, "is " + value + ", more than scale.max " + t.scale().max()));
                    }
                }
                case "panic-window-percentage" -> checkPercent(v, field, value, 1, 100);
                case "panic-threshold-percentage" -> checkPercent(v, field, value, 110, 1000);
                case "target-burst-capacity" -> {
                    OptionalDouble n = parseDouble(value);
                    if (n.isEmpty() || (n.getAsDouble() < 0 && n.getAsDouble() != -1)) {
                        v.add(new FieldViolation(field, "must be -1 or a number of at least 0, is '" + value + "'"));
                    }
                }
                case "scale-to-zero-pod-retention-period" -> {
                    Optional<Duration> d = Durations.parse(value);
                    if (d.isEmpty() || d.get().compareTo(Duration.ofHours(1)) > 0) {
                        v.add(new FieldViolation(field, "must be a duration between 0s and 1h such as '1m30s', is '" + value + "'"));
                    }
                }
                case "class" -> {
                    if (!KPA_CLASS.equals(value)) {
                        v.add(new FieldViolation(field, "is '" + value + "'; Ebb autoscales with Knative's KPA only: use '"
                                + KPA_CLASS + "' or leave it out"));
                    }
                }
                default -> throw new IllegalStateException("unhandled annotation " + name);
            }
        });
        return v;
    }

    /** {@code activation-scale}, 1 when absent. */
    public static int activationScale(Template t) {
        return parseInt(annotation(t, ACTIVATION_SCALE)).orElse(1);
    }

    public static OptionalDouble panicWindowPercentage(Template t) {
        return parseDouble(annotation(t, PANIC_WINDOW_PERCENTAGE));
    }

    public static OptionalDouble panicThresholdPercentage(Template t) {
        return parseDouble(annotation(t, PANIC_THRESHOLD_PERCENTAGE));
    }

    /** {@code target-burst-capacity}: -1, or the requests beyond the load to be taken at once; empty when absent. */
    public static OptionalDouble targetBurstCapacity(Template t) {
        return parseDouble(annotation(t, TARGET_BURST_CAPACITY));
    }

    public static Optional<Duration> scaleToZeroRetention(Template t) {
        return Durations.parse(annotation(t, SCALE_TO_ZERO_RETENTION));
    }

    private static String annotation(Template t, String name) {
        return t.annotations() == null ? null : t.annotations().get(name);
    }

    private static Integer integer(Map<String, String> a, String... names) {
        for (String name : names) {
            OptionalInt n = parseInt(a.get(PREFIX + name));
            if (n.isPresent()) {
                return n.getAsInt();
            }
        }
        return null;
    }

    private static Object fieldValue(Template t, String field) {
        return switch (field) {
            case "template.scale.min" -> t.scale().min();
            case "template.scale.max" -> t.scale().max();
            case "template.scale.initial" -> t.scale().initial();
            case "template.scale.window" -> t.scale().window();
            case "template.scale.scaleDownDelay" -> t.scale().scaleDownDelay();
            case "template.scale.metric" -> t.scale().metric();
            case "template.concurrency.target" -> t.concurrency().target();
            case "template.concurrency.utilization" -> t.concurrency().utilization();
            default -> throw new IllegalStateException("unknown field " + field);
        };
    }

    private static boolean sameValue(String field, String annotation, Object current) {
        if (current instanceof Integer number) {
            OptionalInt parsed = parseInt(annotation);
            return parsed.isPresent() && parsed.getAsInt() == number;
        }
        if (field.endsWith("window") || field.endsWith("scaleDownDelay")) {
            Optional<Duration> parsed = Durations.parse(annotation);
            return parsed.isPresent() && parsed.equals(Durations.parse(Objects.toString(current)));
        }
        return annotation.equals(current);
    }

    private static void checkPercent(List<FieldViolation> v, String field, String value, double min, double max) {
        OptionalDouble n = parseDouble(value);
        if (n.isEmpty() || n.getAsDouble() < min || n.getAsDouble() > max) {
            v.add(new FieldViolation(field, "must be a percentage between " + (int) min + " and " + (int) max + ", is '" + value + "'"));
        }
    }

    private static OptionalInt parseInt(String text) {
        if (text == null) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(text.trim()));
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    private static OptionalDouble parseDouble(String text) {
        if (text == null) {
            return OptionalDouble.empty();
        }
        try {
            double value = Double.parseDouble(text.trim());
            return Double.isFinite(value) ? OptionalDouble.of(value) : OptionalDouble.empty();
        } catch (NumberFormatException e) {
            return OptionalDouble.empty();
        }
    }
}
