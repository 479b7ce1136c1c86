package dev.ebb.audit;

import java.time.Instant;

/** Filters of an audit search; null means "any". {@code beforeId} continues a previous page. */
public record AuditQuery(String namespace, String service, String actor, Instant since, Instant until, Long beforeId,
        int limit) {
}
