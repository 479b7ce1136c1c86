package dev.ebb.traffic;

/** A traffic target with its revision resolved; {@code revision} is null while a latest-ready target has nothing to follow. */
public record ResolvedTarget(String revision, boolean latestRevision, int percent, String tag) {
}
