package dev.ebb.runtime.kubernetes;

import com.google.gson.reflect.TypeToken;
import io.kubernetes.client.common.KubernetesListObject;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.informer.ListerWatcher;
import io.kubernetes.client.informer.ResourceEventHandler;
import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.informer.cache.Cache;
import io.kubernetes.client.informer.impl.DefaultSharedIndexInformer;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.CoreV1EventList;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1DeploymentList;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodList;
import io.kubernetes.client.util.CallGeneratorParams;
import io.kubernetes.client.util.Watch;
import io.kubernetes.client.util.Watchable;
import java.lang.reflect.Type;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import okhttp3.Call;

/**
 * Ebb's Deployments and Pods on one cluster as the cluster last told them, kept current by watches (client-java
 * informers): one list of each kind at start and after a broken watch, then only the changes, instead of listing
 * everything on every pass; and the kubelets' image-pull events, for the phases of a cold start. Watches never ask for bookmarks, which client-java 25 cannot read from a 1.20 API server.
 */
final class ClusterCache implements AutoCloseable {

    private static final String BY_REVISION = "revision";
    private static final String BY_POD = "pod";
    /** The kubelet's word that a node has a pod's image (pulled, or present). */
    private static final String PULLED = "Pulled";
    /** The kubelet's word that a pod's probe failed ("Readiness probe failed: ..."). */
    private static final String UNHEALTHY = "Unhealthy";

    private final SharedIndexInformer<V1Deployment> deployments;
    private final SharedIndexInformer<V1Pod> pods;
    /**
     * The kubelets' "Pulled" and "Unhealthy" events of pods (Ebb's and others': events carry no labels, so each reason
     * is watched on its own rather than every event); the API server expires them after an hour.
     */
    private final Map<String, SharedIndexInformer<CoreV1Event>> events = new HashMap<>();

    /**
     * @param watches a client whose read timeout outlasts a watch (client-java ends each after 5 to 10 minutes)
     * @param changed called on every change the watches bring
     * @param failed called with what went wrong when a list or watch fails; the informer tries again by itself
     */
    ClusterCache(ApiClient watches, Runnable changed, Consumer<Throwable> failed) {
        AppsV1Api apps = new AppsV1Api(watches);
        CoreV1Api core = new CoreV1Api(watches);
        deployments = informer(V1Deployment.class, new Lister<>(watches, V1DeploymentList.class,
                new TypeToken<Watch.Response<V1Deployment>>() { }.getType(),
                (params, watch) -> apps.listDeploymentForAllNamespaces().labelSelector(KubernetesRuntime.MANAGED)
                        .resourceVersion(params.resourceVersion).timeoutSeconds(params.timeoutSeconds).watch(watch)
                        .allowWatchBookmarks(false).buildCall(null)), changed, failed);
        pods = informer(V1Pod.class, new Lister<>(watches, V1PodList.class, new TypeToken<Watch.Response<V1Pod>>() { }.getType(),
                (params, watch) -> core.listPodForAllNamespaces().labelSelector(KubernetesRuntime.MANAGED)
                        .resourceVersion(params.resourceVersion).timeoutSeconds(params.timeoutSeconds).watch(watch)
                        .allowWatchBookmarks(false).buildCall(null)), changed, failed);
        pods.addIndexers(Map.of(BY_REVISION, pod -> List.of(revisionOf(pod))));
        for (String reason : List.of(PULLED, UNHEALTHY)) {
            String selector = "involvedObject.kind=Pod,reason=" + reason;
            SharedIndexInformer<CoreV1Event> informer = informer(CoreV1Event.class, new Lister<>(watches, CoreV1EventList.class,
                    new TypeToken<Watch.Response<CoreV1Event>>() { }.getType(),
                    (params, watch) -> core.listEventForAllNamespaces().fieldSelector(selector)
                            .resourceVersion(params.resourceVersion).timeoutSeconds(params.timeoutSeconds).watch(watch)
                            .allowWatchBookmarks(false).buildCall(null)), changed, failed);
            informer.addIndexers(Map.of(BY_POD, event -> List.of(event.getInvolvedObject().getNamespace() + "/"
                    + event.getInvolvedObject().getName())));
            events.put(reason, informer);
        }
    }

    private static String revisionOf(V1Pod pod) {
        Map<String, String> labels = pod.getMetadata().getLabels();
        return pod.getMetadata().getNamespace() + "/" + (labels == null ? "" : labels.get(DesiredObjects.REVISION_LABEL));
    }

