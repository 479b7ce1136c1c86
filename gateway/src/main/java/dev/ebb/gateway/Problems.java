package dev.ebb.gateway;

import dev.ebb.problem.Problem;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;

/**
 * The gateway's own answers, as short RFC 9457 bodies that name the service and never carry a stack
 * trace. The 404 is one constant body, so that a cluster-local service asked for on the public
 * listener is indistinguishable from a host that does not exist.
 */
final class Problems {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    static final Buffer UNKNOWN_HOST = body(404, "unknown-host", "Not Found", "No service is served at this host.", null);
    static final Buffer AMBIGUOUS_HOST = body(400, "bad-request", "Bad Request", "The request has more than one Host header.", null);

    private Problems() {
    }

    static Buffer noReadyInstance(RevisionRoute revision, String requestId) {
        return body(503, "no-ready-instance", "Service Unavailable", "Service " + revision.namespace() + "/" + revision.service()
                + " has no ready instance of revision " + revision.name() + " yet; retry shortly.", requestId);
    }

    static Buffer queueFull(RevisionRoute revision, String requestId) {
        return body(503, "queue-full", "Service Unavailable", "Service " + revision.namespace() + "/" + revision.service()
                + " has too many requests waiting for revision " + revision.name() + "; retry shortly.", requestId);
    }

    static Buffer noTraffic(RoutingTable.Route route, String requestId) {
        return body(503, "no-traffic", "Service Unavailable", "Service " + route.namespace() + "/" + route.service()
                + " sends no traffic to any revision.", requestId);
    }

    static Buffer unreachable(RevisionRoute revision, String requestId) {
        return body(502, "bad-gateway", "Bad Gateway", "Service " + revision.namespace() + "/" + revision.service()
                + " could not be reached: revision " + revision.name() + " failed before it answered.", requestId);
    }

    static Buffer timedOut(RevisionRoute revision, String requestId) {
        return body(504, "gateway-timeout", "Gateway Timeout", "Service " + revision.namespace() + "/" + revision.service()
                + " did not start answering within " + revision.timeoutMillis() / 1000 + " s (revision " + revision.name() + ").",
                requestId);
    }

    private static Buffer body(int status, String slug, String title, String detail, String requestId) {
        Problem problem = new Problem(Problem.type(slug), title, status, detail, null, List.of(), requestId);
        return Buffer.buffer(JSON.writeValueAsBytes(problem));
    }
}
