package dev.ebb.gateway;

/** The gateway's two listeners. */
public enum Listener {
    /** Serves every service, under the internal and the external domain. */
    INTERNAL,
    /** Serves only services whose visibility is {@code public}, under the external domain. */
    PUBLIC
}