    private static <T extends KubernetesObject, L extends KubernetesListObject> SharedIndexInformer<T> informer(Class<T> type,
            ListerWatcher<T, L> lister, Runnable changed, Consumer<Throwable> failed) {
        SharedIndexInformer<T> informer = new DefaultSharedIndexInformer<>(type, lister, 0, new Cache<>(),
                (kind, error) -> failed.accept(error));
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(T object) {
                changed.run();
            }

            @Override
            public void onUpdate(T before, T after) {
                changed.run();
            }

            @Override
            public void onDelete(T object, boolean finalStateUnknown) {
                changed.run();
            }
        });
        return informer;
    }

    void start() {
        deployments.run();
        pods.run();
        events.values().forEach(SharedIndexInformer::run);
    }

    /** Whether both kinds have been listed once: before that, a missing object may only not have arrived yet. */
    boolean synced() {
        return deployments.hasSynced() && pods.hasSynced();
    }

    V1Deployment deployment(String namespace, String name) {
        return deployments.getIndexer().getByKey(namespace + "/" + name);
    }

    List<V1Pod> pods(String namespace, String revision) {
        return pods.getIndexer().byIndex(BY_REVISION, namespace + "/" + revision);
    }

    /** When the node last had the pod's image (pulled, or found present), by pod name; pods without the event are left out. */
    Map<String, Instant> imagePulled(String namespace, List<V1Pod> pods) {
        Map<String, Instant> pulled = new HashMap<>();
        latest(PULLED, namespace, pods).forEach((pod, event) -> pulled.put(pod, time(event)));
        return pulled;
    }

    /** What the kubelet said last of each pod's failing probe ("Readiness probe failed: ..."), by pod name. */
    Map<String, String> probeFailures(String namespace, List<V1Pod> pods) {
        Map<String, String> failures = new HashMap<>();
        latest(UNHEALTHY, namespace, pods).forEach((pod, event) -> failures.put(pod, String.valueOf(event.getMessage())));
        return failures;
    }

    /** The newest event of {@code reason} about each of these pods (this very pod: same uid), by pod name. */
    private Map<String, CoreV1Event> latest(String reason, String namespace, List<V1Pod> pods) {
        Map<String, CoreV1Event> latest = new HashMap<>();
        for (V1Pod pod : pods) {
            String name = pod.getMetadata().getName();
            for (CoreV1Event event : events.get(reason).getIndexer().byIndex(BY_POD, namespace + "/" + name)) {
                Instant at = time(event);
                if (at != null && (event.getInvolvedObject().getUid() == null
                        || event.getInvolvedObject().getUid().equals(pod.getMetadata().getUid()))) {
                    latest.merge(name, event, (a, b) -> time(a).isAfter(at) ? a : b);
                }
            }
        }
        return latest;
    }

    private static Instant time(CoreV1Event event) {
        OffsetDateTime at = event.getLastTimestamp() != null ? event.getLastTimestamp()
                : event.getEventTime() != null ? event.getEventTime() : event.getFirstTimestamp();
        return at == null ? null : at.toInstant();
    }

    @Override
    public void close() {
        InformerStopNoise.install();
        deployments.stop();
        pods.stop();
        events.values().forEach(SharedIndexInformer::stop);
    }

    /** Builds the call that lists ({@code watch} false) or watches one kind, as an informer asks. */
    @FunctionalInterface
    private interface ListCall {
        Call build(CallGeneratorParams params, boolean watch) throws ApiException;
    }

    /** Lists and watches one kind across all namespaces, with the one call {@code calls} builds for both. */
    private static final class Lister<T extends KubernetesObject, L extends KubernetesListObject> implements ListerWatcher<T, L> {

        private final ApiClient client;
        private final Class<L> list;
        private final Type events;
        private final ListCall calls;

        Lister(ApiClient client, Class<L> list, Type events, ListCall calls) {
            this.client = client;
            this.list = list;
            this.events = events;
            this.calls = calls;
        }

        @Override
        public L list(CallGeneratorParams params) throws ApiException {
            return client.<L>execute(calls.build(params, false), list).getData();
        }

        @Override
        public Watchable<T> watch(CallGeneratorParams params) throws ApiException {
            return Watch.createWatch(client, calls.build(params, true), events);
        }
    }
}
