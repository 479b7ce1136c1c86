package dev.ebb.routing;

import dev.ebb.feed.ColdStart;
import dev.ebb.feed.LoadReport;
import dev.ebb.gateway.LoadSink;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The other half of the routing feed: what separate gateways post back about load (every second), demand
 * for revisions at zero (at once) and cold starts, handed to the control plane's {@link LoadSink} exactly
 * as an embedded gateway hands them over in-process.
 */
@RestController
class GatewayReportsController {

    private final ObjectProvider<LoadSink> sink;
    private final GatewayReports reports;

    GatewayReportsController(ObjectProvider<LoadSink> sink, GatewayReports reports) {
        this.sink = sink;
        this.reports = reports;
    }

    /** A revision a gateway holds requests for, and the cluster the gateway is in (null when it did not say). */
    record Demand(String namespace, String revision, String cluster) {
    }

    @PostMapping("/internal/v1/load")
    ResponseEntity<Void> load(@RequestBody LoadReport report) {
        sink().report(report);
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/internal/v1/demand")
    ResponseEntity<Void> demand(@RequestBody Demand demand) {
        if (demand.namespace() == null || demand.revision() == null) {
            return ResponseEntity.badRequest().build();
        }
        if (demand.cluster() != null) {
            reports.demand(demand.namespace(), demand.revision(), demand.cluster());
        } else {
            sink().demand(demand.namespace(), demand.revision());
        }
        return ResponseEntity.noContent().build();
    }

    /**
     * Answers once the record is stored, so that a gateway whose post failed (the leader died, the database is away)
     * sends it again, to the next leader if need be: a cold start is not lost with the replica that took it.
     */
    @PostMapping("/internal/v1/coldstarts")
    ResponseEntity<Void> coldStart(@RequestBody ColdStart coldStart) {
        reports.storeColdStart(coldStart);
        return ResponseEntity.noContent().build();
    }

    /**
     * Several cold starts in one post (a JSON array), as a gateway sends them since it holds many requests at once after a
     * cold start; stored together before the answer, as one is.
     */
    @PostMapping("/internal/v1/coldstarts/batch")
    ResponseEntity<Void> coldStarts(@RequestBody List<ColdStart> coldStarts) {
        reports.storeColdStarts(coldStarts);
        return ResponseEntity.noContent().build();
    }

    private LoadSink sink() {
        return sink.getIfAvailable(() -> LoadSink.NONE);
    }
}
