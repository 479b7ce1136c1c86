package dev.ebb.gateway;

import dev.ebb.feed.RoutingSnapshot;
import dev.ebb.problem.Problem;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
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
        return revision.refusals().noReadyInstance.with(requestId);
    }

    static Buffer queueFull(RevisionRoute revision, String requestId) {
        return revision.refusals().queueFull.with(requestId);
    }

    /**
     * A revision's two 503 bodies, rendered once per routing snapshot. A flood refused at a full queue answers
     * thousands of requests a second with them; rendering each through Jackson was most of the gateway's own work
     * per refusal (the resilience suite's scenario 7, profiled), so each answer only splices its request id in.
     */
    static final class Refusals {

        final Rendered noReadyInstance;
        final Rendered queueFull;

        Refusals(RevisionRoute revision) {
            String service = "Service " + revision.namespace() + "/" + revision.service();
            noReadyInstance = Rendered.of(503, "no-ready-instance", "Service Unavailable", service
                    + " has no ready instance of revision " + revision.name() + " yet; retry shortly.");
            queueFull = Rendered.of(503, "queue-full", "Service Unavailable", service
                    + " has too many requests waiting for revision " + revision.name() + "; retry shortly.");
        }
    }

    /** A problem body rendered with a marker for its request id, split around it. */
    static final class Rendered {

        /** Cannot occur in a detail, which names only DNS labels, nor need escaping in JSON. */
        private static final String MARKER = "{request-id}";

        private final byte[] before;
        private final byte[] after;

        private Rendered(byte[] before, byte[] after) {
            this.before = before;
            this.after = after;
        }

        static Rendered of(int status, String slug, String title, String detail) {
            String json = new String(JSON.writeValueAsBytes(new Problem(Problem.type(slug), title, status, detail, null, List.of(),
                    MARKER)), StandardCharsets.UTF_8);
            int at = json.lastIndexOf(MARKER);
            return new Rendered(json.substring(0, at).getBytes(StandardCharsets.UTF_8),
                    json.substring(at + MARKER.length()).getBytes(StandardCharsets.UTF_8));
        }

        /**
         * The body with {@code requestId}, which {@link Forwarder#requestId} has made a token of letters, digits and
         * {@code . _ : -}: nothing in it needs escaping.
         */
        Buffer with(String requestId) {
            return Buffer.buffer(before.length + requestId.length() + after.length).appendBytes(before)
                    .appendString(requestId, "US-ASCII").appendBytes(after);
        }
    }

    static Buffer noTraffic(RoutingTable.Route route, String requestId) {
        return body(503, "no-traffic", "Service Unavailable", "Service " + route.namespace() + "/" + route.service()
                + " sends no traffic to any revision.", requestId);
    }

    static Buffer unreachable(RevisionRoute revision, String requestId) {
        return body(502, "bad-gateway", "Bad Gateway", "Service " + revision.namespace() + "/" + revision.service()
                + " could not be reached: revision " + revision.name() + " failed before it answered.", requestId);
    }

    /** A gateway's own answer about where a revision runs: no cluster can take the request, or the one it must go to is away. */
    static Buffer refusal(Hop.Refusal refusal, String requestId) {
        return body(refusal.status(), refusal.slug(), refusal.title(), refusal.detail(), requestId);
    }

    static Buffer peerTokenRejected(String requestId) {
        return body(401, "peer-token-rejected", "Unauthorized", "The peer token (header " + RoutingSnapshot.PEER_TOKEN_HEADER
                + ") is missing or not one this cluster accepts. The control plane hands each cluster's gateways the tokens"
                + " of their peers and rotates them: check that the forwarding gateway receives its routing.", requestId);
    }

    static Buffer peerRevisionMissing(String requestId) {
        return body(400, "bad-request", "Bad Request", "A request forwarded by a peer gateway names the revision to serve it in"
                + " header " + RoutingSnapshot.PEER_REVISION_HEADER + " as <namespace>/<revision>; this one does not.", requestId);
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
