package dev.ebb.runtime;

import dev.ebb.registry.RegistryLogin;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** Runs revisions on one cluster. Implementations never throw out of {@link #apply}; failures show in observations. */
public interface RuntimeDriver {

    /** The cluster this driver runs, such as {@code local}. */
    String cluster();

    /**
     * Makes the cluster run exactly these revisions. A listed revision with fewer instances than it runs
     * is scaled down for idleness: only ready instances are stopped, never one still starting. A revision
     * not listed is no longer wanted at all and loses every instance.
     */
    void apply(List<RevisionDeployment> desired);

    /**
     * The services whose names the cluster should resolve to its gateway, called before each {@link #apply}. A cluster
     * without a name service of its own (the local runtime: its gateway is Ebb's) has nothing to do.
     */
    default void expose(List<ExposedService> services) {
    }

    /**
     * The registry credentials of each namespace, for a cluster that pulls images with them (Kubernetes: a pull Secret in
     * each namespace it runs services of, referenced by their pods), called before an {@link #apply} when they changed.
     * A cluster that pulls no images (the local runtime runs commands) has nothing to do.
     */
    default void pullWith(Map<String, List<RegistryLogin>> logins) {
    }

    /** The current state of every revision the driver knows about. */
    List<RevisionObservation> observe();

    /**
     * A number that changes whenever anything {@link #observe} reports may have changed, so that callers
     * polling often can skip observing a cluster where nothing happened.
     */
    long changes();

    /**
     * The current state of one revision, empty when the driver does not know it. Callers on a request's path
     * (a demand, a cold start) use this rather than {@link #observe}, so drivers should answer it without
     * looking at every revision.
     */
    default Optional<RevisionObservation> observe(String namespace, String revision) {
        return observe().stream()
                .filter(o -> o.key().namespace().equals(namespace) && o.key().revision().equals(revision)).findFirst();
    }

    /** Lets a stopping instance finish the requests the gateways report in flight to it before it is signalled. */
    void drainWith(InstanceActivity activity);

    /**
     * The last lines the revision's instances printed that {@code query} selects, oldest first, each as
     * {@code time instance text}; empty when the cluster holds none.
     *
     * @throws IOException when the cluster cannot be asked
     */
    List<String> logs(RevisionKey revision, LogQuery query) throws IOException;

    /**
     * Tries a revision that failed again from the start, as if it had just been deployed: its failure, its instances'
     * back-off and its progress deadline are forgotten. A driver that keeps no such state has nothing to do.
     */
    default void retry(RevisionKey revision) {
    }

    /**
     * Calls {@code lines} (on any thread) with every line the revision's instances print from now on, in the form of
     * {@link #logs}, until the returned handle is closed.
     *
     * @throws IOException when the cluster cannot be asked
     */
    AutoCloseable followLogs(RevisionKey revision, Consumer<String> lines) throws IOException;

    /**
     * This replica stopped leading, and another may lead now: change nothing in the cluster on your own any more (no
     * object re-created, no drift put back) until the next {@link #apply}, forget what you wrote (the next leader may
     * change it), and stop nothing that runs. A driver that acts on the cluster only when applied has nothing to do.
     */
    default void standDown() {
    }

    /**
     * This replica follows: observe these revisions as the leader runs them (for this replica's API), and change nothing
     * on the cluster, until the next {@link #apply}. A driver whose instances only its own process can see (the local
     * runtime) has nothing to watch.
     */
    default void observeOnly(List<RevisionDeployment> revisions) {
    }

    /** How the cluster is, as far as the driver knows: reachable, its version, what drift it put back. */
    default DriverHealth health() {
        return DriverHealth.UNKNOWN;
    }

    /** Calls {@code listener} (quickly, on any thread) each time {@link #changes} moves. */
    void whenChanged(Runnable listener);
}
