package dev.ebb.coldstart;

import dev.ebb.metrics.RequestHistory;
import dev.ebb.problem.ConflictException;
import dev.ebb.problem.FieldViolation;
import dev.ebb.problem.InvalidInputException;
import dev.ebb.service.ServiceView;
import dev.ebb.spec.Names;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/** What a cold-start probe measures and through which host, from the probe's body and the service's traffic. */
final class ProbeRules {

    static final int DEFAULT_RUNS = 5;
    static final int MAX_RUNS = 20;

    /** The revision to measure, the host that reaches only it, and what to request. */
    record Plan(String revision, String host, String path, int runs) {
    }

    private ProbeRules() {
    }

    /**
     * @param readinessPath the readiness path of each routed revision, by name (null for a TCP probe)
     * @throws InvalidInputException (422) naming the field that cannot be honoured
     */
    static Plan plan(ProbeBody body, ServiceView service, java.util.function.Function<String, String> readinessPath) {
        ProbeBody b = body == null ? new ProbeBody(null, null, null, null) : body;
        List<FieldViolation> violations = new ArrayList<>();
        int runs = b.runs() == null ? DEFAULT_RUNS : b.runs();
        if (runs < 1 || runs > MAX_RUNS) {
            violations.add(new FieldViolation("runs", "must be between 1 and " + MAX_RUNS + ", is " + runs));
        }
        if (b.path() != null && !b.path().startsWith("/")) {
            violations.add(new FieldViolation("path", "must start with '/', such as '/healthz', is '" + b.path() + "'"));
        }
        List<ServiceView.StatusTraffic> routed = service.status().traffic().stream().filter(ServiceView.StatusTraffic::routed)
                .toList();
        String revision = b.revision();
        if (revision == null) {
            revision = routed.stream().max((x, y) -> Integer.compare(x.percent(), y.percent()))
                    .map(ServiceView.StatusTraffic::revision).orElse(null);
        }
        String host = null;
        if (revision == null) {
            violations.add(new FieldViolation("revision", "the service routes no traffic yet: there is no revision to measure"));
        } else {
            host = host(service, routed, revision, violations);
        }
        if (!violations.isEmpty()) {
            throw InvalidInputException.invalid(violations);
        }
        String path = b.path();
        if (path == null) {
            String readiness = readinessPath.apply(revision);
            path = readiness == null ? "/" : readiness;
        }
        return new Plan(revision, host, path, runs);
    }

    /**
     * Refuses (409) to take a revision to zero while it serves users: it gets a share of the service's traffic and
     * answered requests that did not wait for a cold start in the last minute (the probe's own all wait for one). A
     * revision tagged at 0 %, or one that is idle, is fair game; {@code "force": true} overrides.
     *
     * @param recent the revision's requests over the last minute
     */
    static void refuseWhileServing(Plan plan, ProbeBody body, ServiceView service, RequestHistory.Recent recent) {
        if (body != null && Boolean.TRUE.equals(body.force())) {
            return;
        }
        int percent = service.status().traffic().stream().filter(ServiceView.StatusTraffic::routed)
                .filter(t -> plan.revision().equals(t.revision())).mapToInt(ServiceView.StatusTraffic::percent).sum();
        if (percent > 0 && recent.warmRequests() > 0) {
            throw new ConflictException("Revision " + plan.revision() + " serves " + percent + " % of the service's traffic and "
                    + "answered " + recent.warmRequests() + " requests in the last minute: taking it to zero would make its users' "
                    + "next requests wait for a cold start. Probe it when it is idle, probe a revision tagged at 0 %, or send "
                    + "\"force\": true to measure it anyway.");
        }
    }

    /** The service host when the revision gets all the traffic, its tag host otherwise. */
    private static String host(ServiceView service, List<ServiceView.StatusTraffic> routed, String revision,
            List<FieldViolation> violations) {
        String serviceHost = URI.create(service.status().address().url()).getHost();
        int percent = 0;
        String tag = null;
        boolean found = false;
        for (ServiceView.StatusTraffic target : routed) {
            if (target.revision().equals(revision)) {
                found = true;
                percent += target.percent();
                if (tag == null && target.tag() != null) {
                    tag = target.tag();
                }
            }
        }
        if (!found) {
            violations.add(new FieldViolation("revision", "'" + revision + "' gets no traffic and has no tag, so nothing can "
                    + "reach it; give it a tag in the service's traffic (0 % is fine) and probe again"));
            return null;
        }
        if (percent == 100) {
            return serviceHost;
        }
        if (tag != null) {
            return Names.hostLabel(serviceHost, tag);
        }
        violations.add(new FieldViolation("revision", "'" + revision + "' gets " + percent + " % of the traffic and has no tag, "
                + "so the service's URL would reach other revisions too; give it a tag and probe again"));
        return null;
    }
}
