package dev.ebb.spec;

import dev.ebb.problem.FieldViolation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A service's {@code rollout} and its Knative spelling, the service annotation {@code serving.knative.dev/rollout-duration}
 * (a gradual rollout over that duration; {@code 0s}, Knative's default, is immediate). Other names under
 * {@code serving.knative.dev/} are rejected with the nearest known one, never ignored.
 */
public final class RolloutRules {

    public static final String ANNOTATION_PREFIX = "serving.knative.dev/";
    public static final String ROLLOUT_DURATION = ANNOTATION_PREFIX + "rollout-duration";
    public static final Set<String> STRATEGIES = Set.of(Rollout.IMMEDIATE, Rollout.GRADUAL, Rollout.CANARY, Rollout.BLUE_GREEN);
    public static final Set<String> LOW_TRAFFIC = Set.of(Rollout.Analysis.WAIT, Rollout.Analysis.PROCEED);
    public static final List<Integer> DEFAULT_STEPS = List.of(5, 25, 50, 100);
    public static final String DEFAULT_INTERVAL = "1m";
    public static final int DEFAULT_MIN_REQUESTS = 10;
    public static final String DEFAULT_MAX_WAIT = "5m";
    public static final Duration MIN_DURATION = Duration.ofSeconds(2);
    public static final Duration MAX_DURATION = Duration.ofHours(24);
    public static final int MAX_STEPS = 20;

    private RolloutRules() {
    }

    /**
     * The rollout with its defaults filled in, the annotation folded into it; null when neither says anything (immediate).
     * Values that do not parse are left for {@link #validate} to report.
     */
    public static Rollout withDefaults(Rollout given, Map<String, String> annotations) {
        String annotated = annotations == null ? null : annotations.get(ROLLOUT_DURATION);
        boolean annotatedGradual = annotated != null && Durations.parse(annotated).filter(d -> !d.isZero()).isPresent();
        if (given == null && !annotatedGradual) {
            return null;
        }
        Rollout r = given == null ? new Rollout(Rollout.GRADUAL, null, null, null, null) : given;
        String strategy = r.strategy() != null ? r.strategy() : annotatedGradual ? Rollout.GRADUAL : Rollout.IMMEDIATE;
        String duration = r.duration();
        if (Rollout.GRADUAL.equals(strategy) && duration == null && annotatedGradual) {
            duration = annotated;
        }
        List<Integer> steps = r.steps();
        String interval = r.interval();
        if (Rollout.CANARY.equals(strategy)) {
            steps = steps == null ? DEFAULT_STEPS : steps;
            interval = interval == null ? DEFAULT_INTERVAL : interval;
        }
        return new Rollout(strategy, canonical(duration), steps, canonical(interval), analysisWithDefaults(r.analysis()));
    }

    private static Rollout.Analysis analysisWithDefaults(Rollout.Analysis a) {
        if (a == null) {
            return null;
        }
        String lowTraffic = a.lowTraffic() == null ? Rollout.Analysis.WAIT : a.lowTraffic();
        String maxWait = a.maxWait() == null && Rollout.Analysis.WAIT.equals(lowTraffic) ? DEFAULT_MAX_WAIT : a.maxWait();
        return new Rollout.Analysis(a.maxErrorRate(), a.maxP99LatencyMs(), a.maxLatencyRatio(),
                a.minRequests() == null ? DEFAULT_MIN_REQUESTS : a.minRequests(), lowTraffic, canonical(maxWait));
    }

    private static String canonical(String duration) {
        return duration == null ? null : Durations.parse(duration).map(Durations::format).orElse(duration);
    }

    /** Everything wrong with the service's annotations and its (defaulted) rollout. */
    public static List<FieldViolation> validate(Map<String, String> annotations, Rollout rollout) {
        List<FieldViolation> v = new ArrayList<>();
        validateAnnotations(v, annotations, rollout);
        if (rollout == null) {
            return v;
        }
        String strategy = rollout.strategy();
        if (!STRATEGIES.contains(strategy)) {
            v.add(new FieldViolation("rollout.strategy", ServiceRules.oneOf(strategy, STRATEGIES)));
            return v;
        }
        boolean gradual = Rollout.GRADUAL.equals(strategy);
        boolean canary = Rollout.CANARY.equals(strategy);
        if (gradual && rollout.duration() == null) {
            v.add(new FieldViolation("rollout.duration", "is required for a gradual rollout: how long moving all the traffic "
                    + "takes, e.g. \"10m\" (or set the annotation " + ROLLOUT_DURATION + ")"));
        } else if (rollout.duration() != null && !gradual) {
            v.add(onlyFor("rollout.duration", strategy, "gradual", "use 'steps' and 'interval' for a canary"));
        } else if (rollout.duration() != null) {
            checkDuration(v, "rollout.duration", rollout.duration(), MIN_DURATION, MAX_DURATION);
        }
        if (rollout.steps() != null && !canary) {
            v.add(onlyFor("rollout.steps", strategy, "canary", gradual ? "a gradual rollout moves in Knative's steps" : ""));
        } else if (canary) {
            checkSteps(v, rollout.steps());
        }
        if (rollout.interval() != null && !canary) {
            v.add(onlyFor("rollout.interval", strategy, "canary", gradual ? "a gradual rollout spreads its steps over 'duration'" : ""));
        } else if (canary) {
            checkDuration(v, "rollout.interval", rollout.interval(), Duration.ofSeconds(1), MAX_DURATION);
        }
        if (rollout.analysis() != null) {
            if (!gradual && !canary) {
                v.add(onlyFor("rollout.analysis", strategy, "gradual or canary",
                        Rollout.BLUE_GREEN.equals(strategy) ? "a blue/green rollout switches when you promote it" : ""));
            } else {
                checkAnalysis(v, rollout.analysis());
            }
        }
        return v;
    }

    private static void validateAnnotations(List<FieldViolation> v, Map<String, String> annotations, Rollout rollout) {
        if (annotations == null) {
            return;
        }
        new TreeMap<>(annotations).forEach((name, value) -> {
            String field = "annotations." + name;
            if (name.isBlank() || name.length() > 317) {
                v.add(new FieldViolation("annotations", "an annotation name must be 1 to 317 characters"));
            } else if (value == null) {
                v.add(new FieldViolation(field, "must be a string; use \"\" for an empty value"));
            } else if (name.startsWith(ANNOTATION_PREFIX) && !ROLLOUT_DURATION.equals(name)) {
                String hint = NearestName.among(name, List.of(ROLLOUT_DURATION)).map(n -> "; did you mean '" + n + "'?").orElse("");
                v.add(new FieldViolation(field, "is not a serving.knative.dev annotation Ebb knows" + hint));
            } else if (ROLLOUT_DURATION.equals(name)) {
                Optional<Duration> duration = Durations.parse(value);
                if (duration.isEmpty()) {
                    v.add(new FieldViolation(field, "'" + value + "' is not a duration; write it like '90s', '10m' or '1h' "
                            + "('0s' rolls out immediately)"));
                } else if (!duration.get().isZero() && rollout != null
                        && (!Rollout.GRADUAL.equals(rollout.strategy()) || !duration.equals(Durations.parse(rollout.duration())))) {
                    v.add(new FieldViolation(field, "is '" + value + "' but rollout is " + describe(rollout)
                            + "; they are the same setting, give it once"));
                }
            }
        });
    }

    private static String describe(Rollout rollout) {
        return Rollout.GRADUAL.equals(rollout.strategy()) ? "gradual over '" + rollout.duration() + "'"
                : "'" + rollout.strategy() + "'";
    }

    private static void checkSteps(List<FieldViolation> v, List<Integer> steps) {
        if (steps.isEmpty() || steps.size() > MAX_STEPS) {
            v.add(new FieldViolation("rollout.steps", "must list 1 to " + MAX_STEPS + " percents, rising and ending at 100, "
                    + "e.g. [5, 25, 50, 100]"));
            return;
        }
        for (int i = 0; i < steps.size(); i++) {
            Integer step = steps.get(i);
            String field = "rollout.steps[" + i + "]";
            if (step == null || step < 1 || step > 100) {
                v.add(new FieldViolation(field, "must be a percent from 1 to 100, is " + step));
            } else if (i > 0 && steps.get(i - 1) != null && step <= steps.get(i - 1)) {
                v.add(new FieldViolation(field, "is " + step + ", not more than the step before (" + steps.get(i - 1)
                        + "); each step must give the new revision more traffic"));
            }
        }
        Integer last = steps.get(steps.size() - 1);
        if (last != null && last != 100) {
            v.add(new FieldViolation("rollout.steps", "ends at " + last + "; end with 100 so that the rollout completes"));
        }
    }

    private static void checkAnalysis(List<FieldViolation> v, Rollout.Analysis a) {
        if (a.maxErrorRate() == null && a.maxP99LatencyMs() == null && a.maxLatencyRatio() == null) {
            v.add(new FieldViolation("rollout.analysis", "judges nothing: give at least one of 'maxErrorRate' (e.g. 0.01), "
                    + "'maxP99LatencyMs' or 'maxLatencyRatio' (e.g. 1.5), or leave analysis out"));
        }
        if (a.maxErrorRate() != null && (a.maxErrorRate() < 0 || a.maxErrorRate() > 1 || a.maxErrorRate().isNaN())) {
            v.add(new FieldViolation("rollout.analysis.maxErrorRate", "must be a share from 0 to 1 (0.01 is 1 %), is "
                    + a.maxErrorRate()));
        }
        if (a.maxP99LatencyMs() != null && a.maxP99LatencyMs() < 1) {
            v.add(new FieldViolation("rollout.analysis.maxP99LatencyMs", "must be at least 1 (milliseconds), is "
                    + a.maxP99LatencyMs()));
        }
        if (a.maxLatencyRatio() != null && !(a.maxLatencyRatio() >= 1)) {
            v.add(new FieldViolation("rollout.analysis.maxLatencyRatio", "must be at least 1 (1.5 lets the new revision's "
                    + "p99 be half again the stable one's), is " + a.maxLatencyRatio()));
        }
        if (a.minRequests() < 0 || a.minRequests() > 1_000_000) {
            v.add(new FieldViolation("rollout.analysis.minRequests", "must be between 0 and 1000000, is " + a.minRequests()));
        }
        if (!LOW_TRAFFIC.contains(a.lowTraffic())) {
            v.add(new FieldViolation("rollout.analysis.lowTraffic", ServiceRules.oneOf(a.lowTraffic(), LOW_TRAFFIC)));
        } else if (Rollout.Analysis.PROCEED.equals(a.lowTraffic()) && a.maxWait() != null) {
            v.add(new FieldViolation("rollout.analysis.maxWait", "applies when lowTraffic is 'wait'; with 'proceed' a step "
                    + "moves on without waiting, so leave maxWait out"));
        } else if (a.maxWait() != null) {
            checkDuration(v, "rollout.analysis.maxWait", a.maxWait(), Duration.ZERO, MAX_DURATION);
        }
    }

    private static FieldViolation onlyFor(String field, String strategy, String applies, String hint) {
        return new FieldViolation(field, "applies to a " + applies + " rollout, not to strategy '" + strategy + "'"
                + (hint.isEmpty() ? "" : "; " + hint) + "; leave it out or change the strategy");
    }

    private static void checkDuration(List<FieldViolation> v, String field, String text, Duration min, Duration max) {
        Optional<Duration> parsed = Durations.parse(text);
        if (parsed.isEmpty()) {
            v.add(new FieldViolation(field, "'" + text + "' is not a duration; write it like '30s', '10m' or '1h'"));
        } else if (parsed.get().compareTo(min) < 0 || parsed.get().compareTo(max) > 0) {
            v.add(new FieldViolation(field, "must be between " + Durations.format(min) + " and " + Durations.format(max)
                    + ", is " + text));
        }
    }
}
