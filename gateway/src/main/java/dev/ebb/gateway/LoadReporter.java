package dev.ebb.gateway;

import dev.ebb.feed.LoadReport;
import dev.ebb.feed.RequestStats;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Twice a second adds up what every event loop's {@link LoadMeter} saw and what the revision queues hold,
 * and hands the autoscaler one {@link LoadReport}, with what the probes found of the other clusters' gateways; it also asks again for revisions whose requests still
 * wait at zero. Each meter is read on its own event loop, so the meters need no synchronisation.
 */
final class LoadReporter {

    private static final Logger log = LoggerFactory.getLogger(LoadReporter.class);

    private record Loop(Context context, LoadMeter meter) {
    }

    private final String gateway;
    private final String cluster;
    private final Admission admission;
    private final LoadSink sink;
    private final Supplier<List<LoadReport.PeerHealth>> peers;
    private final List<Loop> loops = new CopyOnWriteArrayList<>();

    /** @param cluster the cluster the gateway is in, null for a single cluster */
    LoadReporter(String gateway, String cluster, Admission admission, LoadSink sink) {
        this(gateway, cluster, admission, sink, List::of);
    }

    /** @param peers what the probes of the other clusters' gateways found last */
    LoadReporter(String gateway, String cluster, Admission admission, LoadSink sink, Supplier<List<LoadReport.PeerHealth>> peers) {
        this.gateway = gateway;
        this.cluster = cluster;
        this.peers = peers;
        this.admission = admission;
        this.sink = sink;
    }

    /** Includes {@code meter}, which belongs to the event loop of {@code context}, in every report from now on. */
    void add(Context context, LoadMeter meter) {
        loops.add(new Loop(context, meter));
    }

    /** Reads every meter on its loop, then reports; returns at once. */
    Future<LoadReport> tick() {
        admission.demandAgain();
        return sample().map(report -> {
            try {
                sink.report(report);
            } catch (RuntimeException e) {
                log.warn("Could not report the gateway's load: {}", e.toString());
            }
            return report;
        });
    }

    /**
     * The last report, once the gateway answered every request it took and takes no more: what was counted since the
     * last report (the requests' figures), with nothing in flight and nothing held, so that the autoscaler does not
     * read the stopped gateway as one that fell silent holding requests. Not sent: the caller hands it to
     * {@link LoadSink#farewell}, off the event loops, which still have to run to read the meters.
     */
    Future<LoadReport> last() {
        return sample().map(report -> new LoadReport(report.gateway(), report.cluster(), report.at(), report.revisions().stream()
                .map(load -> new LoadReport.RevisionLoad(load.namespace(), load.revision(), 0, 0, 0, List.of(), load.requests()))
                .toList(), report.peers()));
    }

    private Future<LoadReport> sample() {
        List<Future<List<LoadReport.RevisionLoad>>> samples = new ArrayList<>();
        for (Loop loop : loops) {
            Promise<List<LoadReport.RevisionLoad>> sample = Promise.promise();
            loop.context().runOnContext(v -> sample.complete(loop.meter().sample(System.nanoTime())));
            samples.add(sample.future());
        }
        return Future.all(samples).map(all -> {
            List<List<LoadReport.RevisionLoad>> perLoop = all.list();
            return new LoadReport(gateway, cluster, Instant.now(), merge(perLoop, admission.queued()), peers.get());
        });
    }

    /**
     * Sums the event loops' loads per revision and per instance, and their requests per revision and tag, and sets what
     * each revision's queue holds.
     */
    static List<LoadReport.RevisionLoad> merge(List<List<LoadReport.RevisionLoad>> perLoop, Map<String, Integer> queued) {
        Map<String, Sum> sums = new LinkedHashMap<>();
        for (List<LoadReport.RevisionLoad> loads : perLoop) {
            for (LoadReport.RevisionLoad load : loads) {
                Sum sum = sums.computeIfAbsent(RevisionRoute.key(load.namespace(), load.revision()),
                        k -> new Sum(load.namespace(), load.revision()));
                sum.concurrency += load.concurrency();
                sum.perSecond += load.requestsPerSecond();
                for (LoadReport.InstanceLoad instance : load.instances()) {
                    sum.instances.merge(instance.instance(), instance.concurrency(), Double::sum);
                }
                for (RequestStats requests : load.requests()) {
                    sum.requests.merge(requests.tag(), requests, RequestStats::plus);
                }
            }
        }
        queued.forEach((key, count) -> {
            int slash = key.indexOf('/');
            sums.computeIfAbsent(key, k -> new Sum(key.substring(0, slash), key.substring(slash + 1))).queued = count;
        });
        List<LoadReport.RevisionLoad> merged = new ArrayList<>(sums.size());
        for (Sum sum : sums.values()) {
            List<LoadReport.InstanceLoad> instances = new ArrayList<>(sum.instances.size());
            sum.instances.forEach((instance, concurrency) -> instances.add(new LoadReport.InstanceLoad(instance, concurrency)));
            merged.add(new LoadReport.RevisionLoad(sum.namespace, sum.revision, sum.concurrency, sum.perSecond, sum.queued, instances,
                    List.copyOf(sum.requests.values())));
        }
        return merged;
    }

    private static final class Sum {

        final String namespace;
        final String revision;
        final Map<String, Double> instances = new LinkedHashMap<>();
        /** By tag. */
        final Map<String, RequestStats> requests = new LinkedHashMap<>();
        double concurrency;
        double perSecond;
        int queued;

        Sum(String namespace, String revision) {
            this.namespace = namespace;
            this.revision = revision;
        }
    }
}
