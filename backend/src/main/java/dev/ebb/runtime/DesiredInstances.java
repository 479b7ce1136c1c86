package dev.ebb.runtime;

import dev.ebb.revision.RunState;
import dev.ebb.spec.Placement;
import dev.ebb.spec.Template;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Decides which revisions may run and asks the scale policy how many instances each gets: every revision
 * that receives traffic or has a tag, and the latest created revision so it can become ready. All others
 * run none, and neither do the held ones: those an operator stopped, those whose image has no digest yet, and those
 * that failed at their progress deadline while no traffic is routed to them (Knative scales such a revision to zero
 * and nothing wakes it; one that is routed goes on being tried).
 */
public final class DesiredInstances {

    private DesiredInstances() {
    }

    /**
     * One service as the decision needs it.
     *
     * @param held the revisions that run no instance although they may serve (see {@link #held})
     * @param placement where the service runs: each cluster runs its share of the instances ({@link InstanceShares})
     */
    public record ServiceFacts(String namespace, String service, String latestCreatedRevision, List<String> routedRevisions,
            Map<String, Template> templates, List<String> tags, Set<String> held, Placement placement) {

        public ServiceFacts {
            held = Set.copyOf(held);
        }

        /** A service on one cluster. */
        public ServiceFacts(String namespace, String service, String latestCreatedRevision, List<String> routedRevisions,
                Map<String, Template> templates, List<String> tags, Set<String> held) {
            this(namespace, service, latestCreatedRevision, routedRevisions, templates, tags, held, null);
        }

        public ServiceFacts(String namespace, String service, String latestCreatedRevision, List<String> routedRevisions,
                Map<String, Template> templates, List<String> tags) {
            this(namespace, service, latestCreatedRevision, routedRevisions, templates, tags, Set.of());
        }

        public ServiceFacts(String namespace, String service, String latestCreatedRevision, List<String> routedRevisions,
                Map<String, Template> templates) {
            this(namespace, service, latestCreatedRevision, routedRevisions, templates, List.of());
        }

        /** The revisions that may run, routed ones first, each once, with their templates. */
        public Map<RevisionKey, Template> mayRun() {
            Map<RevisionKey, Template> running = new LinkedHashMap<>();
            List<String> names = new ArrayList<>(routedRevisions);
            names.add(latestCreatedRevision);
            for (String revision : names) {
                Template template = templates.get(revision);
                if (template != null && !held.contains(revision)) {
                    running.putIfAbsent(new RevisionKey(namespace, service, revision), template);
                }
            }
            return running;
        }
    }

    /**
     * The revisions among {@code states} that run no instance: every one an operator stopped, every one whose image is
     * not resolved to a digest yet (or failed to resolve), and every one that failed at its progress deadline and is not
     * among {@code routed} (no percent, no tag), until it is retried.
     */
    public static Set<String> held(Map<String, RunState> states, Collection<String> routed) {
        Set<String> held = new TreeSet<>();
        states.forEach((revision, state) -> {
            if (state.stopped() || !state.imageResolved() || state.failedAtDeadline() && !routed.contains(revision)) {
                held.add(revision);
            }
        });
        return held;
    }

    /** The services the cluster should resolve, with their tags. */
    public static List<ExposedService> exposed(List<ServiceFacts> services) {
        return services.stream().map(s -> new ExposedService(s.namespace(), s.service(), s.tags())).toList();
    }

    /**
     * The deployments of one cluster, each capped at {@code maxScaleLimit} instances: templates are validated against
     * it, but the autoscaler may want more for a revision without {@code scale.max}, and revisions stored before the
     * limit was lowered keep their counts. A service placed on several clusters runs {@code cluster}'s share of the
     * instances the policy wants in all (the cap applies to the whole), given which clusters run the revision now.
     *
     * @param running the clusters where each revision runs instances now
     */
    public static List<RevisionDeployment> of(List<ServiceFacts> services, ScalePolicy policy, int maxScaleLimit, String cluster,
            Function<RevisionKey, Set<String>> running) {
        List<RevisionDeployment> desired = new ArrayList<>();
        for (ServiceFacts service : services) {
            service.mayRun().forEach((key, template) -> {
                int total = Math.min(policy.instances(key, template), maxScaleLimit);
                desired.add(new RevisionDeployment(key, template, service.placement() == null
                        || service.placement().clusters().size() < 2 ? total
                        : InstanceShares.of(total, service.placement(), cluster, policy.waitingIn(key), running.apply(key))));
            });
        }
        return desired;
    }

    /** The deployments of services that run on one cluster only (see {@link #of(List, ScalePolicy, int, String, Function)}). */
    public static List<RevisionDeployment> of(List<ServiceFacts> services, ScalePolicy policy, int maxScaleLimit) {
        return of(services, policy, maxScaleLimit, null, key -> Set.of());
    }
}
