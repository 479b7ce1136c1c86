package dev.ebb.audit;

import java.time.Instant;
import tools.jackson.databind.JsonNode;

/**
 * An audit event as the API shows it, with its place in the chain: {@code hash} covers every other field
 * and {@code prevHash}, the hash of the event before it (see {@code GET /api/v1/audit/verify}).
 */
public record AuditEventView(long id, Instant time, String actor, String credential, String action, String namespace,
        String service, String target, JsonNode before, JsonNode after, String requestId, String sourceAddress,
        String userAgent, String changeCause, String prevHash, String hash) {
}
