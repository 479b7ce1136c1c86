package dev.ebb.coldstart;

/**
 * The body of {@code POST .../warm}; every field is optional.
 *
 * @param revision the revision to keep warm; the service's latest created revision when absent
 * @param instances the least number of instances to keep running, 1 by default
 * @param duration how long, such as {@code 10m} (the default); at most 24h
 */
record WarmBody(String revision, Integer instances, String duration) {
}
