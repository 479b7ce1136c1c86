package dev.ebb.audit;

/**
 * Who is making a change, how they proved it and from where, recorded with every audit event.
 *
 * @param name the authenticated identity, such as {@code token:ci}
 * @param credential how the caller authenticated: the token's identity ({@code token:ci}) for a bearer token,
 *     {@code session:} and a digest of the session id for a session, null when neither
 * @param requestId the request's {@code X-Request-Id}
 * @param sourceAddress the caller's network address
 * @param userAgent the caller's {@code User-Agent}, shortened to a sane length, may be null
 * @param changeCause why the caller says it is making the change ({@code Ebb-Change-Cause}), may be null
 */
public record Actor(String name, String credential, String requestId, String sourceAddress, String userAgent,
        String changeCause) {

    /** The same actor, making a change for the reason given. */
    public Actor because(String cause) {
        return new Actor(name, credential, requestId, sourceAddress, userAgent, cause);
    }
}
