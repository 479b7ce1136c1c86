package dev.ebb.runtime.kubernetes;

import dev.ebb.runtime.LogQuery;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Pod;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import okhttp3.Call;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A revision's output on a cluster, read through the pod log API: the recent lines of its pods merged by time, the
 * lines as they are printed, and the last lines of a crashed run, which a crash loop's status quotes.
 */
final class PodLogs {

    private static final Logger log = LoggerFactory.getLogger(PodLogs.class);
    /** How many lines of a crashed run a revision's status quotes. */
    private static final int CRASH_LINES = 5;
    private static final int MAX_CRASHES_KEPT = 1_000;

    private final String cluster;
    private final CoreV1Api calls;
    private final CoreV1Api streams;
    /** The last lines of each crashed container's run, by pod uid and restart count, read once per crash. */
    private final Map<String, List<String>> crashOutput = new ConcurrentHashMap<>();

    /**
     * @param calls the API for reads that end
     * @param streams the API for streams that stay open (followed logs): its client's read timeout outlasts a quiet minute
     */
    PodLogs(String cluster, CoreV1Api calls, CoreV1Api streams) {
        this.cluster = cluster;
        this.calls = calls;
        this.streams = streams;
    }

    /** The last lines of each crash-looping pod's previous run, read from the pod log API once per crash. */
    Map<String, List<String>> crashOutput(List<V1Pod> pods) {
        Map<String, List<String>> output = new HashMap<>();
        for (V1Pod pod : pods) {
            if (!PodStates.crashLooping(pod)) {
                continue;
            }
            String name = pod.getMetadata().getName();
            int restarts = pod.getStatus().getContainerStatuses().get(0).getRestartCount();
            String id = pod.getMetadata().getUid() + "/" + restarts;
            List<String> lines = crashOutput.computeIfAbsent(id, k -> {
                try {
                    return lines(calls.readNamespacedPodLog(name, pod.getMetadata().getNamespace())
                            .container(DesiredObjects.CONTAINER).previous(true).tailLines(CRASH_LINES).execute());
                } catch (ApiException | RuntimeException e) {
                    log.debug("No output of the crashed run of pod {} on cluster {}: {}", name, cluster,
                            KubernetesRuntime.describe(e));
                    return List.of();
                }
            });
            output.put(name, lines);
        }
        if (crashOutput.size() > MAX_CRASHES_KEPT) {
            crashOutput.clear(); // read again, once, for the pods still crashing
        }
        return output;
    }

    private static List<String> lines(String text) {
        return text == null || text.isEmpty() ? List.of() : List.of(text.split("\r?\n"));
    }

    /**
     * Each selected pod's own log, merged by time, the last {@code tail} lines; a container that has not started has none
     * yet, and one that has not restarted has no previous run.
     */
    List<String> recent(String namespace, List<V1Pod> pods, LogQuery query) throws IOException {
        List<PodLogLine> all = new ArrayList<>();
        for (V1Pod pod : pods) {
            String name = pod.getMetadata().getName();
            if (query.instance() != null && !query.instance().equals(name)) {
                continue;
            }
            boolean previous = query.previous() || PodStates.crashLooping(pod);
            try {
                String text = calls.readNamespacedPodLog(name, namespace).container(DesiredObjects.CONTAINER)
                        .tailLines(query.tail()).timestamps(true).previous(previous ? true : null).execute();
                lines(text).forEach(line -> all.add(PodLogLine.parse(name, line)));
            } catch (ApiException e) {
                if (e.getCode() == 400 || e.getCode() == 404) {
                    continue; // not started yet, no previous run, or gone since the cache saw it
                }
                throw new IOException(KubernetesRuntime.describe(e), e);
            }
        }
        all.sort(Comparator.comparing(PodLogLine::time));
        return all.subList(Math.max(0, all.size() - query.tail()), all.size()).stream().map(PodLogLine::toString).toList();
    }

    /** One stream per pod running now (as {@code kubectl logs -f -l} does); pods started later are not followed. */
    AutoCloseable follow(String namespace, List<V1Pod> pods, Consumer<String> lines) throws IOException {
        List<Call> open = new ArrayList<>();
        for (V1Pod pod : pods) {
            String name = pod.getMetadata().getName();
            try {
                Call call = streams.readNamespacedPodLog(name, namespace).container(DesiredObjects.CONTAINER)
                        .follow(true).tailLines(0).timestamps(true).buildCall(null);
                open.add(call);
                Thread reader = new Thread(() -> stream(call, name, lines), "ebb-logs-" + name);
                reader.setDaemon(true);
                reader.start();
            } catch (ApiException e) {
                open.forEach(Call::cancel);
                throw new IOException(KubernetesRuntime.describe(e), e);
            }
        }
        return () -> open.forEach(Call::cancel);
    }

    private void stream(Call call, String pod, Consumer<String> lines) {
        try (Response response = call.execute();
                BufferedReader reader = new BufferedReader(new InputStreamReader(
                        response.body().byteStream(), StandardCharsets.UTF_8))) {
            if (!response.isSuccessful()) {
                return;
            }
            String line;
            while ((line = reader.readLine()) != null) {
                lines.accept(PodLogLine.parse(pod, line).toString());
            }
        } catch (IOException e) {
            if (!call.isCanceled()) {
                log.debug("Following the log of pod {} on cluster {} ended: {}", pod, cluster, e.toString());
            }
        }
    }
}
