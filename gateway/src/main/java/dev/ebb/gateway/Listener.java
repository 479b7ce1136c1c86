package dev.ebb.gateway;

/** The gateway's listeners. */
public enum Listener {
    /** Serves every service, under the internal and the external domain. */
    INTERNAL,
    /** Serves only services whose visibility is {@code public}, under the external domain. */
    PUBLIC,
    /**
     * Serves requests forwarded by the gateways of other clusters, each for the revision it names, with a peer token;
     * it never forwards them again.
     */
    PEER
}
