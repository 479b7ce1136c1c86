package dev.ebb.gateway;

import dev.ebb.feed.LoadReport;
import dev.ebb.feed.ColdStart;
import dev.ebb.feed.RequestStats;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A load sink for tests that keeps everything it is given. */
final class RecordingLoadSink implements LoadSink {

    final List<LoadReport> reports = new CopyOnWriteArrayList<>();
    final List<String> demands = new CopyOnWriteArrayList<>();
    final List<ColdStart> coldStarts = new CopyOnWriteArrayList<>();

    @Override
    public void report(LoadReport report) {
        reports.add(report);
    }

    @Override
    public void demand(String namespace, String revision) {
        demands.add(namespace + "/" + revision);
    }

    @Override
    public void coldStart(ColdStart coldStart) {
        coldStarts.add(coldStart);
    }

    /** The requests of {@code revision} through {@code tag}'s host (empty: the service's own) reported so far, added up. */
    RequestStats requestsOf(String revision, String tag) {
        return loadsOf(revision).stream().flatMap(l -> l.requests().stream()).filter(r -> r.tag().equals(tag))
                .reduce(RequestStats::plus).orElse(null);
    }

    /** Every load reported for one revision, oldest first. */
    List<LoadReport.RevisionLoad> loadsOf(String revision) {
        return reports.stream().flatMap(r -> r.revisions().stream()).filter(l -> l.revision().equals(revision)).toList();
    }
}
