package dev.ebb.audit;

import java.time.Instant;
import tools.jackson.databind.JsonNode;

/** An audit event as the API shows it. */
public record AuditEventView(long id, Instant time, String actor, String action, String namespace, String service,
        String target, JsonNode before, JsonNode after, String requestId, String sourceAddress) {
}
