package dev.ebb.security;

import dev.ebb.web.ProblemWriter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Loads the caller's session from the database before anything else asks for it, so that a request carrying a
 * session cookie while the database is unreachable is answered 503 here, like every call during an outage. Left to
 * whichever part touches the session first, the failure would go to the error page, where Spring MVC asks for the
 * session again, meets the outage again, and turns the 503 into a 500. Once loaded, the session is kept for the rest
 * of the request.
 */
final class SessionLoadingFilter extends OncePerRequestFilter {

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
            if (problems.writeIfDatabaseOutage(request, response, e, "its session could not be loaded")) {
                return;
            }
            throw e;
        }
        chain.doFilter(request, response);
    }
}
