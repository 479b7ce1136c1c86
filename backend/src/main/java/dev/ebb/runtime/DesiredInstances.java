package dev.ebb.runtime;

import dev.ebb.spec.Template;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides which revisions may run and asks the scale policy how many instances each gets: every revision
 * that receives traffic or has a tag, and the latest created revision so it can become ready. All others
 * run none.
 */
public final class DesiredInstances {

    private DesiredInstances() {
    }

    /** One service as the decision needs it. */
    public record ServiceFacts(String namespace, String service, String latestCreatedRevision, List<String> routedRevisions,
            Map<String, Template> templates) {
    }

    public static List<RevisionDeployment> of(List<ServiceFacts> services, ScalePolicy policy) {
        List<RevisionDeployment> desired = new ArrayList<>();
        for (ServiceFacts service : services) {
            Map<String, Template> running = new LinkedHashMap<>();
            for (String revision : service.routedRevisions()) {
                running.putIfAbsent(revision, service.templates().get(revision));
            }
            running.putIfAbsent(service.latestCreatedRevision(), service.templates().get(service.latestCreatedRevision()));
            running.forEach((revision, template) -> {
                if (template != null) {
                    RevisionKey key = new RevisionKey(service.namespace(), service.service(), revision);
                    desired.add(new RevisionDeployment(key, template, policy.instances(key, template)));
                }
            });
        }
        return desired;
    }
}
