package dev.ebb.revision;

/** What storing a revision's observed readiness changed. */
public enum ReadinessChange {

    /** Nothing: the revision (or its service) is gone, or it was stored as observed already. */
    NONE,

    /**
     * Only the message: a crash loop names each restart, a first instance says it is starting. What runs and where
     * traffic goes follow the status and reason only, so nothing planned or routed can move with it.
     */
    REWORDED,

    /** The status or the reason: what traffic follows, and which revisions run, may have moved. */
    MOVED
}
