package dev.ebb.service;

/**
 * Making a service public (reachable on the public listener) is a permission of its own, apart from changing the
 * service. The security feature says who holds it; this package only asks.
 */
public interface PublishPermission {

    /** Throws {@link dev.ebb.problem.ForbiddenException} unless the current caller may make this service public. */
    void require(String namespace, String service);
}
