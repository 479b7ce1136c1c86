package dev.ebb.runtime;

/**
 * A failed or stopped revision is to be tried again from the start on the cluster it runs on; published in the
 * transaction that recorded the retry, acted on by the replica that leads (another replica's is passed on to it).
 */
public record RevisionRetried(String cluster, String namespace, String service, String revision) {
}
