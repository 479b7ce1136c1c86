package dev.ebb.runtime;

/** Names one revision across the cluster. */
public record RevisionKey(String namespace, String service, String revision) {

    @Override
    public String toString() {
        return namespace + "/" + revision;
    }
}
