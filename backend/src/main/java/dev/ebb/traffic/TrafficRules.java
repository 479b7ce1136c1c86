package dev.ebb.traffic;

import dev.ebb.problem.FieldViolation;
import dev.ebb.spec.Names;
import dev.ebb.spec.TrafficTarget;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The rules of a traffic split, as Knative Serving enforces them. */
public final class TrafficRules {

    private TrafficRules() {
    }

    /** 100 % to the latest ready revision: what a service gets when it says nothing about traffic. */
    public static List<TrafficTarget> defaultTraffic() {
        return List.of(TrafficTarget.latest(100));
    }

    /** The split as stored: missing percents become 0 and {@code latestRevision: false} is dropped. */
    public static List<TrafficTarget> normalize(List<TrafficTarget> targets) {
        if (targets == null) {
            return defaultTraffic();
        }
        return targets.stream()
                .map(t -> t == null ? null : new TrafficTarget(t.revision(), t.followsLatest() ? Boolean.TRUE : null, t.percentOrZero(), t.tag()))
                .toList();
    }

    /**
     * Everything wrong with a split of {@code service}'s traffic.
     *
     * @param revisions the names of the service's revisions, including one the same request creates
     */
    public static List<FieldViolation> validate(String service, List<TrafficTarget> targets, Set<String> revisions) {
        List<FieldViolation> violations = new ArrayList<>();
        if (targets.isEmpty()) {
            violations.add(new FieldViolation("traffic", "must name at least one target, e.g. [{\"latestRevision\": true, \"percent\": 100}]"));
            return violations;
        }
        Set<String> tags = new HashSet<>();
        int sum = 0;
        for (int i = 0; i < targets.size(); i++) {
            String field = "traffic[" + i + "]";
            TrafficTarget target = targets.get(i);
            if (target == null) {
                violations.add(new FieldViolation(field, "must be an object such as {\"latestRevision\": true, \"percent\": 100}"));
                continue;
            }
            if (target.revision() != null && target.followsLatest()) {
                violations.add(new FieldViolation(field, "set either 'revision' or 'latestRevision: true', not both"));
            } else if (target.revision() == null && !target.followsLatest()) {
                violations.add(new FieldViolation(field, "set 'revision' to a revision name or 'latestRevision: true'"));
            } else if (target.revision() != null && !revisions.contains(target.revision())) {
                violations.add(new FieldViolation(field + ".revision", "'" + target.revision() + "' is not a revision of service '"
                        + service + "'" + known(revisions)));
            }
            int percent = target.percentOrZero();
            if (percent < 0 || percent > 100) {
                violations.add(new FieldViolation(field + ".percent", "must be between 0 and 100, is " + percent));
            }
            sum += percent;
            if (target.tag() != null) {
                String tag = target.tag();
                if (!Names.isDns1035Label(tag)) {
                    violations.add(new FieldViolation(field + ".tag", "'" + tag + "' must be a DNS-1035 label: lower-case letters, digits and '-', starting with a letter"));
                } else if (tag.length() + 1 + service.length() > Names.MAX_LABEL) {
                    violations.add(new FieldViolation(field + ".tag", "'" + Names.hostLabel(service, tag) + "' (the tag's host name) must be at most " + Names.MAX_LABEL + " characters; use a shorter tag"));
                } else if (!tags.add(tag)) {
                    violations.add(new FieldViolation(field + ".tag", "'" + tag + "' is used by another target; tags must be unique within a service"));
                }
            }
        }
        if (sum != 100) {
            violations.add(new FieldViolation("traffic", "Traffic targets sum to " + sum + ", want 100"));
        }
        return violations;
    }

    private static String known(Set<String> revisions) {
        if (revisions.isEmpty()) {
            return "";
        }
        return " (its revisions: " + String.join(", ", revisions.stream().sorted().toList()) + ")";
    }
}
