package dev.ebb.bench;

import static org.awaitility.Awaitility.await;

import com.google.gson.reflect.TypeToken;
import dev.ebb.support.RealKubernetes;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.util.Watch;
import java.io.IOException;
import java.lang.reflect.Type;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Predicate;
import okhttp3.Call;

/**
 * A bare watch on one kind across all namespaces, remembering when each version of each object arrived: what the API
 * server tells any client, the floor under what Ebb's own watches can do.
 */
final class Seen<T> implements AutoCloseable {

    private record Arrival<T>(Instant at, T object) {
    }

    private final Map<String, List<Arrival<T>>> arrivals = new ConcurrentHashMap<>();
    private final Watch<T> watch;

    private Seen(ApiClient client, Call call, Type type, Function<T, V1ObjectMeta> meta) throws ApiException {
        this.watch = Watch.createWatch(client, call, type);
        Thread reader = new Thread(() -> {
            try {
                for (Watch.Response<T> event : watch) {
                    Instant at = Instant.now();
                    if (event.object != null && meta.apply(event.object) != null) {
                        V1ObjectMeta m = meta.apply(event.object);
                        arrivals.computeIfAbsent(m.getNamespace() + "/" + m.getName(), k -> new CopyOnWriteArrayList<>())
                                .add(new Arrival<>(at, event.object));
                    }
                }
            } catch (RuntimeException e) {
                // closed
            }
        }, "bench-watch");
        reader.setDaemon(true);
        reader.start();
    }

    static Seen<V1Deployment> deployments() throws ApiException {
        ApiClient watching = RealKubernetes.client().setReadTimeout(0);
        return new Seen<>(watching, new AppsV1Api(watching).listDeploymentForAllNamespaces().watch(true).buildCall(null),
                new TypeToken<Watch.Response<V1Deployment>>() { }.getType(), V1Deployment::getMetadata);
    }

    static Seen<V1Pod> pods() throws ApiException {
        ApiClient watching = RealKubernetes.client().setReadTimeout(0);
        return new Seen<>(watching, new CoreV1Api(watching).listPodForAllNamespaces().watch(true).buildCall(null),
                new TypeToken<Watch.Response<V1Pod>>() { }.getType(), V1Pod::getMetadata);
    }

    static boolean ready(V1Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** When the watch first brought {@code namespace/name} in a state {@code wanted} accepts; waits for it. */
    Instant arrived(String key, Predicate<T> wanted) {
        return firstSeen(key, wanted, Instant.MIN);
    }

    /** The same, counting only arrivals at or after {@code notBefore}. */
    Instant firstSeen(String key, Predicate<T> wanted, Instant notBefore) {
        return await().atMost(Duration.ofMinutes(1)).until(() -> find(key, wanted, notBefore), Optional::isPresent).orElseThrow();
    }

    private Optional<Instant> find(String key, Predicate<T> wanted, Instant notBefore) {
        return arrivals.getOrDefault(key, List.of()).stream().filter(a -> !a.at().isBefore(notBefore) && wanted.test(a.object()))
                .map(Arrival::at).findFirst();
    }

    @Override
    public void close() throws IOException {
        watch.close();
    }
}
