package dev.ebb.coldstart;

import dev.ebb.problem.FieldViolation;
import dev.ebb.problem.InvalidInputException;
import dev.ebb.spec.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The defaults and limits of a warm request. */
final class WarmRules {

    static final int DEFAULT_INSTANCES = 1;
    static final int MAX_INSTANCES = 1000;
    static final Duration DEFAULT_DURATION = Duration.ofMinutes(10);
    static final Duration MAX_DURATION = Duration.ofHours(24);

    /** What a caller asked for, defaults filled in; {@code revision} stays null for "the latest created". */
    record Desired(String revision, int instances, Duration duration) {
    }

    private WarmRules() {
    }

    /** @throws InvalidInputException (422) naming every field that breaks a limit */
    static Desired check(WarmBody body) {
        WarmBody b = body == null ? new WarmBody(null, null, null) : body;
        List<FieldViolation> violations = new ArrayList<>();
        int instances = b.instances() == null ? DEFAULT_INSTANCES : b.instances();
        if (instances < 1 || instances > MAX_INSTANCES) {
            violations.add(new FieldViolation("instances", "must be between 1 and " + MAX_INSTANCES + ", is " + instances));
        }
        Duration duration = DEFAULT_DURATION;
        if (b.duration() != null) {
            Optional<Duration> parsed = Durations.parse(b.duration());
            if (parsed.isEmpty()) {
                violations.add(new FieldViolation("duration", "'" + b.duration() + "' is not a duration; write it like 10m, 90s or 1h30m"));
            } else if (parsed.get().toMillis() < 1000 || parsed.get().compareTo(MAX_DURATION) > 0) {
                violations.add(new FieldViolation("duration", "must be between 1s and " + Durations.format(MAX_DURATION)
                        + ", is " + b.duration()));
            } else {
                duration = parsed.get();
            }
        }
        if (b.revision() != null && b.revision().isBlank()) {
            violations.add(new FieldViolation("revision", "must name a revision, or be left out for the latest created one"));
        }
        if (!violations.isEmpty()) {
            throw InvalidInputException.invalid(violations);
        }
        return new Desired(b.revision(), instances, duration);
    }
}
