package dev.ebb.security;

import dev.ebb.access.Caller;
import dev.ebb.identity.Tokens;
import dev.ebb.web.ProblemWriter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates {@code Authorization: Bearer <token>} on every request, so a revoked or expired token is refused
 * on the next one. A request without the header goes on as it is (signed in by its session, or anonymous); a wrong
 * token is refused at once. While the database is unreachable the token cannot be checked: the request is answered
 * 503 here, with one line in the log, rather than leaving the failure to the error page after the servlet container
 * has logged it with its stack trace, once for every call of the outage.
 */
class BearerTokenFilter extends OncePerRequestFilter {

    private static final String PREFIX = "Bearer ";

    private final Tokens tokens;
    private final ProblemWriter problems;

    BearerTokenFilter(Tokens tokens, ProblemWriter problems) {
        this.tokens = tokens;
        this.problems = problems;
    }

    static boolean presentsToken(HttpServletRequest request) {
        return request.getHeader("Authorization") != null;
    }

    /** A registry's delivery to a hook carries the hook's secret as its bearer token, not an API token. */
    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return HookDeliveries.matches(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader("Authorization");
        if (header == null) {
            chain.doFilter(request, response);
            return;
        }
        if (!header.regionMatches(true, 0, PREFIX, 0, PREFIX.length()) || header.length() == PREFIX.length()) {
            reject(request, response, "The Authorization header must be 'Bearer <token>'");
            return;
        }
        Optional<Caller> caller;
        try {
            caller = tokens.authenticate(header.substring(PREFIX.length()).trim());
        } catch (RuntimeException e) {
            if (problems.writeIfDatabaseOutage(request, response, e, "its bearer token could not be checked")) {
                return;
            }
            throw e;
        }
        if (caller.isEmpty()) {
            reject(request, response, "The bearer token is not valid: it is unknown, expired or revoked");
            return;
        }
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(new CallerAuthentication(caller.get(), "token"));
        SecurityContextHolder.setContext(context);
        try {
            chain.doFilter(request, response);
        } finally {
            SecurityContextHolder.clearContext();
        }
    }

    private void reject(HttpServletRequest request, HttpServletResponse response, String detail) throws IOException {
        response.setHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
        problems.write(request, response, 401, "unauthorized", "Unauthorized", detail);
    }
}
