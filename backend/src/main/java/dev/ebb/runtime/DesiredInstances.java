package dev.ebb.runtime;

import dev.ebb.spec.Template;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides which revisions run and with how many instances, until the autoscaler takes this over: every
 * revision that receives traffic or has a tag, and the latest created revision so it can become ready, runs
 * {@code max(scale.min, 1)} instances; all others run none.
 */
public final class DesiredInstances {

    private DesiredInstances() {
    }

    /** One service as the decision needs it. */
    public record ServiceFacts(String namespace, String service, String latestCreatedRevision, List<String> routedRevisions,
            Map<String, Template> templates) {
    }

    public static List<RevisionDeployment> of(List<ServiceFacts> services) {
        List<RevisionDeployment> desired = new ArrayList<>();
        for (ServiceFacts service : services) {
            Map<String, Template> running = new LinkedHashMap<>();
            for (String revision : service.routedRevisions()) {
                running.putIfAbsent(revision, service.templates().get(revision));
            }
            running.putIfAbsent(service.latestCreatedRevision(), service.templates().get(service.latestCreatedRevision()));
            running.forEach((revision, template) -> {
                if (template != null) {
                    desired.add(new RevisionDeployment(new RevisionKey(service.namespace(), service.service(), revision),
                            template, Math.max(template.scale().min(), 1)));
                }
            });
        }
        return desired;
    }
}
