package dev.ebb.audit;

import java.time.Instant;

/**
 * Everything an audit event stores about a change, exactly as stored: what {@link ChainHash} hashes apart from
 * the link to the previous event. {@code before} and {@code after} are JSON text, character for character.
 */
record EventContent(long id, Instant occurredAt, String actor, String credential, String action, String namespace,
        String service, String target, String before, String after, String requestId, String sourceAddress, String userAgent,
        String changeCause) {

    /** The same content under the id the chain gives it when it is appended. */
    EventContent withId(long chainId) {
        return new EventContent(chainId, occurredAt, actor, credential, action, namespace, service, target, before, after,
                requestId, sourceAddress, userAgent, changeCause);
    }
}
