package dev.ebb.audit;

import java.time.Instant;
import java.util.List;

/**
 * Filters of an audit search; null means "any". {@code actions} keeps events whose action is one of them (empty: any
 * action). {@code beforeId} continues a previous page.
 */
public record AuditQuery(String namespace, String service, String actor, List<String> actions, Instant since, Instant until,
        Long beforeId, int limit) {

    public AuditQuery {
        actions = actions == null ? List.of() : List.copyOf(actions);
    }
}
