package dev.ebb.routing;

import dev.ebb.autoscaler.Autoscaler;
import dev.ebb.gateway.ColdStart;
import dev.ebb.gateway.LoadReport;
import dev.ebb.gateway.LoadSink;
import org.springframework.beans.factory.ObjectProvider;

/**
 * The control plane's end of what gateways report, whether the gateway runs in this JVM or posts over
 * HTTP: load and demand go to the autoscaler. Without a runtime there is nothing to scale and reports
 * are dropped.
 */
public class GatewayReports implements LoadSink {

    private final ObjectProvider<Autoscaler> autoscaler;

    public GatewayReports(ObjectProvider<Autoscaler> autoscaler) {
        this.autoscaler = autoscaler;
    }

    @Override
    public void report(LoadReport report) {
        autoscaler.ifAvailable(a -> a.report(report));
    }

    @Override
    public void demand(String namespace, String revision) {
        autoscaler.ifAvailable(a -> a.demand(namespace, revision));
    }

    @Override
    public void coldStart(ColdStart coldStart) {
        // Recorded once cold-start records exist.
    }
}
