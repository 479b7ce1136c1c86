package dev.ebb.gateway;

/** What the gateway's probes found of the other clusters' gateways, as routing asks it. */
interface PeerHealthView {

    /** Knows of no failure: every peer counts as reachable. */
    PeerHealthView ALL_REACHABLE = cluster -> null;

    /** Why the last probe of {@code cluster}'s gateway failed, or null when it succeeded or none has ended yet. */
    String unreachable(String cluster);
}
