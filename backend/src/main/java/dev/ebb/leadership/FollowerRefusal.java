package dev.ebb.leadership;

import dev.ebb.web.ProblemWriter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A replica that does not lead answers the gateways' endpoints ({@code /internal/v1/...}) with 503: its routing has no
 * instances (it runs no cluster's reconciler) and the autoscaler that needs their load reports runs on the leader. A
 * gateway keeps its last routing on a 503 and tries again, on another of its control-plane addresses if it has several.
 */
@Component
// After Spring Security's chain (order -100): a caller that may not use these endpoints learns nothing about the replica.
@Order(0)
class FollowerRefusal extends OncePerRequestFilter {

    private final Leadership leadership;
    private final ProblemWriter problems;

    FollowerRefusal(Leadership leadership, ProblemWriter problems) {
        this.leadership = leadership;
        this.problems = problems;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/internal/v1/") || leadership.leads();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        response.setHeader(HttpHeaders.RETRY_AFTER, "1");
        problems.write(request, response, 503, "not-the-leader", "Not the leading control plane",
                "This control-plane replica (" + leadership.replica() + ") follows: gateways take their routing from, and "
                        + "report their load to, the replica that leads. Give the gateway every replica's address "
                        + "(EBB_GATEWAY_CONTROL_PLANE_URL, comma-separated) or a name that resolves to all of them.");
    }
}
