package dev.ebb.gateway;

import dev.ebb.feed.LoadReport;
import dev.ebb.feed.RequestStats;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * What one event loop sees of load, per revision and per instance, so that the autoscaler gets exact
 * time-weighted averages instead of samples: a request counts toward its revision from arrival to its last
 * response byte (held ones too, so a revision at zero shows its demand) and toward an instance while it is
 * forwarded there. Beside the load it keeps each revision's {@link RequestTally} per host the requests came to. Belongs to one event loop, which is why it needs neither locks nor atomics: every call,
 * {@link #sample} included, must run on that loop.
 */
final class LoadMeter {

    private final Map<String, RevisionGauge> revisions = new HashMap<>();
    private long lastSample;

    /** @param now when the first interval starts ({@link System#nanoTime()}) */
    LoadMeter(long now) {
        this.lastSample = now;
    }

    /** One revision's gauges on this event loop. Opaque to callers: they hand it back. */
    static final class RevisionGauge {

        private final String namespace;
        private final String name;
        private final String service;
        private final TimeWeighted concurrency;
        private final Map<String, TimeWeighted> instances = new HashMap<>();
        /** Requests through the service's own host; those through tag hosts are in {@link #tagged}. */
        private RequestTally requests;
        private Map<String, RequestTally> tagged;
        private long arrivals;

        private RevisionGauge(String namespace, String name, String service, long since) {
            this.namespace = namespace;
            this.name = name;
            this.service = service;
            this.concurrency = new TimeWeighted(since);
        }

        /** Where the requests that came through {@code tag}'s host (empty: the service's own) are counted. */
        RequestTally requests(String tag) {
            if (tag.isEmpty()) {
                if (requests == null) {
                    requests = new RequestTally(service, "");
                }
                return requests;
            }
            if (tagged == null) {
                tagged = new HashMap<>();
            }
            return tagged.computeIfAbsent(tag, t -> new RequestTally(service, t));
        }

        private List<RequestStats> takeRequests() {
            List<RequestStats> taken = new ArrayList<>(1);
            RequestStats own = requests == null ? null : requests.take();
            if (own != null) {
                taken.add(own);
            }
            if (tagged != null) {
                for (RequestTally tally : tagged.values()) {
                    RequestStats stats = tally.take();
                    if (stats != null) {
                        taken.add(stats);
                    }
                }
            }
            return taken;
        }
    }

    /** A request for {@code revision} arrived at {@code now}; it counts until {@link #finished}. */
    RevisionGauge arrived(RevisionRoute revision, long now) {
        RevisionGauge gauge = revisions.get(revision.key());
        if (gauge == null) {
            gauge = new RevisionGauge(revision.namespace(), revision.name(), revision.service(), lastSample);
            revisions.put(revision.key(), gauge);
        }
        gauge.arrivals++;
        gauge.concurrency.open(now);
        return gauge;
    }

    /** The request that arrived at {@code arrivedAt} got its whole response, or was given up. */
    void finished(RevisionGauge gauge, long arrivedAt, long now) {
        gauge.concurrency.close(arrivedAt, now);
    }

    /** The request was forwarded to {@code instance} at {@code now}; it counts there until {@link #returned}. */
    TimeWeighted forwarded(RevisionGauge gauge, String instance, long now) {
        TimeWeighted load = gauge.instances.computeIfAbsent(instance, k -> new TimeWeighted(lastSample));
        load.open(now);
        return load;
    }

    /** The request forwarded at {@code forwardedAt} no longer occupies its instance. */
    void returned(TimeWeighted instance, long forwardedAt, long now) {
        instance.close(forwardedAt, now);
    }

    /**
     * The load since the previous sample up to {@code now}, for the revisions that had any; {@code queued} is
     * left 0 (the queues are shared by all event loops). Forgets revisions and instances that stay idle.
     */
    List<LoadReport.RevisionLoad> sample(long now) {
        long elapsed = now - lastSample;
        lastSample = now;
        List<LoadReport.RevisionLoad> loads = new ArrayList<>();
        for (Iterator<RevisionGauge> it = revisions.values().iterator(); it.hasNext(); ) {
            RevisionGauge gauge = it.next();
            double concurrency = gauge.concurrency.takeAverage(now);
            double perSecond = elapsed <= 0 ? 0 : gauge.arrivals * 1e9 / elapsed;
            gauge.arrivals = 0;
            List<LoadReport.InstanceLoad> instances = new ArrayList<>();
            for (Iterator<Map.Entry<String, TimeWeighted>> at = gauge.instances.entrySet().iterator(); at.hasNext(); ) {
                Map.Entry<String, TimeWeighted> instance = at.next();
                double average = instance.getValue().takeAverage(now);
                if (average > 0) {
                    instances.add(new LoadReport.InstanceLoad(instance.getKey(), average));
                } else if (instance.getValue().open() == 0) {
                    at.remove();
                }
            }
            List<RequestStats> requests = gauge.takeRequests();
            if (concurrency > 0 || perSecond > 0 || !requests.isEmpty()) {
                loads.add(new LoadReport.RevisionLoad(gauge.namespace, gauge.name, concurrency, perSecond, 0, instances, requests));
            } else if (gauge.concurrency.open() == 0 && gauge.instances.isEmpty()) {
                it.remove();
            }
        }
        return loads;
    }
}
