package dev.ebb.security;

import dev.ebb.database.DatabaseOutage;
import dev.ebb.web.ProblemWriter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Loads the caller's session from the database before anything else asks for it, so that a request carrying a
 * session cookie while the database is unreachable is answered 503 here, like every call during an outage. Left to
 * whichever part touches the session first, the failure would go to the error page, where Spring MVC asks for the
 * session again, meets the outage again, and turns the 503 into a 500. Once loaded, the session is kept for the rest
 * of the request.
 */
final class SessionLoadingFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(SessionLoadingFilter.class);

    private final ProblemWriter problems;

    SessionLoadingFilter(ProblemWriter problems) {
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            request.getSession(false);
        } catch (RuntimeException e) {
            if (!DatabaseOutage.isCause(e)) {
                throw e;
            }
            log.warn("Request {} {} failed: the database is unreachable, so its session could not be loaded ({})",
                    request.getMethod(), request.getRequestURI(), e.getMessage());
            problems.writeDatabaseUnavailable(request, response, request.getRequestURI());
            return;
        }
        chain.doFilter(request, response);
    }
}
