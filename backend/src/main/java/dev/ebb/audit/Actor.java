package dev.ebb.audit;

/**
 * Who is making a change and from where, recorded with every audit event.
 *
 * @param name the authenticated identity, such as {@code token:ci}
 * @param requestId the request's {@code X-Request-Id}
 * @param sourceAddress the caller's network address
 * @param changeCause why the caller says it is making the change ({@code Ebb-Change-Cause}), may be null
 */
public record Actor(String name, String requestId, String sourceAddress, String changeCause) {
}
