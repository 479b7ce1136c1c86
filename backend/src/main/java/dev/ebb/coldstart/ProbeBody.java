package dev.ebb.coldstart;

/**
 * The body of {@code POST .../coldstart-probe}; every field is optional.
 *
 * @param runs how many cold starts to measure, 5 by default, at most 20
 * @param revision the revision to measure; by default the one that gets the most traffic
 * @param path what to request; by default the revision's readiness path, else {@code /}
 * @param force take the revision to zero even while it serves users' traffic (their next requests wait for a cold start)
 */
record ProbeBody(Integer runs, String revision, String path, Boolean force) {
}
