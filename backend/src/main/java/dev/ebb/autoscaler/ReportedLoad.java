package dev.ebb.autoscaler;

import dev.ebb.feed.LoadReport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the gateways' latest reports say of each revision's load at one moment. A report counts while it is fresh; a
 * gateway that fell silent (its reports no longer reach the control plane: the control plane is overloaded, the link is
 * cut, the gateway hangs) says nothing reliable of the revisions its last report showed load for, so those are
 * {@link #unknown()} until it reports again or is {@link #forgotten}: Knative's autoscaler takes no decision without
 * metrics either. Reading a silent gateway's held requests as no load would take their revision to zero under them.
 *
 * @param byRevision per revision ({@code <namespace>/<revision>}), what each fresh report said of it; a revision a
 *        fresh report leaves out has no load there
 * @param unknown the revisions a silent gateway last showed requests in flight or held for, with the gateways
 */
record ReportedLoad(Map<String, List<Reported>> byRevision, Map<String, Set<String>> unknown) {

    /** A report older than this no longer counts as the gateway's load now. */
    static final Duration FRESHNESS = Duration.ofMillis(2_500);
    /**
     * A gateway silent this long is gone (stopped, or its process died with the requests it held): its last report no
     * longer keeps anything from being decided.
     */
    static final Duration FORGOTTEN = Duration.ofSeconds(30);

    /** One gateway's latest report of one revision. */
    record Reported(Instant at, double concurrency, double requestsPerSecond) {
    }

    /** What {@code reports} (each gateway's latest) say at {@code now}. */
    static ReportedLoad of(Collection<LoadReport> reports, Instant now) {
        Map<String, List<Reported>> load = new HashMap<>();
        Map<String, Set<String>> unknown = new HashMap<>();
        for (LoadReport report : reports) {
            boolean fresh = !report.at().isBefore(now.minus(FRESHNESS));
            for (LoadReport.RevisionLoad revision : report.revisions()) {
                String id = revision.namespace() + "/" + revision.revision();
                if (fresh) {
                    load.computeIfAbsent(id, k -> new ArrayList<>())
                            .add(new Reported(report.at(), revision.concurrency(), revision.requestsPerSecond()));
                } else if (!forgotten(report, now) && (revision.concurrency() > 0 || revision.queued() > 0)) {
                    unknown.computeIfAbsent(id, k -> new TreeSet<>()).add(report.gateway());
                }
            }
        }
        return new ReportedLoad(load, unknown);
    }

    /** Whether the gateway of {@code report}, its latest, has been silent for so long that it is taken for gone. */
    static boolean forgotten(LoadReport report, Instant now) {
        return report.at().isBefore(now.minus(FORGOTTEN));
    }
}
