package dev.ebb.traffic;

/** A traffic target with its revision resolved; {@code revision} is null while a latest-ready target has nothing to follow. */
public record ResolvedTarget(String revision, boolean latestRevision, int percent, String tag) {

    /** Whether requests reach this target: it names a revision and has a share or a tag of its own. */
    public boolean routed() {
        return routed(revision, percent, tag);
    }

    /** Whether requests reach a target naming {@code revision} (null: none yet) with this share and tag. */
    public static boolean routed(String revision, int percent, String tag) {
        return revision != null && (percent > 0 || tag != null);
    }
}
