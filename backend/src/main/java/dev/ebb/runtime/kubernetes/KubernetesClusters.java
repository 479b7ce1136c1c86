package dev.ebb.runtime.kubernetes;

import dev.ebb.cluster.ClusterChanged;
import dev.ebb.cluster.Clusters;
import dev.ebb.problem.NotFoundException;
import dev.ebb.runtime.Runtimes;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import java.io.IOException;
import java.io.StringReader;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * A Kubernetes driver for every registered cluster, built from its kubeconfig when the cluster is registered or
 * changed and dropped when it is removed, while Ebb runs. A kubeconfig that cannot be used leaves that cluster
 * without a driver and says why in the log; other clusters go on.
 */
public final class KubernetesClusters implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KubernetesClusters.class);

    private final Clusters clusters;
    private final Runtimes runtimes;
    private final DesiredObjects.Gateway gateway;
    private final Duration observeEvery;
    private final Duration progressDeadline;
    private final ClusterActions actions;
    private final InCluster inCluster;
    private final Map<String, Running> running = new ConcurrentHashMap<>();

    /**
     * A cluster's driver, and the registration it was started from: its resource version and a hash of its kubeconfig
     * (a cluster removed and registered again under the same name counts its versions from 1 again).
     */
    private record Running(KubernetesRuntime runtime, Runtimes.Membership membership, String version) {

        void stop() {
            membership.close();
            runtime.close();
        }
    }

    KubernetesClusters(Clusters clusters, Runtimes runtimes, DesiredObjects.Gateway gateway, Duration observeEvery,
            Duration progressDeadline, ClusterActions actions, InCluster inCluster) {
        this.progressDeadline = progressDeadline;
        this.inCluster = inCluster;
        this.actions = actions;
        this.clusters = clusters;
        this.runtimes = runtimes;
        this.gateway = gateway;
        this.observeEvery = observeEvery;
    }

    /** Starts a driver for the cluster Ebb runs in, when configured, and for each cluster registered now. */
    public void start() {
        if (inCluster.enabled()) {
            try {
                run(inCluster.name(), ApiClients.of(inCluster::client), null);
            } catch (IOException | RuntimeException e) {
                log.warn("Ebb cannot reach the cluster it runs in ({}, service account files {} and {}): {}; services placed on "
                        + "'{}' will not run", inCluster.apiServer(), inCluster.tokenFile(), inCluster.caFile(), e.toString(),
                        inCluster.name());
            }
        }
        clusters.registered().forEach(this::refresh);
    }

    private void run(String name, ApiClients clients, String version) {
        KubernetesRuntime runtime = new KubernetesRuntime(name, clients, gateway, observeEvery, progressDeadline, actions);
        runtime.start();
        running.put(name, new Running(runtime, runtimes.add(runtime), version));
        log.info("Cluster {} runs revisions through the Kubernetes API at {}", name, clients.calls().getBasePath());
    }

    @TransactionalEventListener
    public void clusterChanged(ClusterChanged event) {
        refresh(event.name());
    }

    private synchronized void refresh(String name) {
        if (inCluster.enabled() && inCluster.name().equals(name)) {
            return;
        }
        String version;
        String kubeconfig;
        try {
            Clusters.Stored registration = clusters.get(name);
            if (registration.resourceVersion() == null) {
                // The built-in local cluster, among every cluster published after a gap in the change feed: no kubeconfig.
                return;
            }
            kubeconfig = clusters.kubeconfig(name);
            version = registration.resourceVersion() + "/" + DesiredObjects.hash(kubeconfig);
        } catch (NotFoundException e) {
            Running removed = running.remove(name);
            if (removed != null) {
                removed.stop();
                log.info("Cluster {} was removed; its driver stopped", name);
            }
            return;
        }
        Running previous = running.get(name);
        if (previous != null && version.equals(previous.version())) {
            // Told of a change it already runs with (another replica's, or after a break in the change feed).
            return;
        }
        if (previous != null) {
            running.remove(name).stop();
        }
        try {
            run(name, ApiClients.of(() -> ClientBuilder.kubeconfig(KubeConfig.loadKubeConfig(new StringReader(kubeconfig))).build()),
                    version);
        } catch (IOException | RuntimeException e) {
            log.warn("Cluster {} has a kubeconfig this driver cannot use ({}); its services will not run until it is fixed",
                    name, e.toString());
        }
    }

    @Override
    public synchronized void close() {
        running.values().forEach(Running::stop);
        running.clear();
    }
}
