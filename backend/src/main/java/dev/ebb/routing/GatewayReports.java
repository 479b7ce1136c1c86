package dev.ebb.routing;

import dev.ebb.autoscaler.Autoscaler;
import dev.ebb.coldstart.ColdStartRecorder;
import dev.ebb.feed.ColdStart;
import dev.ebb.feed.LoadReport;
import dev.ebb.gateway.LoadSink;
import dev.ebb.metrics.RequestMetrics;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;

/**
 * The control plane's end of what gateways report, whether the gateway runs in this JVM or posts over
 * HTTP: load and demand go to the autoscaler, cold starts to their records, the requests counted with the load to the
 * request metrics. Without a runtime there is nothing to scale, and only the request metrics take the load reports.
 */
public class GatewayReports implements LoadSink {

    private final ObjectProvider<Autoscaler> autoscaler;
    private final ColdStartRecorder coldStarts;
    private final RequestMetrics requests;
    private final GatewayPresence presence;

    GatewayReports(ObjectProvider<Autoscaler> autoscaler, ColdStartRecorder coldStarts, RequestMetrics requests,
            GatewayPresence presence) {
        this.autoscaler = autoscaler;
        this.coldStarts = coldStarts;
        this.requests = requests;
        this.presence = presence;
    }

    @Override
    public void report(LoadReport report) {
        presence.heard(report);
        requests.report(report);
        autoscaler.ifAvailable(a -> a.report(report));
    }

    @Override
    public void demand(String namespace, String revision) {
        autoscaler.ifAvailable(a -> a.demand(namespace, revision));
    }

    /** Demand from a gateway of {@code cluster}: a revision placed on several clusters starts there. */
    public void demand(String namespace, String revision, String cluster) {
        autoscaler.ifAvailable(a -> a.demand(namespace, revision, cluster));
    }

    @Override
    public void coldStart(ColdStart coldStart) {
        coldStarts.record(coldStart);
    }

    /** Stores a cold start a separate gateway posted before returning (see {@link ColdStartRecorder#store}). */
    public void storeColdStart(ColdStart coldStart) {
        coldStarts.store(coldStart);
    }

    /** Stores the cold starts a separate gateway posted together before returning. */
    public void storeColdStarts(List<ColdStart> posted) {
        coldStarts.store(posted);
    }
}
